"""Languages are data: a root in three languages builds a site whose switcher moves among the three,
interface strings come from one catalogue per language, and the records must hold every language."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.content.catalogue import ENGINE_CATALOGUES, REFERENCE
from build_tools.content.load import load_yaml_file
from conftest import FIXTURES, Run, built_site_scope, copy_root

LANGUAGES = ["fr", "en", "uk"]
PAGES = ["", "claims/", "claims/bridge-length/", "article/", "faq/", "timeline/", "options/", "sources/"]
PAGES += ["methodology/", "corrections/"]
SWITCH = re.compile(r'<a href="([^"]*)" hreflang="([a-z]+)" class="md-select__link"')


@pytest.fixture(scope=built_site_scope)
def trilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from build_tools.cli import main

    root = copy_root(FIXTURES / "trilingual", tmp_path_factory.mktemp("tri") / "root")
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


def _prefix(code: str) -> str:
    return "" if code == "fr" else f"{code}/"


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("page", PAGES)
def test_switcher_moves_among_the_three_languages(trilingual: Path, page: str, code: str) -> None:
    html = (trilingual / _prefix(code) / page / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{code}"' in html
    assert SWITCH.findall(html) == [(f"/{_prefix(other)}{page}", other) for other in LANGUAGES]
    for other in LANGUAGES:  # every link of the switcher leads to a built page
        assert (trilingual / _prefix(other) / page / "index.html").is_file()


def test_interface_strings_come_from_the_root_catalogue(trilingual: Path) -> None:
    html = (trilingual / "uk/claims/bridge-length/index.html").read_text(encoding="utf-8")
    assert '<h2 id="reasoning">Обґрунтування' in html
    assert 'Перевірено <time datetime="2025-01-12">12 січня 2025\u202fр.</time>' in html  # CLDR's Ukrainian date
    assert '<span lang="uk">міст має довжину 1200 метрів</span>' in html
    assert "<title>Міст має довжину 1200 метрів. - Демо</title>" in html


def test_csv_has_a_column_per_language(trilingual: Path) -> None:
    import csv

    with (trilingual / "opendata/claims.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert [name for name in header if name.startswith(("summary_", "claimant_"))] == [
        "summary_fr",
        "summary_en",
        "summary_uk",
        "claimant_fr",
        "claimant_en",
        "claimant_uk",
    ]


def test_engine_catalogues_have_every_key() -> None:
    keys = {}
    for path in sorted(ENGINE_CATALOGUES.glob("*.yml")):
        doc, problems = load_yaml_file(path.parent, path.name)
        assert doc is not None and problems == []
        keys[path.stem] = set(doc.data)
    assert REFERENCE in keys and len(keys) >= 2
    for code, found in keys.items():
        assert found == keys[REFERENCE], code


def test_a_language_without_catalogue_is_located(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "trilingual", tmp_path / "root")
    (root / "data/catalogues/uk.yml").unlink()
    run = cli("check", "--root", root)
    assert run.code == 0  # a warning: the language is shown in English until its catalogue is written
    assert run.err.splitlines() == [
        "data/site.yml:8:9: warning: no interface strings in 'uk' yet: every one is shown from 'en'; add "
        "data/catalogues/uk.yml with the keys it translates [untranslated]",
    ]


def test_an_incomplete_catalogue_names_the_untranslated_keys(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "trilingual", tmp_path / "root")
    path = root / "data/catalogues/uk.yml"
    path.write_text(re.sub(r"^(nav_faq|permalink): .*\n", "", path.read_text(encoding="utf-8"), flags=re.M))
    run = cli("check", "--root", root)
    assert run.code == 0  # a warning: the English strings stand in
    assert run.err.splitlines() == [
        "data/catalogues/uk.yml:1:1: warning: not translated into 'uk' yet, shown from 'en': nav_faq, permalink "
        "[untranslated]"
    ]


def test_every_record_needs_every_language(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "trilingual", tmp_path / "root")
    claim = root / "claims/good-news.yml"
    text = claim.read_text(encoding="utf-8")
    text = text.replace('  uk: "Це добра новина для регіону."\n', "  de: Das ist gut.\n")
    text = text.replace(', uk: "це «добра новина» для регіону"}', "}")
    claim.write_text(text, encoding="utf-8")
    run = cli("check", "--root", root)
    assert run.err.splitlines() == [
        "claims/good-news.yml:4:20: error: missing Українська (uk) translation of the quote [missing-translation]",
        "claims/good-news.yml:6:3: error: missing Українська (uk) text for 'summary' [missing-translation]",
        "claims/good-news.yml:8:3: error: 'de' is not a language of the site (fr, en, uk; see data/site.yml) "
        "[unknown-language]",
        "3 error(s); nothing was written",
    ]


def test_the_article_language_needs_no_quote_translation(minimal_root: Path, cli: Callable[..., Run]) -> None:
    claim = minimal_root / "claims/good-news.yml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace('quote_translation: {en: "', 'quote_translation: {fr: "x", en: "'), encoding="utf-8")
    run = cli("check", "--root", minimal_root)
    assert run.err.splitlines()[0] == (
        "claims/good-news.yml:4:21: error: 'fr' is the article's own language [unknown-language]"
    )


def test_scaffold_writes_every_language(tmp_path: Path, cli: Callable[..., Run]) -> None:
    assert cli("init", tmp_path / "new", "--language", "en=Checks", "--language", "de=Prüfungen").code == 0
    site = (tmp_path / "new/data/site.yml").read_text(encoding="utf-8")
    assert "code: en" in site and "code: de" in site
    run = cli("check", "--root", tmp_path / "new")
    # The engine has no German defaults: every German text is a placeholder that check points at.
    errors = run.err.splitlines()[:-1]
    assert errors and all("replace the placeholder 'TODO' with real text [bad-value]" in line for line in errors)
    assert {line.split(":")[0] for line in errors} == {
        "data/site.yml", "data/topics.yml", "data/verdicts.yml", "claims/example-opinion.yml"
    }  # fmt: skip
    assert all(".de'" in line for line in errors if not line.startswith("data/site.yml"))
    bad = cli("init", tmp_path / "other", "--language", "english=Checks")
    assert (bad.code, bad.err) == (2, "error: --language takes CODE=NAME, a two-letter code and the site's name\n")
