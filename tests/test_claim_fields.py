"""The fields a reader sees first and the addresses sources are cited by: each rule located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.content.fields import CONCLUSION_MAX
from conftest import Run

B = "claims/bridge-length.yml"


def _replace(root: Path, old: str, new: str) -> None:
    path = root / B
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_claim_needs_a_conclusion(minimal_root: Path, cli: Callable[..., Run]) -> None:
    path = minimal_root / B
    path.write_text(
        "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if "conclusion" not in line)
    )
    run = cli("check", "--root", minimal_root)
    assert run.err.splitlines() == [
        f"{B}:2:1: error: missing required field 'conclusion' [missing-field]",
        "1 error(s); nothing was written",
    ]


def test_a_conclusion_is_one_short_sentence(minimal_root: Path, cli: Callable[..., Run]) -> None:
    long = "x" * (CONCLUSION_MAX + 1)
    _replace(minimal_root, "According to the register, 1,180 metres", long)
    run = cli("check", "--root", minimal_root)
    [error, _] = run.err.splitlines()
    assert error == f"{B}:38:96: error: 'conclusion.en' is longer than {CONCLUSION_MAX} characters [too-long]"
    fits = ("y" * 9 + " ") * (CONCLUSION_MAX // 10 - 1) + "y" * 10  # words of ten letters, to the limit
    _replace(minimal_root, long + ": a little less than the 1,200 stated.", fits)
    assert cli("check", "--root", minimal_root).code == 0


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?sessionId=901b9eff", "sessionId"),
        ("?id=4&utm_source=x&utm_medium=y", "utm_source, utm_medium"),
        ("?fbclid=IwAR0", "fbclid"),
        ("?q=1&gclid=abc", "gclid"),
        ("?p=2&fbclid=", "fbclid"),  # a parameter left blank still marks the click
        ("?UTM_Source=x&SID=7", "UTM_Source, SID"),  # names are compared without case
    ],
)
def test_session_and_tracking_parameters_are_refused(
    minimal_root: Path, cli: Callable[..., Run], query: str, names: str
) -> None:
    _replace(minimal_root, "    url: https://example.org/bridge\n", f"    url: https://example.org/bridge{query}\n")
    run = cli("check", "--root", minimal_root)
    assert run.err.splitlines() == [
        f"{B}:22:10: error: 'sources[0].url': 'https://example.org/bridge{query}' carries a session or tracking "
        f"parameter ({names}); cite the address without it [bad-value]",
        "1 error(s); nothing was written",
    ]


def test_a_query_that_names_the_page_is_kept(minimal_root: Path, cli: Callable[..., Run]) -> None:
    _replace(minimal_root, "    url: https://example.org/bridge\n", "    url: https://example.org/bridge?id=4&p=2\n")
    assert cli("check", "--root", minimal_root).code == 0


def test_the_agency_a_page_republishes_is_recorded(minimal_root: Path, cli: Callable[..., Run]) -> None:
    _replace(minimal_root, "    archive_url:", "    agency: AFP\n    archive_url:")
    assert cli("check", "--root", minimal_root).code == 0
    _replace(minimal_root, "    agency: AFP\n", "    agency: ''\n")
    assert "'sources[0].agency': text is empty [bad-value]" in cli("check", "--root", minimal_root).err


def _make_accurate(root: Path) -> None:
    _replace(root, "verdict: mostly-accurate\nrationale", "verdict: accurate\nrationale")
    _replace(root, "    verdict: mostly-accurate\n", "    verdict: accurate\n")


SECOND = """  - title: Autre fiche
    publisher: {publisher}
    agency: {agency}
    date: "2024-12-02"
    url: https://example.org/other
    quote: "1 180 m"
    language: fr
    stance: supports
reviewed_on"""


@pytest.mark.parametrize(
    ("publisher", "agency", "warned"),
    [
        ("Le Quotidien", "Registre des ouvrages", True),  # the same origin, republished
        ("Le Quotidien", "AFP", False),  # a second, independent origin
    ],
)
def test_an_accurate_verdict_needs_two_independent_origins(
    minimal_root: Path, cli: Callable[..., Run], publisher: str, agency: str, warned: bool
) -> None:
    _make_accurate(minimal_root)
    run = cli("check", "--root", minimal_root)
    warning = (
        f"{B}:19:3: warning: 'accurate' rests on fewer than two independent origins (Registre des ouvrages); cite "
        "a second where one exists (pages that republish one agency's story count once) [single-origin]"
    )
    assert (run.code, run.err.splitlines()) == (0, [warning])
    _replace(minimal_root, "reviewed_on", SECOND.format(publisher=publisher, agency=agency))
    run = cli("check", "--root", minimal_root)
    assert (run.code, run.err.splitlines()) == (0, [warning] if warned else [])
