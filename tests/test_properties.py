"""Whatever bytes or YAML a contributor sends, `check` answers with problems, never a traceback."""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from build_tools.cli import EXIT_INTERNAL, main
from build_tools.content.load import load_yaml_text
from conftest import FIXTURES, TODAY, copy_root

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Each example of the claim properties runs a whole check of the fixture root.
CLAIM_SETTINGS = settings(SETTINGS, max_examples=120)


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_loader(raw: bytes) -> None:
    text = raw.decode("utf-8", errors="replace")
    doc, problems = load_yaml_text(text, "f.yml")
    assert (doc is None) == bool(problems)
    assert all(p.path == "f.yml" and p.line >= 1 for p in problems)


@SETTINGS
@given(st.text(max_size=200))
def test_random_text_never_crashes_the_loader(text: str) -> None:
    doc, problems = load_yaml_text(text, "f.yml")
    assert (doc is None) == bool(problems)


def _check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--root", str(root)])
    return code, err.getvalue()


# Complete claims for the fixture root: every field drawn, each rule satisfied by construction.
FIXTURE = FIXTURES / "minimal"
SEED = (FIXTURE / "seeds/demo.txt").read_text(encoding="utf-8")
SEED_WORDS = [match.span() for match in re.finditer(r"\S+", SEED)]
TAKEN_QUOTES = {"le pont mesure 1 200 mètres", 'c\'est "une bonne nouvelle" pour la région'}
SCALE = {
    verdict["id"]: verdict["requires_sources"]
    for verdict in yaml.safe_load((FIXTURE / "data/verdicts.yml").read_text(encoding="utf-8"))["verdicts"]
}
TOPICS = [topic["id"] for topic in yaml.safe_load((FIXTURE / "data/topics.yml").read_text(encoding="utf-8"))["topics"]]
OTHER_CLAIMS = ["bridge-length", "good-news"]
EXTREMES = {"accurate", "inaccurate"}  # the best and worst rated verdicts of the fixture's scale
REQUIRED = [
    "id", "seed", "quote", "quote_translation", "summary", "claimant", "topic", "verdict", "conclusion",
    "rationale", "reviewed_on", "history",
]  # fmt: skip
EARLIEST = date(2020, 1, 1)
ARTICLE = date(2025, 1, 10)  # the seed's publication: no review or verdict of it is dated before

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçôÉ ABCXYZ0123456789.,;:!?'-’«»", min_size=1, max_size=40)
texts = words.filter(lambda text: bool(text.strip()) and "TODO" not in text)
localized = st.fixed_dictionaries({"fr": texts, "en": texts})
# Markdown fields: prose that cannot open a list, a heading, a link or HTML.
prose = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçô ABCXYZ,;'’«»?", min_size=1, max_size=40)
localized_markdown = st.fixed_dictionaries({"fr": prose.filter(str.strip), "en": prose.filter(str.strip)})
slugs = st.from_regex(r"[a-z]{2,8}(-[a-z0-9]{1,5}){0,2}", fullmatch=True).filter(lambda s: s not in OTHER_CLAIMS)


def _dates(latest: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=EARLIEST, max_value=latest)


@st.composite
def valid_claims(draw: st.DrawFn) -> dict[str, Any]:
    first, last = sorted(draw(st.tuples(*[st.integers(0, len(SEED_WORDS) - 1)] * 2)))
    quote = SEED[SEED_WORDS[first][0] : SEED_WORDS[last][1]]
    assume(quote.strip() not in TAKEN_QUOTES)
    verdict = draw(st.sampled_from(sorted(SCALE)))
    reviewed_on = draw(st.dates(min_value=ARTICLE, max_value=TODAY - timedelta(days=1)))
    history_dates = sorted(draw(st.lists(st.dates(min_value=ARTICLE, max_value=TODAY), min_size=1, max_size=3)))
    history = [
        {"date": str(day), "verdict": draw(st.sampled_from(sorted(SCALE))), "note": draw(localized_markdown)}
        for day in history_dates
    ]
    history[-1]["verdict"] = verdict
    source = st.fixed_dictionaries(
        {
            "title": st.one_of(st.none(), texts),
            "publisher": texts,
            "date": _dates(reviewed_on).map(str),
            "url": slugs.map(lambda slug: f"https://example.org/{slug}"),
            "quote": texts,
            "language": st.sampled_from(["fr", "en", "ru"]),
            "stance": st.sampled_from(["supports", "contradicts", "context"]),
        },
        optional={"archive_url": slugs.map(lambda slug: f"https://web.archive.org/{slug}")},
    )
    claim: dict[str, Any] = {
        "id": draw(slugs),
        "seed": "demo",
        "quote": quote,
        "quote_translation": {"en": draw(texts)},
        "summary": draw(localized),
        "claimant": draw(localized),
        "topic": draw(st.sampled_from(TOPICS)),
        "verdict": verdict,
        "conclusion": draw(localized),
        "rationale": draw(localized_markdown),
        "sources": draw(st.lists(source, min_size=1 if SCALE[verdict] else 0, max_size=3)),
        "reviewed_on": str(reviewed_on),
        "related": draw(st.lists(st.sampled_from(OTHER_CLAIMS), unique=True)),
        "history": history,
    }
    if verdict in EXTREMES:
        # An "accurate" or "inaccurate" verdict rests on two independent origins, or check warns.
        claim["sources"] += [
            {**_source(), "publisher": f"Origin {n}", "stance": "supports", "url": f"https://example.org/o{n}"}
            for n in (1, 2)
        ]
    if draw(st.booleans()):
        claim["claimed_on"] = str(draw(_dates(TODAY)))
    return claim


def _check_claim(claim: dict[str, Any], stem: str) -> tuple[int, list[dict[str, Any]]]:
    """Run `check` on the fixture with the claim as claims/<stem>.yml: the exit code and the problems.

    The file is written as JSON, whose strings are always quoted: a text such as 0e0 stays a text (the
    loader reads plain 0e0 as a number, as YAML 1.2 does, where yaml.safe_dump writes it unquoted)."""
    root = _fresh()
    path = root / f"claims/{stem}.yml"
    path.write_text(json.dumps(claim, ensure_ascii=False, indent=2), encoding="utf-8")  # JSON is YAML
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--root", str(root), "--format", "json"])
    finally:
        path.unlink()
    assert code != EXIT_INTERNAL, err.getvalue()
    return code, json.loads(out.getvalue())


@CLAIM_SETTINGS
@given(claim=valid_claims())
def test_complete_valid_claims_pass(claim: dict[str, Any]) -> None:
    assert _check_claim(claim, claim["id"]) == (0, [])


def _later(day: str, days: int) -> str:
    return str(date.fromisoformat(day) + timedelta(days=days))


def _drop(field: str) -> Callable[[dict[str, Any]], object]:
    return lambda claim: claim.pop(field)


# Each mutation breaks one rule of a valid claim; the second item is the only code check may report.
MUTATIONS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    **{f"drop {field}": (_drop(field), "missing-field") for field in REQUIRED},
    "drop a translation": (lambda c: c["summary"].pop("en"), "missing-translation"),
    "drop the quote's translation": (lambda c: c["quote_translation"].pop("en"), "missing-translation"),
    "a language the site does not have": (lambda c: c["conclusion"].update(de="x"), "unknown-language"),
    "a conclusion too long": (lambda c: c["conclusion"].update(fr="x" * 201), "too-long"),
    "a tracking parameter": (
        lambda c: c.update(sources=[{**(c["sources"] or [_source()])[0], "url": "https://example.org/a?utm_source=x"}]),
        "bad-value",
    ),
    "drop a Markdown translation": (lambda c: c["rationale"].pop("fr"), "missing-translation"),
    "add a field": (lambda c: c.update(notes="x"), "unknown-field"),
    "date as a number": (lambda c: c.update(reviewed_on=2025), "wrong-type"),
    "impossible date": (lambda c: c.update(claimed_on="2025-02-30"), "bad-value"),
    "id not a slug": (lambda c: c.update(id="Not_A_Slug"), "bad-format"),
    "id not the file name": (lambda c: c.update(id=c["id"] + "-copy"), "id-mismatch"),
    "review in the future": (lambda c: c.update(reviewed_on=_later(str(TODAY), 1)), "date-in-future"),
    "history in the future": (lambda c: c["history"][-1].update(date=_later(str(TODAY), 30)), "date-in-future"),
    "review before its sources": (
        lambda c: c.update(
            sources=[{**source, "date": _later(c["reviewed_on"], 1)} for source in c["sources"] or [_source()]]
        ),
        "source-after-review",
    ),
    "a verdict dated before the article": (lambda c: c["history"][0].update(date="2025-01-09"), "before-article"),
    "history out of order": (
        lambda c: c["history"].append({**c["history"][-1], "date": _later(c["history"][-1]["date"], -1)}),
        "history-order",
    ),
    "verdict changed without history": (
        lambda c: c["history"][-1].update(verdict=next(v for v in sorted(SCALE) if v != c["verdict"])),
        "verdict-without-history",
    ),
    "empty history": (lambda c: c.update(history=[]), "too-short"),
    "unknown verdict": (
        lambda c: (c.update(verdict="made-up"), c["history"][-1].update(verdict="made-up")),
        "unknown-verdict",
    ),
    "unknown topic": (lambda c: c.update(topic="no-such-topic"), "unknown-topic"),
    "unknown related claim": (lambda c: c.update(related=["no-such-claim"]), "unknown-claim"),
    "related to itself": (lambda c: c.update(related=[c["id"]]), "self-reference"),
    "quote not in the seed": (lambda c: c.update(quote="zzz " + c["quote"]), "quote-not-found"),
    "sourced verdict without source": (
        lambda c: (c.update(verdict="accurate", sources=[]), c["history"][-1].update(verdict="accurate")),
        "no-source",
    ),
    "quote checked twice": (lambda c: c.update(quote="le pont mesure 1 200 mètres"), "duplicate-quote"),
    "placeholder": (lambda c: c["claimant"].update(fr="TODO"), "bad-value"),
}


def _source() -> dict[str, Any]:
    return {
        "title": None,
        "publisher": "P",
        "date": "2020-01-01",
        "url": "https://example.org/s",
        "quote": "Q",
        "language": "fr",
        "stance": "context",
    }


@CLAIM_SETTINGS
@given(claim=valid_claims(), mutation=st.sampled_from(sorted(MUTATIONS)))
def test_each_single_mutation_fails_with_its_code(claim: dict[str, Any], mutation: str) -> None:
    stem = claim["id"]
    mutate, expected = MUTATIONS[mutation]
    mutate(claim)
    code, problems = _check_claim(claim, stem)
    assert code == 1
    assert {problem["code"] for problem in problems} == {expected}


@CLAIM_SETTINGS
@given(claim=valid_claims(), field=st.sampled_from([*REQUIRED, "sources", "related", "claimed_on"]), value=documents)
def test_any_value_in_any_field_gets_an_answer(claim: dict[str, Any], field: str, value: object) -> None:
    stem = claim["id"]
    claim[field] = value
    code, problems = _check_claim(claim, stem)
    assert code in (0, 1)
    assert all(problem["line"] >= 0 for problem in problems)


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_a_claim_file(raw: bytes) -> None:
    root = _fresh()
    (root / "claims/random.yml").write_bytes(raw)
    code, err = _check(root)
    assert code == 1, err  # 3 would be a crash


_ROOT: list[Path] = []


def _fresh() -> Path:
    """One scratch copy of the fixture reused across examples; only claims/random.yml changes."""
    if not _ROOT:
        import tempfile

        _ROOT.append(copy_root(FIXTURES / "minimal", Path(tempfile.mkdtemp()) / "root"))
    random_claim = _ROOT[0] / "claims/random.yml"
    random_claim.unlink(missing_ok=True)
    return _ROOT[0]


def teardown_module() -> None:
    for root in _ROOT:
        shutil.rmtree(root.parent, ignore_errors=True)
    _ROOT.clear()  # a runner that runs the module again in this process (mutmut) gets a new copy


markdown_pieces = st.sampled_from(
    [*"ab :/.()[]!<>*_`#-+=~&\\\n 1\t\r\x0b\x0c", "https://e.org/x", "](", "  \n", "[a](", "![a](", "1)", "10.", "    "]
)
markdownish = st.lists(markdown_pieces, max_size=25).map("".join)


@SETTINGS
@given(markdownish)
def test_markdown_fast_path_never_accepts_what_the_parser_refuses(text: str) -> None:
    from build_tools.content.markup import markdown_problems, parsed_markdown_problems

    if not parsed_markdown_problems(text):
        return
    assert markdown_problems(text) != []


FOLDABLE = "ab \u00ab\u00bb\u201c\u201d\"' \u00a0\u2019\t\n\u00a8\uff21-\u2014\u00e9\u0301"


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list(FOLDABLE)), max_size=40))
def test_normalize_and_fold_agree(text: str) -> None:
    from build_tools.content.quotes import fold, normalize

    result = normalize(text)
    assert result.folded == fold(text)
    assert len(result.offsets) == len(result.folded)
    assert list(result.offsets) == sorted(result.offsets)
