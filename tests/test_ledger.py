"""The source ledger as ``check`` reads it: validated, and a claim whose source changed after its
review is pointed out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from build_tools.checks.links import collect_links
from build_tools.content.dataset import Dataset
from build_tools.content.ledger import (
    LEDGER_FILE,
    Ledger,
    LedgerEntry,
    Verification,
    ledger_text,
    quote_key,
    status_changes,
    verification,
)
from build_tools.content.resolve import check_root
from build_tools.site.opendata import open_data
from build_tools.site.pages import render_site
from conftest import Run, git

BRIDGE = "https://example.org/bridge"
BRIDGE_QUOTE = "Longueur : 1 180 m"  # tests/fixtures/minimal/claims/bridge-length.yml, reviewed 2025-01-12


def _ledger(root: Path, *entries: LedgerEntry) -> None:
    (root / LEDGER_FILE).write_text(ledger_text(list(entries)), encoding="utf-8")


def _entry(status: str, status_on: str | None, **fields: object) -> LedgerEntry:
    return LedgerEntry.model_validate(
        {"address": BRIDGE, "quote": quote_key(BRIDGE_QUOTE), "status": status, "status_on": status_on, **fields}
    )


def test_a_source_that_changed_after_the_review_is_a_warning(minimal_root: Path, cli: Callable[..., Run]) -> None:
    _ledger(minimal_root, _entry("changed", "2025-03-01", present_on="2025-01-10", closest="Longueur : 1 190 m"))
    run = cli("check", "--root", minimal_root)
    assert run.code == 0
    assert run.err.splitlines() == [
        f"claims/bridge-length.yml:22:10: warning: {BRIDGE} → changed since 2025-03-01, after the claim's review on "
        f"2025-01-12 ({LEDGER_FILE}); read the source again and review the claim [source-changed]"
    ]


def test_a_change_the_review_already_saw_is_not(minimal_root: Path, cli: Callable[..., Run]) -> None:
    _ledger(minimal_root, _entry("gone", "2025-01-12"))
    assert cli("check", "--root", minimal_root).err == ""
    _ledger(minimal_root, _entry("present", "2025-03-01", present_on="2025-03-01"))
    assert cli("check", "--root", minimal_root).err == ""


def test_the_dataset_carries_the_ledger(minimal_root: Path) -> None:
    _ledger(minimal_root, _entry("unverified", None))
    dataset = check_root(minimal_root).dataset
    assert dataset is not None and dataset.ledger is not None
    assert [entry.status for entry in dataset.ledger.citations] == ["unverified"]
    (minimal_root / LEDGER_FILE).unlink()
    dataset = check_root(minimal_root).dataset
    assert dataset is not None and dataset.ledger is None  # the ledger is optional


def test_the_ledger_is_validated(minimal_root: Path, cli: Callable[..., Run]) -> None:
    (minimal_root / LEDGER_FILE).write_text(
        f"citations:\n  - {{address: '{BRIDGE}', quote: ABC, status: stale, status_on: '2025-13-01'}}\n",
        encoding="utf-8",
    )
    assert cli("check", "--root", minimal_root).err.splitlines() == [
        f"{LEDGER_FILE}:2:52: error: 'citations[0].quote' is 'ABC'; expected text matching "
        "^[0-9a-f]{16}$ [bad-format]",
        f"{LEDGER_FILE}:2:65: error: 'citations[0].status' must be 'present', 'changed', 'moved', 'gone', "
        "'unreadable', 'unreachable' or 'unverified', not 'stale' [bad-value]",
        f"{LEDGER_FILE}:2:83: error: 'citations[0].status_on': '2025-13-01' is not a real calendar date [bad-value]",
        "3 error(s); nothing was written",
    ]


def test_each_citation_once_with_the_dates_its_status_needs(minimal_root: Path, cli: Callable[..., Run]) -> None:
    key = quote_key(BRIDGE_QUOTE)
    (minimal_root / LEDGER_FILE).write_text(
        "citations:\n"
        f"  - {{address: '{BRIDGE}', quote: {key}, status: present, status_on: '2025-01-10'}}\n"
        f"  - {{address: '{BRIDGE}', quote: {key}, status: gone}}\n",
        encoding="utf-8",
    )
    errors = cli("check", "--root", minimal_root).err.splitlines()
    assert errors == [
        f"{LEDGER_FILE}:2:5: error: a present quote has a present_on date [ledger-date]",
        f"{LEDGER_FILE}:3:5: error: citation 1 is the same [duplicate-citation]",
        f"{LEDGER_FILE}:3:78: error: status_on is missing [ledger-date]",
        "3 error(s); nothing was written",
    ]


def _rendered(dataset: Dataset, lang: str) -> str:
    page = render_site(dataset)[lang].pages["claims/bridge-length.md"]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page.before + page.after))


def test_the_claim_page_says_when_its_sources_were_last_verified(minimal_root: Path) -> None:
    _ledger(minimal_root, _entry("present", "2025-01-10", present_on="2025-02-03"))
    dataset = check_root(minimal_root).dataset
    assert dataset is not None
    english, french = _rendered(dataset, "en"), _rendered(dataset, "fr")
    assert (
        "Sources last verified on 3 February 2025; quoted passages: 1, checked: 1, still on their pages: 1." in english
    )
    assert (
        "Sources vérifiées pour la dernière fois le 3 février 2025 ; passages cités : 1, vérifiés : 1, "
        "encore sur leur page : 1." in french
    )
    assert "(archived copy)" in english and "(copie archivée)" in french
    _ledger(minimal_root, _entry("changed", "2025-03-01", present_on="2025-01-10"))
    dataset = check_root(minimal_root).dataset
    assert dataset is not None
    assert (
        "Sources last verified on 1 March 2025; quoted passages: 1, checked: 1, still on their pages: 0."
        in _rendered(dataset, "en")
    )


def test_a_page_whose_sources_were_never_watched_says_nothing_of_it(minimal_root: Path) -> None:
    _ledger(minimal_root, _entry("unverified", None))
    dataset = check_root(minimal_root).dataset
    assert dataset is not None and "last verified" not in _rendered(dataset, "en")
    (minimal_root / LEDGER_FILE).unlink()
    dataset = check_root(minimal_root).dataset
    assert dataset is not None and "last verified" not in _rendered(dataset, "en")
    assert "opendata/ledger.json" not in open_data(dataset)


def test_the_open_data_carry_the_ledger(minimal_root: Path) -> None:
    _ledger(minimal_root, _entry("gone", "2025-03-01", detail="not found (404)"))
    dataset = check_root(minimal_root).dataset
    assert dataset is not None
    assert json.loads(open_data(dataset)["opendata/ledger.json"]) == {
        "citations": [
            {
                "address": BRIDGE,
                "quote": quote_key(BRIDGE_QUOTE),
                "status": "gone",
                "status_on": "2025-03-01",
                "detail": "not found (404)",
            }
        ]
    }


def test_quotes_never_checked_are_counted_apart(minimal_root: Path) -> None:
    dataset = check_root(minimal_root).dataset
    assert dataset is not None
    claim = dataset.claims["bridge-length"]
    source = claim.sources[0]
    other = source.model_copy(update={"url": "https://example.org/other", "quote": "Une autre phrase"})
    twice = claim.model_copy(update={"sources": [source, other, source]})
    ledger = Ledger(
        citations=[
            _entry("present", "2025-01-10", present_on="2025-02-03"),
            _entry("unverified", None).model_copy(update={"address": "https://example.org/other"}),
        ]
    )
    assert verification(ledger, twice) == Verification("2025-02-03", present=1, checked=1, total=2)
    assert verification(Ledger(citations=[]), twice) is None
    assert verification(None, twice) is None


def test_the_link_checker_leaves_the_pages_words_in_the_ledger_alone(minimal_root: Path) -> None:
    passage = "see [the register](https://example.org/elsewhere)"
    _ledger(minimal_root, _entry("changed", "2025-03-01", closest=passage, similarity=0.5))
    assert "https://example.org/elsewhere" not in {link.url for link in collect_links(minimal_root)}


def test_check_base_summarises_the_ledger_s_changes(repo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    summary = tmp_path / "summary.md"
    _ledger(repo, _entry("present", "2025-01-10", present_on="2025-01-10"))
    assert cli("check", "--root", repo, "--base", "HEAD", "--summary", summary).code == 0
    assert summary.read_text(encoding="utf-8").endswith(
        "- Source ledger, citations whose status changed (1): new → present ×1\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "ledger")
    other = _entry("unverified", None).model_copy(update={"address": "https://example.org/other"})
    _ledger(repo, _entry("gone", "2025-03-01"), other)
    summary.unlink()
    assert cli("check", "--root", repo, "--base", "HEAD", "--summary", summary).code == 0
    assert summary.read_text(encoding="utf-8").endswith(
        "- Source ledger, citations whose status changed (2): new → unverified ×1, present → gone ×1\n"
    )
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "ledger again")
    summary.unlink()
    assert cli("check", "--root", repo, "--base", "HEAD", "--summary", summary).code == 0
    assert "Source ledger" not in summary.read_text(encoding="utf-8")  # nothing changed: no line


def test_a_status_the_ledger_does_not_know_is_never_copied_into_the_summary() -> None:
    before = {"citations": [{"address": "https://a.org/", "quote": "q", "status": "[x](https://e.org/)"}, "row"]}
    assert status_changes(before, None) == {"invalid → removed": 1}
    assert status_changes(None, [1, 2]) == {}
