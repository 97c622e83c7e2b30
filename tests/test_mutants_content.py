"""Exact answers of the content core where mutation testing (MUTATION.md) found that a change went unnoticed."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from build_tools.content import catalogue
from build_tools.content.catalogue import Catalogue
from build_tools.content.fields import Markdown
from build_tools.content.load import Document, load_yaml_text
from build_tools.content.model import Claim, Seed, Site
from build_tools.content.quotes import _FoldTable, line_col, normalize
from build_tools.content.resolve import check_root, today_utc
from build_tools.content.validate import dotted, validate_document
from conftest import FIXTURES, TODAY, copy_root


def _problems(text: str, model: type[BaseModel]) -> list[str]:
    doc, problems = load_yaml_text(text, "f.yml")
    assert doc is not None, problems
    _, found = validate_document(doc, model)
    return [f"{p.line}:{p.col} {p.code}: {p.message}" for p in found]


# -- quotes ------------------------------------------------------------------------------------


def test_the_first_occurrence_of_a_quote_is_the_one_found() -> None:
    assert normalize("a b a").find("a") == (0, 1)
    assert normalize("x « a » y « a »").find('" a "') == (2, 7)


@pytest.mark.parametrize(
    ("text", "quote", "expected"),
    [
        ("", "x", (0, "")),  # an empty article has no passage, and no crash
        ("a", "b", (0, "a")),  # one character: the passage is the article
        ("bonjour monde", "jour", (0, "bonjour")),  # widened back to the start of the first word
        ("abc xyabc", "abc", (0, "abc")),  # the match at the very start counts
        ("zbc abc", "abc", (4, "abc")),  # so does the quote's first character
    ],
)
def test_closest_passage_is_exact(text: str, quote: str, expected: tuple[int, str]) -> None:
    assert normalize(text).closest(quote) == expected


def test_closest_passage_of_a_long_quote_is_not_lost_to_frequent_letters() -> None:
    """Past 200 characters, difflib's automatic junk heuristic would ignore every common letter."""
    words = [f"mot{i} alpha beta gamma" for i in range(40)]
    text = "Début. " + " ".join(words) + " Fin du texte."
    quote = " ".join(words[20:30]).replace("mot25 alpha", "mot25 ALPHA")
    assert len(quote) > 200
    offset, passage = normalize(text).closest(quote)
    assert (offset, passage) == (text.index("mot20 "), " ".join(words[20:30]))


@pytest.mark.parametrize(("offset", "expected"), [(0, (1, 1)), (2, (2, 2)), (4, (3, 1)), (6, (3, 3))])
def test_line_and_column_of_an_offset(offset: int, expected: tuple[int, int]) -> None:
    assert line_col("\nab\nxyz", offset) == expected


def test_each_character_is_folded_to_its_plain_form() -> None:
    """A fresh table, not the process-wide one other tests have already filled."""
    table = _FoldTable()
    assert [table[ord(char)] for char in "’«—\u00a0ﬁé"] == ["'", '"', "-", " ", "fi", "é"]
    assert dict(table) == {ord("’"): "'", ord("«"): '"', ord("—"): "-", 0xA0: " ", ord("ﬁ"): "fi", ord("é"): "é"}


# -- load --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("\na: b\x1b\n", 2, 5),
        ("# c\n\na: b\x1b\n", 3, 5),
        # libyaml counts bytes of UTF-8; the position is in characters, as an editor shows it
        ("é: b\x1b\n", 1, 5),
        ("a: ééé\nb: c\x1b\n", 2, 5),
    ],
)
def test_control_character_position(text: str, line: int, col: int) -> None:
    doc, problems = load_yaml_text(text, "f.yml")
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(line, col, "control-character")]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("12\n", "a number"), ("1.5\n", "a number"), ("true\n", "true/false"), ("~\n", "empty (null)")],
)
def test_a_top_level_scalar_is_named(text: str, kind: str) -> None:
    _, problems = load_yaml_text(text, "f.yml")
    assert [p.message for p in problems] == [f"the top level must be a mapping of field names to values, not {kind}"]


def test_the_non_specific_tag_is_allowed() -> None:
    """'!' only says 'a string', unlike every tag that names a type."""
    doc, problems = load_yaml_text("a: ! 12\nb: ! text\n", "f.yml")
    assert problems == []
    assert doc is not None and doc.data == {"a": 12, "b": "text"}


def test_a_complex_key_with_the_non_specific_tag_is_a_key_problem() -> None:
    _, problems = load_yaml_text("? ! [1]\n: 2\n", "f.yml")
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 3, "key-type")]


def test_a_syntax_error_without_context_says_only_the_problem() -> None:
    _, problems = load_yaml_text("a: b: c\n", "f.yml")
    assert [(p.line, p.col, p.code, p.message) for p in problems] == [
        (1, 5, "yaml-syntax", "invalid YAML: mapping values are not allowed in this context")
    ]


# -- validate ----------------------------------------------------------------------------------


def test_dotted_paths() -> None:
    assert dotted(()) == "(top level)"
    assert dotted(("sources", 0, "url")) == "sources[0].url"
    assert dotted((0, "a")) == "[0].a"


def test_a_missing_nested_field_is_located_at_its_mapping() -> None:
    site = "languages:\n- code: fr\n  name: F\n  site_name: D\ndata_licence:\n  name: CC\n"
    assert _problems(site, Site) == ["6:3 missing-field: missing required field 'data_licence.url'"]
    claim = "sources:\n  - title: t\n    publisher: p\n"  # the list starts at 2:3, its first item at 2:5
    missing = [p for p in _problems(claim, Claim) if "sources" in p]
    assert missing == [
        f"2:5 missing-field: missing required field 'sources[0].{name}'"
        for name in ("date", "url", "quote", "language", "stance")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "languages:\n- code: fr\n  name: F\n  site_name: D\ndata_licence:\n  name: CC\n  url: https://e.org/\n"
            "  urll: https://e.org/\n",
            "8:3 unknown-field: unknown field 'data_licence.urll'; did you mean 'url'?",
        ),
        (
            "languages:\n- code: fr\n  name: F\n  site_name: D\n  sitename: D\n",
            "5:3 unknown-field: unknown field 'languages[0].sitename'; did you mean 'site_name'?",
        ),
        (
            "languages:\n- code: fr\n  name: F\n  site_name: D\n  colour: red\n",
            "5:3 unknown-field: unknown field 'languages[0].colour'; known fields: code, name, site_name, "
            "site_description, fallback",
        ),
    ],
)
def test_an_unknown_nested_field_is_compared_with_the_fields_of_its_record(text: str, expected: str) -> None:
    assert _problems(text, Site) == [expected]


def test_an_unknown_field_deep_in_lists_is_compared_with_its_own_record() -> None:
    claim = "since:\n- sources:\n  - urll: https://e.org/\n"
    unknown = [p for p in _problems(claim, Claim) if "unknown-field" in p]
    assert unknown == ["3:5 unknown-field: unknown field 'since[0].sources[0].urll'; did you mean 'url'?"]


SEED = "id: {}\ntitle: t\nlanguage: fr\npublished: '2024-01-01'\npublisher: p\nurl: unknown\n"


@pytest.mark.parametrize(
    ("value", "kind"),
    [("[a]", "a list"), ("{a: 1}", "a mapping"), ("true", "true/false"), ("~", "empty (null)"), ("1.5", "a number")],
)
def test_a_wrong_type_names_what_was_found(value: str, kind: str) -> None:
    assert _problems(SEED.format(value), Seed) == [f"1:5 wrong-type: 'id' should be text, not {kind}"]


def test_a_value_of_another_python_type_is_named_by_its_type() -> None:
    class Model(BaseModel):
        model_config = ConfigDict(strict=True)
        f: str

    doc = Document("f.yml", {"f": date(2024, 1, 1)}, "f: x\n")
    _, problems = validate_document(doc, Model)
    assert [p.message for p in problems] == ["'f' should be text, not date"]


def test_lookalike_characters_are_each_named() -> None:
    """Only characters past ASCII are listed, each once, in code order; one without a name (U+0378 is
    unassigned) is UNKNOWN. (Controls such as U+0080 or U+007F are refused before: test_adversarial.)"""
    found = _problems(SEED.format(r'"ab\u043e\u0378-\u0435\u043e"'), Seed)
    assert found == [
        "1:5 bad-format: 'id' is 'abо\u0378-ео'; expected lower-case letters and digits joined by '-' or '_' (it "
        "contains characters that are not plain ASCII: U+0378 UNKNOWN, U+0435 CYRILLIC SMALL LETTER IE, U+043E "
        "CYRILLIC SMALL LETTER O)"
    ]


def test_a_pattern_without_a_description_is_quoted() -> None:
    class Model(BaseModel):
        f: str = Field(pattern=r"^x+$")

    assert _problems("f: y\n", Model) == ["1:4 bad-format: 'f' is 'y'; expected text matching ^x+$"]


# -- resolve: today ------------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Etc/GMT-14", "Etc/GMT+12"])
def test_source_date_epoch_is_a_utc_date_in_this_process_too(time_zone: pytest.MonkeyPatch, zone: str) -> None:
    """23:00 UTC on 31 December is already 1 January at UTC+14; 01:00 UTC on 1 January is still 31 December
    at UTC-12."""
    time_zone.setenv("TZ", zone)
    time.tzset()
    late = int(datetime(2024, 12, 31, 23, tzinfo=UTC).timestamp())
    early = int(datetime(2025, 1, 1, 1, tzinfo=UTC).timestamp())
    assert today_utc({"SOURCE_DATE_EPOCH": str(late)}) == date(2024, 12, 31)
    assert today_utc({"SOURCE_DATE_EPOCH": str(early)}) == date(2025, 1, 1)


def test_the_clock_is_read_as_a_utc_date(time_zone: pytest.MonkeyPatch) -> None:
    """Local dates at UTC+14 and UTC-12 always differ; the UTC date is the same."""
    answers = []
    for zone in ("Etc/GMT-14", "Etc/GMT+12"):
        time_zone.setenv("TZ", zone)
        time.tzset()
        answers.append(today_utc({}))
    assert answers[0] == answers[1] == datetime.now(UTC).date()


# -- catalogue ---------------------------------------------------------------------------------


def _catalogues(tmp_path: Path, french: str) -> tuple[dict[str, Catalogue], list[str]]:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / "data/catalogues").mkdir()
    (root / "data/catalogues/fr.yml").write_text(french, encoding="utf-8")
    result = check_root(root, TODAY)
    catalogues = result.dataset.catalogues if result.dataset else {}
    return catalogues, [f"{p.path}:{p.line}:{p.col} {p.code}: {p.message}" for p in result.problems]


def test_a_root_catalogue_changes_only_the_strings_it_names(tmp_path: Path) -> None:
    catalogues, problems = _catalogues(tmp_path, "nav_home: Maison\n")
    assert problems == []
    french, english = catalogues["fr"], catalogues["en"]
    assert (french.code, french.text("nav_home"), french.text("nav_faq")) == ("fr", "Maison", "Questions fréquentes")
    assert english.text("nav_home") == "Home"
    assert "date_format" not in french.strings and (french.date_format, english.date_format) == ("long", "d MMMM y")
    assert (french.untranslated, english.untranslated) == ((), ())


def test_a_root_catalogue_is_checked_key_by_key(tmp_path: Path) -> None:
    catalogues, problems = _catalogues(tmp_path, "nav_home: Maison\nnav_homme: x\nmonths: [a, b]\ncolon: 3\n")
    assert catalogues == {}
    assert problems == [
        "data/catalogues/fr.yml:2:1 unknown-field: 'nav_homme' is not an interface string",
        "data/catalogues/fr.yml:3:1 unknown-field: month names come from CLDR: remove 'months' (or set 'date_format')",
        "data/catalogues/fr.yml:4:8 wrong-type: 'colon' should be text",
    ]


def test_a_broken_installation_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue, "ENGINE_CATALOGUES", tmp_path)
    with pytest.raises(AssertionError, match=r"^the engine's reference catalogue is unreadable$"):
        catalogue.reference_keys()


@pytest.mark.parametrize("form", ["''", "3", "[long]", "'HH:mm'", "'d MMMM zzzz'"])
def test_a_date_format_is_a_cldr_width_or_date_pattern(tmp_path: Path, form: str) -> None:
    _, problems = _catalogues(tmp_path, f"date_format: {form}\n")
    assert [problem.split(" ", 1)[0] for problem in problems] == ["data/catalogues/fr.yml:1:14"]
    assert problems[0].split(" ", 2)[1] == "bad-value:"
    assert "'date_format' " in problems[0]


@pytest.mark.parametrize(
    ("code", "iso", "written"),
    [
        ("fr", "2025-01-01", "1 janvier 2025"),  # CLDR's French, without the ordinal "1er"
        ("fr", "2025-12-31", "31 décembre 2025"),
        ("en", "2025-03-01", "1 March 2025"),
    ],
)
def test_dates_are_written_the_way_the_language_writes_them(code: str, iso: str, written: str) -> None:
    result = check_root(FIXTURES / "minimal", TODAY)
    assert result.dataset is not None
    assert result.dataset.catalogues[code].date(iso) == written


# -- model -------------------------------------------------------------------------------------


def test_every_markup_problem_of_a_field_is_reported() -> None:
    with pytest.raises(ValidationError) as raised:
        TypeAdapter(Markdown).validate_python("# A heading with <b>HTML</b>")
    [error] = raised.value.errors()
    only = " not allowed here (only emphasis, code and links)"
    assert error["msg"] == f"Value error, headings are{only}; raw HTML is{only}"


def test_independent_origins_are_counted_once_and_listed_without_regard_to_case() -> None:
    result = check_root(FIXTURES / "minimal", TODAY)
    assert result.dataset is not None
    claim = result.dataset.claims["bridge-length"]
    source = claim.sources[0]
    sources = [
        source.model_copy(update={"publisher": "le Monde", "agency": None, "stance": "supports"}),
        source.model_copy(update={"publisher": "Libération", "agency": "afp", "stance": "contradicts"}),
        source.model_copy(update={"publisher": "Ouest-France", "agency": "AFP", "stance": "supports"}),
        source.model_copy(update={"publisher": "Reuters", "agency": None, "stance": "supports"}),
        source.model_copy(update={"publisher": "Background", "agency": None, "stance": "context"}),
    ]
    assert claim.model_copy(update={"sources": sources}).independent_origins() == ["afp", "le Monde", "Reuters"]


# -- validate ----------------------------------------------------------------------------------


def _root_problems(tmp_path: Path, path: str, old: str, new: str) -> list[str]:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / path).write_text((root / path).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return [f"{p.path}:{p.line}:{p.col} {p.code}: {p.message}" for p in check_root(root, TODAY).problems]


def test_a_source_dated_in_the_future_is_located_at_its_date(tmp_path: Path) -> None:
    problems = _root_problems(tmp_path, "claims/bridge-length.yml", 'date: "2024-12-01"', 'date: "2027-01-01"')
    located = "claims/bridge-length.yml:21:11 date-in-future: 'sources[0].date' is 2027-01-01, which is in the future"
    assert located in problems


def test_a_seed_whose_id_is_not_its_file_name_is_located_at_its_id(tmp_path: Path) -> None:
    problems = _root_problems(tmp_path, "seeds/demo.yml", "id: demo\n", "id: other\n")
    assert "seeds/demo.yml:1:5 id-mismatch: id 'other' differs from the file name 'demo.yml'" in problems
