"""Counts and dates in every language come from CLDR through Babel: the plural form a number takes,
the way a date is written, whatever the machine's time zone or locale."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from build_tools.cli import main
from build_tools.content.catalogue import Catalogue
from build_tools.content.resolve import check_root
from build_tools.site.templating import catalogue_functions
from conftest import FIXTURES, TODAY, copy_root

COUNTS = [0, 1, 2, 5, 21]


def _catalogues() -> dict[str, Catalogue]:
    result = check_root(FIXTURES / "trilingual", TODAY)
    assert result.dataset is not None, result.problems
    return result.dataset.catalogues


@pytest.mark.parametrize(
    ("code", "key", "written"),
    [
        ("en", "count", ["0 claims", "1 claim", "2 claims", "5 claims", "21 claims"]),
        # French puts 0 and 1 in the same form.
        ("fr", "count", ["0 affirmation", "1 affirmation", "2 affirmations", "5 affirmations", "21 affirmations"]),
        (
            "uk",
            "origins",
            [
                "0 незалежних першоджерел: A",  # many
                "1 незалежне першоджерело: A",  # one
                "2 незалежні першоджерела: A",  # few
                "5 незалежних першоджерел: A",  # many
                "21 незалежне першоджерело: A",  # one again: 21 ends in 1 but not 11
            ],
        ),
    ],
)
def test_a_count_takes_the_plural_form_cldr_gives_the_language(code: str, key: str, written: list[str]) -> None:
    t = catalogue_functions(_catalogues()[code])["t"]  # as the templates ask for it
    assert [str(t(key, n=n, names="A")) for n in COUNTS] == written


def test_ukrainian_has_its_four_forms_and_english_two() -> None:
    catalogues = _catalogues()
    assert list(catalogues["uk"].forms("count")) == ["one", "few", "many", "other"]
    assert catalogues["en"].forms("count") == {"one": "{n} claim", "other": "{n} claims"}
    assert catalogues["en"].forms("nav_home") == {"other": "Home"}  # a plain string is every form


def test_the_index_gives_the_browser_every_form_of_its_count(tmp_path: Path) -> None:
    root = copy_root(FIXTURES / "trilingual", tmp_path / "root")
    assert main(["build", "--root", str(root)]) == 0
    html = (root / "site/uk/claims/index.html").read_text(encoding="utf-8")
    [(forms, shown)] = re.findall(r"<p class=\"fc-count\"[^>]* data-forms='([^']*)'>([^<]*)</p>", html)
    assert shown == "2 твердження"
    assert '"many": "{n} \\u0442\\u0432\\u0435\\u0440\\u0434\\u0436\\u0435\\u043d\\u044c"' in forms


def _dates(site: Path) -> dict[str, list[str]]:
    """Every <time> element of the site, page by page."""
    return {
        str(page.relative_to(site)): re.findall(r"<time [^>]*>[^<]*</time>", page.read_text(encoding="utf-8"))
        for page in sorted(site.rglob("*.html"))
    }


def test_dates_are_the_same_at_either_end_of_the_day(tmp_path: Path, time_zone: pytest.MonkeyPatch) -> None:
    """UTC+14 and UTC-12, and a machine locale of another language: a date counted from a time of day,
    or written with the machine's locale, would come out a day apart or in the wrong language."""
    sites = []
    for zone, locale in (("Pacific/Kiritimati", "de_DE.UTF-8"), ("Etc/GMT+12", "C")):
        time_zone.setenv("TZ", zone)
        time_zone.setenv("LC_ALL", locale)
        time_zone.setenv("LANG", locale)
        time.tzset()
        root = copy_root(FIXTURES / "trilingual", tmp_path / zone.replace("/", "-"))
        assert main(["build", "--root", str(root)]) == 0
        sites.append(_dates(root / "site"))
    assert sites[0] == sites[1]
    claim = sites[0]["uk/claims/bridge-length/index.html"]
    assert '<time datetime="2025-01-12">12 січня 2025\u202fр.</time>' in claim
    assert '<time datetime="2024-12-01">1 décembre 2024</time>' in sites[0]["claims/bridge-length/index.html"]
    assert '<time datetime="2024-12-01">1 December 2024</time>' in sites[0]["en/claims/bridge-length/index.html"]


@pytest.mark.parametrize(
    ("iso", "code", "written"),
    [
        ("2025-01-01", "fr", "1 janvier 2025"),
        ("2025-12-31", "fr", "31 décembre 2025"),
        ("2025-01-01", "en", "1 January 2025"),  # the engine's English date_format: "d MMMM y"
        ("2024-02-29", "uk", "29 лютого 2024\u202fр."),  # no date_format: CLDR's long form for Ukrainian
    ],
)
def test_a_date_is_written_by_cldr(iso: str, code: str, written: str) -> None:
    assert _catalogues()[code].date(iso) == written


def _problems(tmp_path: Path, english: str) -> list[str]:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / "data/catalogues").mkdir()
    (root / "data/catalogues/en.yml").write_text(english, encoding="utf-8")
    return [f"{p.line}:{p.col} {p.code}: {p.message}" for p in check_root(root, TODAY).problems]


@pytest.mark.parametrize(
    ("english", "problem"),
    [
        (
            "count:\n  one: a\n  few: b\n  other: c\n",
            "3:3 unknown-field: 'few' is not a plural category of 'en' (the forms 'en' has: one, other)",
        ),
        (
            "count:\n  dozen: a\n  other: b\n",
            "2:3 unknown-field: 'dozen' is not a plural category (the forms 'en' has: one, other)",
        ),
        ("count:\n  one: '{n} claim'\n", "2:3 missing-field: 'count' needs an 'other' form, used for any count"),
        ("count:\n  one: 3\n  other: b\n", "2:8 wrong-type: 'count.one' should be text"),
        (
            "count:\n  one: '{m}'\n  other: b\n",
            "2:8 bad-placeholder: 'count.one' uses {m}; the values it can show: {n}",
        ),
        ("nav_home: {one: a, other: b}\n", "1:11 wrong-type: 'nav_home' should be text"),
        (
            "count: [a, b]\n",
            "1:8 wrong-type: 'count' should be text, or its plural forms by CLDR category (one, few, many, other…)",
        ),
    ],
)
def test_plural_forms_are_checked_form_by_form(tmp_path: Path, english: str, problem: str) -> None:
    assert _problems(tmp_path, english) == [problem]


def test_one_string_serves_every_count(tmp_path: Path) -> None:
    assert _problems(tmp_path, "count: 'Claims: {n}'\norigins: 'Origins ({n}): {names}'\n") == []


def test_any_string_showing_a_number_may_have_plural_forms(tmp_path: Path) -> None:
    """English has one form of 'Passage {n} of {total}'; a language may need several."""
    assert _problems(tmp_path, "passage_of:\n  one: 'Passage {n} of {total}'\n  other: 'Passages {n}'\n") == []
    catalogue = _catalogues()["en"]
    t = catalogue_functions(catalogue)["t"]
    assert [str(t("chart_label", n=n)) for n in (1, 2)] == [
        "The verdict of the 1 statement checked",
        "The verdicts of the 2 statements checked",
    ]
