"""``watch``: each way a quoted page can change, served on 127.0.0.1, classified and recorded."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_tools.checks.fetch import Answer, FetchPolicy, Outcome, check_urls
from build_tools.checks.pagetext import MAX_TEXT_BYTES, decode, page_text
from build_tools.checks.watch import WATCH_POLICY, Finding, classify
from build_tools.content.ledger import LEDGER_FILE, quote_key
from conftest import Run
from pageserver import LATIN_QUOTE, QUOTE, RUSSIAN_QUOTE, Hits, serve

QUICK = replace(WATCH_POLICY, timeout=1.0, attempts=1, backoff=0.0, allow_loopback=True, max_bytes=256 * 1024)
CASES: dict[str, tuple[str, str]] = {  # path: (quote cited, status expected)
    "/present": (QUOTE, "present"),
    "/edited": (QUOTE, "changed"),
    "/deleted": (QUOTE, "gone"),
    "/removed": (QUOTE, "gone"),
    "/paywall": (QUOTE, "unreadable"),
    "/script-only": (QUOTE, "unreadable"),
    "/pdf": (QUOTE, "unreadable"),
    "/latin-undeclared": (LATIN_QUOTE, "present"),
    "/latin-header": (LATIN_QUOTE, "present"),
    "/cyrillic-header": (RUSSIAN_QUOTE, "present"),
    "/cyrillic-meta": (RUSSIAN_QUOTE, "present"),
    "/gzip": (QUOTE, "present"),
    "/renamed": (QUOTE, "moved"),
    "/elsewhere": (QUOTE, "moved"),
    "/loop/a": (QUOTE, "unreachable"),
    "/slow": (QUOTE, "unreachable"),
    "/endless": (QUOTE, "changed"),  # a page of x's, cut at the size limit, and said so
}


@pytest.fixture(autouse=True)
def only_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to an address that is not loopback fails the test before it is made."""
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: Any) -> None:
        if not ipaddress.ip_address(str(address[0]).split("%")[0]).is_loopback:
            pytest.fail(f"a connection to {address} was attempted")
        connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Hits]]:
    with serve() as served:
        yield served


@pytest.fixture(scope="module")
def findings(server: tuple[str, Hits]) -> dict[str, Finding]:
    base, _ = server
    outcomes = check_urls([base + path for path in CASES], QUICK)
    return {path: classify(outcomes[base + path], base + path, [quote])[quote] for path, (quote, _) in CASES.items()}


@pytest.mark.parametrize("path", CASES)
def test_each_case_is_classified(findings: dict[str, Finding], path: str) -> None:
    assert findings[path].status == CASES[path][1]


def test_a_changed_page_records_the_closest_passage_and_its_similarity(findings: dict[str, Finding]) -> None:
    changed = findings["/edited"]
    assert changed.closest == "Le président a déclaré : « Nous ne négocierons pas », jeudi à l'Élysée."
    assert changed.similarity is not None and 0.8 < changed.similarity < 1
    assert changed.digest is not None and changed.digest.startswith("sha256:")


def test_compressed_and_plain_pages_read_alike(findings: dict[str, Finding]) -> None:
    assert findings["/gzip"].digest == findings["/present"].digest


def test_a_redirect_to_a_private_host_is_refused_and_never_followed(
    server: tuple[str, Hits], findings: dict[str, Finding]
) -> None:
    moved = findings["/elsewhere"]
    assert moved.moved_to == "http://10.0.0.7/present"
    assert moved.detail == "10.0.0.7 is a private, link-local or reserved address: never fetched"
    renamed = findings["/renamed"]
    assert renamed.moved_to is not None and renamed.moved_to.startswith("http://localhost:")
    assert renamed.detail is not None and renamed.detail.endswith("the quote is still there")


def test_the_other_failures_say_why(findings: dict[str, Finding]) -> None:
    assert findings["/deleted"].detail == "not found (404)"
    assert findings["/removed"].detail == "gone (410)"
    assert findings["/paywall"].detail == "the page refused (403): a paywall or a block"
    assert findings["/pdf"].detail == "not an HTML page (application/pdf)"
    assert (findings["/loop/a"].detail or "").startswith("redirect loop back to")
    assert findings["/slow"].detail == "no answer within 1 s (after 1 attempts)"
    assert findings["/loop/a"].moved_to is None
    assert findings["/endless"].detail == "only the first 262,144 bytes of the page were read"
    assert findings["/endless"].similarity is not None and findings["/endless"].similarity < 0.1
    assert findings["/script-only"].detail == (
        "the page shows 0 characters of text: a paywall, a script-only page or a cookie wall"
    )


def _answer(body: bytes, content_type: str = "text/html", encoding: str = "") -> Answer:
    return Answer("http://127.0.0.1/", 200, content_type, encoding, body)


def test_a_compression_bomb_is_inflated_only_up_to_the_bound() -> None:
    bomb = gzip.compress(b"<p>" + b"a" * (MAX_TEXT_BYTES * 4), mtime=0)
    assert len(bomb) < MAX_TEXT_BYTES // 100
    text = page_text(_answer(bomb, "text/plain", "gzip"))
    assert len(text.whole) == MAX_TEXT_BYTES


def test_raw_deflate_and_zlib_deflate_are_both_read() -> None:
    raw = zlib.compressobj(wbits=-15)
    body = raw.compress(b"plain words") + raw.flush()
    assert page_text(_answer(body, "text/plain", "deflate")).whole == "plain words"
    assert page_text(_answer(zlib.compress(b"plain words"), "text/plain", "deflate")).whole == "plain words"


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        ("été".encode("utf-8-sig"), "text/html; charset=windows-1251", "été"),  # a byte order mark wins
        ("été".encode("cp1252"), "text/html; charset=latin1", "été"),
        ("“été”".encode("cp1252"), "text/html; charset=us-ascii", "“été”"),  # as browsers: windows-1252
        ("été".encode(), "text/html; charset=nonsense", "été"),  # an unknown label is ignored
        ('<meta charset="utf-16"><p>été'.encode(), "text/html", '<meta charset="utf-16"><p>été'),
    ],
)
def test_character_sets_are_read_as_browsers_read_them(body: bytes, content_type: str, expected: str) -> None:
    assert decode(body, content_type) == expected


def _root(tmp_path: Path, base: str, paths: list[str]) -> Path:
    root = tmp_path / "root"
    (root / "claims").mkdir(parents=True)
    (root / "data").mkdir()
    sources = "".join(
        f"  - url: {base}{path}\n    quote: {yaml.safe_dump(CASES[path][0], allow_unicode=True).splitlines()[0]}\n"
        for path in paths
    )
    (root / "claims" / "watched.yml").write_text(f"id: watched\nsources:\n{sources}", encoding="utf-8")
    return root


def test_watch_reports_what_changed_and_a_second_run_changes_nothing(
    server: tuple[str, Hits], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    base, _ = server
    root = _root(tmp_path, base, ["/present", "/edited", "/deleted", "/paywall"])
    first = cli("watch", "--root", root, "--allow-private", "--today", "2026-03-02")
    assert first.code == 1
    errors = [line for line in first.err.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        "claims/watched.yml:5:10",
        "claims/watched.yml:7:10",
        "claims/watched.yml:9:10",
    ]
    assert f"{base}/edited → changed: the quote is not on the page; closest passage «Le président" in errors[0]
    assert errors[1].endswith(f"{base}/deleted → gone: not found (404) [source-gone]")
    assert "[source-unreadable]" in errors[2]
    ledger = yaml.safe_load((root / LEDGER_FILE).read_text(encoding="utf-8"))["citations"]
    assert [(entry["address"], entry["status"], entry["status_on"]) for entry in ledger] == [
        (f"{base}/deleted", "gone", "2026-03-02"),
        (f"{base}/edited", "changed", "2026-03-02"),
        (f"{base}/paywall", "unreadable", "2026-03-02"),
        (f"{base}/present", "present", "2026-03-02"),
    ]
    assert ledger[3]["present_on"] == "2026-03-02" and ledger[3]["quote"] == quote_key(QUOTE)
    written = (root / LEDGER_FILE).read_bytes()
    second = cli("watch", "--root", root, "--allow-private", "--today", "2026-03-02")
    assert (second.code, second.out) == (0, "watch ok: 4 citation(s), ledger unchanged\n")
    assert (root / LEDGER_FILE).read_bytes() == written
    later = cli("watch", "--root", root, "--allow-private", "--today", "2026-03-09")
    assert later.code == 0
    entries = yaml.safe_load((root / LEDGER_FILE).read_text(encoding="utf-8"))["citations"]
    assert [entry["status_on"] for entry in entries] == ["2026-03-02"] * 4  # each status dated when it began
    assert entries[3]["present_on"] == "2026-03-09"


def test_github_annotations_and_the_summary(server: tuple[str, Hits], tmp_path: Path, cli: Callable[..., Run]) -> None:
    base, _ = server
    root = _root(tmp_path, base, ["/present", "/deleted"])
    summary = tmp_path / "summary.md"
    run = cli("watch", "--root", root, "--allow-private", "--format", "github", "--summary", summary)
    assert run.code == 1
    assert run.out.startswith("::error file=claims/watched.yml,line=5,col=10,title=source-gone::")
    text = summary.read_text(encoding="utf-8")
    assert "| gone | 1 |" in text and "| present | 1 |" in text
    assert "`claims/watched.yml:5` error:" in text


def test_the_ledger_is_never_written_through_a_link_out_of_the_root(
    server: tuple[str, Hits], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    base, _ = server
    root = _root(tmp_path, base, ["/present"])
    outside = tmp_path / "outside.yml"
    outside.write_text("citations: []\n", encoding="utf-8")
    (root / LEDGER_FILE).symlink_to(outside)
    run = cli("watch", "--root", root, "--allow-private")
    assert run.code == 1
    assert outside.read_text(encoding="utf-8") == "citations: []\n"
    assert f"{LEDGER_FILE}:0:0: error:" in run.err


def test_an_invalid_ledger_is_reported_and_nothing_is_fetched(
    server: tuple[str, Hits], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    base, hits = server
    root = _root(tmp_path, base, ["/gzip"])
    (root / LEDGER_FILE).write_text(
        f"citations:\n  - address: {base}/gzip\n    quote: {quote_key(QUOTE)}\n    status: fine\n    status_on: null\n",
        encoding="utf-8",
    )
    before = hits["/gzip"]
    run = cli("watch", "--root", root, "--allow-private")
    assert run.code == 1
    assert f"{LEDGER_FILE}:4:13: error:" in run.err
    assert hits["/gzip"] == before


def test_an_unreachable_page_is_a_warning(tmp_path: Path, cli: Callable[..., Run]) -> None:
    def nothing_answers(urls: Any, policy: FetchPolicy) -> dict[str, Outcome]:
        return {url: Outcome("unreachable", "HTTP 503 (after 3 attempts)") for url in urls}

    from build_tools.checks.watch import watch

    root = _root(tmp_path, "http://127.0.0.1:9", ["/present"])
    from datetime import date

    result = watch(root, date(2026, 3, 2), QUICK, fetch=nothing_answers)
    assert [(p.severity, p.code) for p in result.problems] == [("warning", "source-unreachable")]


def test_the_weekly_workflow_runs_watch_and_commits_nothing() -> None:
    from conftest import REPO

    text = (REPO / ".github/workflows/watch.yml").read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    assert "schedule" in workflow[True] and "workflow_dispatch" in workflow[True]  # YAML 1.1 reads `on` as true
    assert workflow["permissions"] == {"contents": "read"}
    [job] = workflow["jobs"].values()
    runs = [str(step["run"]) for step in job["steps"] if "run" in step]
    assert runs == ['make watch WATCH_ARGS="--format github --summary $GITHUB_STEP_SUMMARY"']
    assert all(
        step["with"]["persist-credentials"] is False for step in job["steps"] if "checkout" in step.get("uses", "")
    )
    assert "git push" not in text and "git commit" not in text


def test_the_ledger_keeps_the_schema_line_it_has(
    server: tuple[str, Hits], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    base, _ = server
    root = _root(tmp_path, base, ["/present"])
    assert cli("watch", "--root", root, "--allow-private").code == 0
    written = (root / LEDGER_FILE).read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=../schema/ledger.schema.json\n# The source ledger")
    elsewhere = "# yaml-language-server: $schema=../../../schema/ledger.schema.json\n"
    (root / LEDGER_FILE).write_text(elsewhere + written.partition("\n")[2], encoding="utf-8")
    assert cli("watch", "--root", root, "--allow-private").out.endswith("ledger unchanged\n")
    assert (root / LEDGER_FILE).read_text(encoding="utf-8").startswith(elsewhere)


def test_a_moved_page_that_still_has_the_quote_keeps_it_present_on_that_day() -> None:
    from build_tools.checks.watch import Citation, updated_entry
    from build_tools.content.ledger import LedgerEntry

    citation = Citation("https://example.org/a", QUOTE, "claims/a.yml", 3, 10)
    old = LedgerEntry(
        address=citation.address,
        quote=quote_key(QUOTE),
        status="present",
        status_on="2026-01-01",
        present_on="2026-02-01",
    )
    still = updated_entry(citation, Finding("moved", moved_to="https://example.org/b", seen=True), old, "2026-03-02")
    assert (still.status, still.status_on, still.present_on) == ("moved", "2026-03-02", "2026-03-02")
    lost = updated_entry(citation, Finding("moved", moved_to="https://example.org/b"), old, "2026-03-02")
    assert (lost.status, lost.status_on, lost.present_on) == ("moved", "2026-03-02", "2026-02-01")
    again = updated_entry(citation, Finding("present", seen=True), old, "2026-03-09")
    assert (again.status_on, again.present_on) == ("2026-01-01", "2026-03-09")


def test_the_ledger_is_never_written_into_a_data_folder_that_is_a_link(
    server: tuple[str, Hits], tmp_path: Path, cli: Callable[..., Run]
) -> None:
    base, _ = server
    root = _root(tmp_path, base, ["/present"])
    (root / "data").rmdir()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "data").symlink_to(outside)
    run = cli("watch", "--root", root, "--allow-private")
    assert run.code == 1
    assert list(outside.iterdir()) == []
    assert "data/ is a symbolic link or leads out of the root; the ledger was not written" in run.err


def test_only_the_watch_keeps_the_bodies_it_fetches(server: tuple[str, Hits]) -> None:
    from build_tools.checks.fetch import check_url

    base, _ = server
    status_only = check_url(base + "/present", replace(QUICK, keep_body=False)).answer
    page = check_url(base + "/present", QUICK).answer
    assert status_only is not None and status_only.body == b"" and status_only.status == 200
    assert page is not None and len(page.body) > 500


def test_pages_are_fetched_and_read_a_batch_at_a_time(tmp_path: Path) -> None:
    from datetime import date

    from build_tools.checks.watch import BATCH, watch

    batches: list[int] = []

    def record(urls: Any, policy: FetchPolicy) -> dict[str, Outcome]:
        batches.append(len(list(urls)))
        return {url: Outcome("broken", "no such host (example.org)") for url in urls}

    root = tmp_path / "root"
    (root / "claims").mkdir(parents=True)
    (root / "data").mkdir()
    sources = "".join(f"  - url: https://example.org/{n}\n    quote: words {n}\n" for n in range(2 * BATCH + 5))
    (root / "claims" / "many.yml").write_text(f"sources:\n{sources}", encoding="utf-8")
    result = watch(root, date(2026, 3, 2), QUICK, fetch=record)
    assert batches == [BATCH, BATCH, 5]
    assert len(result.entries) == 2 * BATCH + 5 and {entry.status for entry in result.entries} == {"gone"}


@pytest.mark.parametrize(
    ("body", "article"),
    [
        (b"<p>" + b"A whole sentence of the article, and more. " * 6 + b"</p>", "A whole sentence"),  # sniffed as HTML
        (b"Plain words & <no tags>", "Plain words & <no tags>"),  # plain text, read as it is
    ],
)
def test_a_page_without_a_media_type_is_sniffed(body: bytes, article: str) -> None:
    assert page_text(_answer(body, "")).article.startswith(article)


def test_a_binary_page_without_a_media_type_is_unreadable() -> None:
    from build_tools.checks.pagetext import Unreadable

    with pytest.raises(Unreadable, match="binary"):
        page_text(_answer(b"PK\x03\x04\x00\x00" + b"x" * 100, ""))


def test_an_empty_page_cut_at_the_limit_says_both() -> None:
    answer = Answer("http://127.0.0.1/a", 200, "text/html", "", b"<html><body><script>x()</script>", cut=True)
    finding = classify(Outcome("ok", "200", "http://127.0.0.1/a", answer), "http://127.0.0.1/a", [QUOTE])[QUOTE]
    assert (finding.status, finding.detail) == (
        "unreadable",
        "the page shows 0 characters of text: a paywall, a script-only page or a cookie wall; "
        "only the first 32 bytes of the page were read",
    )


def test_a_root_without_a_data_folder_is_told_so(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = _root(tmp_path, "http://127.0.0.1:9", [])
    (root / "data").rmdir()
    run = cli("watch", "--root", root)
    assert (run.code, run.err.splitlines()[0]) == (
        1,
        f"{LEDGER_FILE}:0:0: error: cannot write the ledger: No such file or directory [ledger-not-written]",
    )
