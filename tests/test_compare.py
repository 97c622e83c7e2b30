"""`check --base`: corrections discipline, stale translations and removed claims, in a real git repository."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run

B = "claims/bridge-length.yml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


NEW_ENTRY = """  - date: "2025-01-12"
    verdict: inaccurate
    note:
      fr: Le registre contredit le ministre.
      en: The register contradicts the minister.
"""


def test_verdict_changed_without_history(repo: Path, cli: Callable[..., Run]) -> None:
    _edit(repo, B, "verdict: mostly-accurate\nrationale", "verdict: inaccurate\nrationale")
    run = cli("check", "--root", repo, "--base", "HEAD")
    assert run.code == 1
    assert run.err.splitlines() == [
        f"{B}:14:10: error: verdict changed from 'mostly-accurate' (at HEAD) to 'inaccurate' without a new history "
        "entry; add one that explains the correction [verdict-changed-silently]",
        f"{B}:14:10: error: verdict is 'inaccurate' but the last history entry says 'mostly-accurate'; add a history "
        "entry that records the change [verdict-without-history]",
        f"{B}:19:3: warning: 'inaccurate' rests on fewer than two independent origins (Registre des ouvrages); "
        "cite a second "
        "where one exists (pages that republish one agency's story count once) [single-origin]",
        "2 error(s); nothing was written",
    ]


def test_recorded_correction_passes_and_is_summarised(repo: Path, cli: Callable[..., Run], tmp_path: Path) -> None:
    _edit(repo, B, "verdict: mostly-accurate\nrationale", "verdict: inaccurate\nrationale")
    _edit(repo, B, "conclusion:", NEW_ENTRY + "conclusion:")
    _edit(
        repo,
        B,
        "    stance: supports\n",
        "    stance: supports\n  - title: Autre\n    publisher: P\n"
        '    date: "2025-01-02"\n    url: https://example.org/other\n    quote: Q\n    language: fr\n'
        "    stance: contradicts\n",
    )
    (repo / "claims/good-news.yml").unlink()
    _edit(repo, B, "related: [good-news]", "related: []")
    for rel, old, new in [("data/options.yml", "claims: [good-news]", "claims: [bridge-length]")]:
        _edit(repo, rel, old, new)
    _edit(
        repo,
        "data/options.yml",
        "seed: demo\n    quote: c’est « une bonne nouvelle » pour la région",
        "seed: demo\n    quote: le pont mesure 1 200 mètres",
    )
    summary = tmp_path / "summary.md"
    run = cli("check", "--root", repo, "--base", "HEAD", "--summary", summary)
    assert (run.code, run.err) == (0, "")
    assert summary.read_text(encoding="utf-8") == (
        "### Fact-check changes since `HEAD`\n\n"
        "- Claims added (0): none\n"
        "- Claims removed (1): `good-news`\n"
        "- Claims edited (1): `bridge-length`\n"
        "- Verdicts changed (1):\n"
        "  - `bridge-length`: mostly-accurate → inaccurate\n"
        "- Sources added: 1 (`bridge-length` +1)\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  fr: Le pont mesure 1 200 mètres.",
            "  fr: Le pont mesure 1 180 mètres.",
            f"{B}:8:7: warning: the 'fr' text changed but the 'en' one did not; update the translation (or "
            "confirm it still says the same) [stale-translation]",
        ),
        (
            "  en: The minister\n",
            "  en: The Minister of Works\n",
            f"{B}:10:7: warning: the 'en' text changed but the 'fr' one did not; update the translation (or "
            "confirm it still says the same) [stale-translation]",
        ),
        (
            "note: {fr: Publication., en: Published.}",
            "note: {fr: Publication initiale., en: Published.}",
            f"{B}:30:5: warning: published history entries are a record: add a new entry instead of editing this one "
            "[history-rewritten]",
        ),
    ],
)
def test_warnings(repo: Path, cli: Callable[..., Run], old: str, new: str, expected: str) -> None:
    _edit(repo, B, old, new)
    run = cli("check", "--root", repo, "--base", "HEAD")
    assert run.code == 0
    assert expected in run.err.splitlines()


def test_removed_claim_still_referenced(repo: Path, cli: Callable[..., Run]) -> None:
    (repo / "claims/good-news.yml").unlink()
    run = cli("check", "--root", repo, "--base", "HEAD")
    assert run.code == 1
    assert (
        f"{B}:28:11: error: claim 'good-news' is removed by this change (it exists at HEAD) but is still "
        "referenced here [removed-claim-referenced]" in run.err.splitlines()
    )


def test_unknown_base_is_a_usage_error(repo: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", "--root", repo, "--base", "no-such-branch")
    assert run.code == 2 and run.err.startswith("error: cannot read no-such-branch:")
