"""A fourth language with a handful of translated interface strings builds: every other string is
shown from its fallback (English, or the language its entry names), and check lists the
untranslated keys in a warning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_tools.content.catalogue import reference_keys
from build_tools.content.resolve import check_root
from conftest import FIXTURES, TODAY, Run, built_site_scope, copy_root

# The handful of keys the German catalogue translates.
GERMAN = """\
nav_home: Startseite
nav_claims: Aussagen
claims: Geprüfte Aussagen
count:
  one: "{n} Aussage"
  other: "{n} Aussagen"
reasoning: Begründung
reviewed_on: "Geprüft am {date}"
"""
TRANSLATED = {"nav_home", "nav_claims", "claims", "count", "reasoning", "reviewed_on"}


def _with_language(value: Any, code: str) -> Any:
    """``value`` with a text in ``code`` beside every text in English and Ukrainian: the English one,
    as these tests are about the interface strings, not the records' words."""
    if isinstance(value, list):
        return [_with_language(item, code) for item in value]
    if not isinstance(value, dict):
        return value
    found = {key: _with_language(item, code) for key, item in value.items()}
    if isinstance(found.get("en"), str) and isinstance(found.get("uk"), str):
        found[code] = found["en"]
    return found


def german_root(target: Path, site_entry: str = "", code: str = "de") -> Path:
    """The three-language fixture with German (under ``code``) as a fourth language, and its few
    German strings."""
    root = copy_root(FIXTURES / "trilingual", target)
    for path in sorted([*root.glob("claims/*.yml"), *root.glob("data/*.yml")]):
        data = _with_language(yaml.safe_load(path.read_text(encoding="utf-8")), code)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    site = root / "data/site.yml"
    text = site.read_text(encoding="utf-8")
    entry = f"- code: {code}\n  name: Deutsch\n  site_name: Demo\n" + site_entry
    site.write_text(text.replace("key_findings:", entry + "key_findings:"), encoding="utf-8")
    (root / f"data/pages/home.{code}.md").write_text((root / "data/pages/home.en.md").read_text(encoding="utf-8"))
    (root / f"data/catalogues/{code}.yml").write_text(GERMAN, encoding="utf-8")
    return root


@pytest.fixture(scope=built_site_scope)
def german(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The German root, built once."""
    from build_tools.cli import main

    root = german_root(tmp_path_factory.mktemp("de") / "root")
    assert main(["build", "--root", str(root)]) == 0
    return root


def test_check_lists_the_untranslated_keys_as_a_warning(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = german_root(tmp_path / "root")
    run = cli("check", "--root", root)
    untranslated = sorted(reference_keys() - TRANSLATED - {"date_format"})
    assert "nav_faq" in untranslated and "origins" in untranslated and "nav_home" not in untranslated
    assert (run.code, run.out) == (0, "ok: 2 claim(s), 1 seed article(s)\n")
    assert run.err.splitlines() == [
        "data/catalogues/de.yml:1:1: warning: not translated into 'de' yet, shown from 'en': "
        f"{', '.join(untranslated)} [untranslated]"
    ]


def test_the_fourth_language_builds_in_its_words_and_english(german: Path) -> None:
    root = german
    index = (root / "site/de/claims/index.html").read_text(encoding="utf-8")
    assert '<html lang="de"' in index
    assert ">2 Aussagen</p>" in index  # its own plural forms
    claim = (root / "site/de/claims/bridge-length/index.html").read_text(encoding="utf-8")
    assert ">Begründung" in claim
    # A date in CLDR's German, though the catalogue says nothing of dates.
    assert 'Geprüft am <time datetime="2025-01-12">12. Januar 2025</time>' in claim
    # Untranslated: English, as the warning says.
    assert "1 independent origin: Registre des ouvrages" in claim
    assert "Related claims" in claim
    for code in ("", "en/", "uk/"):  # the three others are as they were
        assert (root / f"site/{code}claims/bridge-length/index.html").is_file()


def test_a_language_falls_back_on_the_one_its_entry_names(tmp_path: Path) -> None:
    root = german_root(tmp_path / "root", "  fallback: fr\n")
    result = check_root(root, TODAY)
    assert result.dataset is not None
    german = result.dataset.catalogues["de"]
    assert german.text("nav_faq") == "Questions fréquentes"  # French, the fallback named
    assert (german.text("count", 1), german.text("count", 2)) == ("{n} Aussage", "{n} Aussagen")  # its own
    assert german.date("2025-01-12") == "12. Januar 2025"  # its own dates, never the fallback's
    [warning] = result.problems
    assert (warning.severity, warning.code) == ("warning", "untranslated")
    assert warning.message.startswith("not translated into 'de' yet, shown from 'fr': ")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            "  fallback: de\n",
            "data/site.yml:14:13: error: 'de' cannot fall back on itself; name another language [bad-value]",
        ),
        (
            "  fallback: it\n",
            "data/site.yml:14:13: error: no interface strings for 'it' to fall back on: the engine ships en, fr, a "
            "root adds data/catalogues/it.yml [missing-catalogue]",
        ),
        (
            "  fallback: IT\n",
            "data/site.yml:14:13: error: 'languages[3].fallback' is 'IT'; expected a two-letter language code such "
            "as 'fr' or 'en' [bad-format]",
        ),
    ],
)
def test_a_fallback_is_a_language_with_strings(
    tmp_path: Path, cli: Callable[..., Run], entry: str, problem: str
) -> None:
    root = german_root(tmp_path / "root", entry)
    run = cli("check", "--root", root)
    assert run.code == 1
    assert run.err.splitlines() == [problem, "1 error(s); nothing was written"]


def test_a_language_cldr_does_not_know_is_located(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = german_root(tmp_path / "root", code="qq")
    run = cli("check", "--root", root)
    assert run.err.splitlines() == [
        "data/site.yml:11:9: error: Babel's CLDR data has no language 'qq': its dates and plural forms cannot be "
        "written [unknown-language]",
        "1 error(s); nothing was written",
    ]
