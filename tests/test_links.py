"""`links`: content URLs with their positions, the online rules, the cache, and the built site."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from build_tools.checks.fetch import FetchPolicy
from build_tools.checks.links import CACHE_FILE, Link, check_links, collect_links
from build_tools.problems import Problem
from conftest import FIXTURES, Run, copy_root
from linkserver import serve

POLICY = FetchPolicy(timeout=0.5, attempts=2, backoff=0.01, allow_private=True)
B = "claims/bridge-length.yml"
Server = tuple[str, Counter[str]]


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve() as running:
        yield running


@pytest.fixture
def local_root(minimal_root: Path, server: Server) -> Path:
    """The fixture with every example.org address moved to the local server (where /ok/... answers 200)."""
    base, _ = server
    for path in [*minimal_root.glob("claims/*.yml"), *minimal_root.glob("data/*.yml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("https://example.org/", f"{base}/ok/"), encoding="utf-8")
    return minimal_root


def _set_source(root: Path, base: str, url: str, archive: str | None) -> None:
    """Point the first source of bridge-length (lines 22-23) at ``url`` and ``archive``."""
    path = root / B
    text = re.sub(r"^    url: .*$", f"    url: {base}{url}", path.read_text(encoding="utf-8"), count=1, flags=re.M)
    value = f"{base}{archive}" if archive else "null"
    text = re.sub(r"^    archive_url: .*$", f"    archive_url: {value}", text, count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


def _texts(problems: list[Problem]) -> list[str]:
    return sorted(p.as_text() for p in problems if p.code != "no-site")


def test_collect_links_with_positions(minimal_root: Path) -> None:
    links = collect_links(minimal_root)
    assert Link("https://example.org/bridge", B, 22, 10, "https://example.org/archive/bridge") in links
    assert Link("https://example.org/archive/bridge", B, 23, 18, is_archive=True) in links
    assert Link("https://example.org/bridge", B, 16, 7) in links  # inside the Markdown of rationale.fr
    assert Link("https://example.org/speech", "data/timeline.yml", 32, 14) in links


ONLINE = [
    ("/ok", "/ok/archive", []),
    (
        "/missing",
        "/ok/archive",
        [
            "{B}:22:10: warning: {base}/missing → broken: not found (404); the archived copy "
            "{base}/ok/archive still works [link-broken]"
        ],
    ),
    ("/gone", None, ["{B}:22:10: error: {base}/gone → broken: gone (410); no archived copy is recorded [link-broken]"]),
    (
        "/missing",
        "/gone",
        [
            "{B}:22:10: error: {base}/missing → broken: not found (404) [link-broken]",
            "{B}:23:18: error: {base}/gone → broken: gone (410) [link-broken]",
        ],
    ),
    (
        "/down",
        None,
        ["{B}:22:10: warning: {base}/down → unreachable now: HTTP 503 (after 2 attempts) [link-unreachable]"],
    ),
]


@pytest.mark.parametrize(("url", "archive", "expected"), ONLINE)
def test_online_rules(local_root: Path, server: Server, url: str, archive: str | None, expected: list[str]) -> None:
    base, _ = server
    _set_source(local_root, base, url, archive)
    problems = check_links(local_root, local_root / "site", offline=False, policy=POLICY)
    assert _texts(problems) == [line.format(B=B, base=base) for line in expected]


def test_loopback_refused_without_allow_private(local_root: Path, server: Server) -> None:
    base, hits = server
    before = hits["/ok/bridge"]
    problems = check_links(local_root, local_root / "site", offline=False, policy=FetchPolicy(timeout=0.5))
    assert [p.as_text() for p in problems if p.path == B and p.line == 22] == [
        f"{B}:22:10: error: {base}/ok/bridge → refused: 127.0.0.1 is a loopback or private address (allowed only "
        "with --allow-private) [link-refused]"
    ]
    assert hits["/ok/bridge"] == before  # refused before any request


def test_cache_spares_fresh_results_and_offline_uses_it(local_root: Path, server: Server) -> None:
    base, hits = server
    _set_source(local_root, base, "/gone", None)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    check_links(local_root, local_root / "site", offline=False, policy=POLICY, now=now)
    cache = json.loads((local_root / CACHE_FILE).read_text(encoding="utf-8"))
    assert cache[f"{base}/gone"] == {"checked": "2026-01-01T00:00:00Z", "status": "broken", "detail": "gone (410)"}
    gone = hits["/gone"]
    offline = check_links(local_root, local_root / "site", offline=True, policy=POLICY, now=now)
    assert hits["/gone"] == gone  # offline: nothing fetched, the cached verdict is reported
    assert _texts(offline) == [
        f"{B}:22:10: error: {base}/gone → broken: gone (410); no archived copy is recorded [link-broken]"
    ]
    # An ok result stays fresh for a week; then it is checked again.
    ok = hits["/ok/speech"]
    check_links(local_root, local_root / "site", offline=False, policy=POLICY, now=now + timedelta(days=6))
    assert hits["/ok/speech"] == ok
    check_links(local_root, local_root / "site", offline=False, policy=POLICY, now=now + timedelta(days=8))
    assert hits["/ok/speech"] == ok + 1


def test_changed_only(local_root: Path, server: Server) -> None:
    base, hits = server

    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(local_root), *args], check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "-m", "content")
    timeline = local_root / "data/timeline.yml"
    timeline.write_text(
        timeline.read_text(encoding="utf-8").replace(f"{base}/ok/speech", f"{base}/missing"), encoding="utf-8"
    )
    before = hits["/ok/archive/bridge"]
    problems = check_links(local_root, local_root / "site", offline=False, policy=POLICY, changed_only="HEAD")
    assert _texts(problems) == [
        f"data/timeline.yml:32:14: error: {base}/missing → broken: not found (404); no archived copy is recorded "
        "[link-broken]"
    ]
    assert hits["/ok/archive/bridge"] == before  # only in a claim file, which did not change


def test_internal_links_and_anchors(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root).code == 0
    assert cli("links", "--root", root, "--offline").code == 0
    faq = root / "site/en/faq/index.html"
    faq.write_text(
        faq.read_text(encoding="utf-8").replace(
            'href="../claims/bridge-length/"', 'href="../claims/bridge-lenght/"', 1
        ),
        encoding="utf-8",
    )
    article = root / "site/article/index.html"
    article.write_text(article.read_text(encoding="utf-8").replace('id="claim-good-news"', 'id="x"'), encoding="utf-8")
    run = cli("links", "--root", root, "--offline")
    assert run.code == 1
    assert [re.sub(r":\d+:\d+:", ":L:C:", line) for line in run.err.splitlines()] == [
        "site/claims/good-news/index.html:L:C: error: ../../article/#claim-good-news → no element with id "
        "'claim-good-news' [broken-anchor]",
        "site/en/faq/index.html:L:C: error: ../claims/bridge-lenght/ → no such page or file [broken-internal-link]",
        "2 error(s)",
    ]


CORRUPT_CACHES = [
    (
        "truncated",
        b'{"https://a.test/": {"checked": ',
        "is not valid JSON (Expecting value: line 1 column 33 (char 32))",
    ),
    ("not utf-8", b"\xff\xfe{}", "is not UTF-8 text"),
    ("a list", b"[]", "is not a JSON object of URLs"),
    (
        "entry not an object",
        b'{"https://a.test/": "ok"}',
        "entry for 'https://a.test/' is not an object with text fields checked, status, detail",
    ),
    (
        "unknown status",
        b'{"https://a.test/": {"checked": "2026-01-01T00:00:00Z", "status": "fine", "detail": ""}}',
        "entry for 'https://a.test/' has an unknown status 'fine'",
    ),
    (
        "bad time",
        b'{"https://a.test/": {"checked": "yesterday", "status": "ok", "detail": "200"}}',
        "entry for 'https://a.test/' has a 'checked' time that is not YYYY-MM-DDTHH:MM:SSZ",
    ),
]


@pytest.mark.parametrize(("raw", "reason"), [c[1:] for c in CORRUPT_CACHES], ids=[c[0] for c in CORRUPT_CACHES])
def test_corrupt_cache_is_reported_and_rebuilt(
    local_root: Path, server: Server, cli: Callable[..., Run], raw: bytes, reason: str
) -> None:
    base, _ = server
    cache = local_root / CACHE_FILE
    cache.parent.mkdir()
    cache.write_bytes(raw)
    (local_root / "site").mkdir()
    warning = (
        f"{CACHE_FILE}:0:0: warning: link cache {reason}; ignored, and rebuilt by the next online check [link-cache]"
    )
    offline = cli("links", "--root", local_root, "--offline")
    assert (offline.code, offline.out, offline.err) == (0, "links ok (1 warning(s))\n", warning + "\n")
    assert cache.read_bytes() == raw  # offline writes nothing
    online = cli("links", "--root", local_root, "--allow-private", "--timeout", "0.5")
    assert (online.code, online.out, online.err) == (0, "links ok (1 warning(s))\n", warning + "\n")
    rebuilt = json.loads(cache.read_text(encoding="utf-8"))
    assert rebuilt[f"{base}/ok/bridge"]["status"] == "ok"
    assert cli("links", "--root", local_root, "--offline").err == ""


def test_changed_only_outside_git_is_a_usage_error(local_root: Path, cli: Callable[..., Run]) -> None:
    run = cli("links", "--root", local_root, "--allow-private", "--changed-only", "main")
    assert run.code == 2
    assert run.err.startswith("error: cannot compare with main: git rev-parse: fatal: not a git repository")


def test_dns_outage_is_a_warning_not_a_broken_link(minimal_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    problems = check_links(minimal_root, minimal_root / "site", offline=False, policy=POLICY)
    assert _texts(problems)[0] == (
        f"{B}:16:7: warning: https://example.org/bridge → unreachable now: DNS lookup failed for example.org "
        "(Temporary failure in name resolution) (after 2 attempts) [link-unreachable]"
    )
    assert {(p.severity, p.code) for p in problems if p.code != "no-site"} == {("warning", "link-unreachable")}


def test_content_url_that_is_not_http_is_bad_url(minimal_root: Path, cli: Callable[..., Run]) -> None:
    path = minimal_root / B
    path.write_text(
        path.read_text(encoding="utf-8").replace("    url: https://example.org/bridge", "    url: ftp://example.org/b"),
        encoding="utf-8",
    )
    (minimal_root / "site").mkdir()
    run = cli("links", "--root", minimal_root, "--offline")
    assert (run.code, run.err.splitlines()) == (
        1,
        [f"{B}:22:10: error: ftp://example.org/b → not an absolute http(s) URL [bad-url]", "1 error(s)"],
    )


def test_site_link_with_another_scheme_is_bad_link(minimal_root: Path, cli: Callable[..., Run]) -> None:
    site = minimal_root / "site"
    site.mkdir()
    (site / "index.html").write_text('<p>\n  <a href="javascript:alert(1)">x</a></p>\n', encoding="utf-8")
    run = cli("links", "--root", minimal_root, "--offline")
    assert (run.code, run.err.splitlines()) == (
        1,
        [
            "site/index.html:2:3: error: javascript:alert(1) → scheme 'javascript' is not allowed [bad-link]",
            "1 error(s)",
        ],
    )


def test_a_broken_link_in_a_hand_written_page_is_reported_at_its_line(local_root: Path, server: Server) -> None:
    base, _ = server
    (local_root / "docs/about.fr.md").write_text(f"# À propos\n\nTexte.\n\n[parti]({base}/missing)\n", encoding="utf-8")
    (local_root / "docs/about.en.md").write_text("# About\n", encoding="utf-8")
    problems = check_links(local_root, local_root / "site", offline=False, policy=POLICY)
    assert [(p.path, p.line, p.code) for p in problems if p.code != "no-site"] == [
        ("docs/about.fr.md", 5, "link-broken")
    ]


def test_a_link_cache_that_leads_out_of_the_root_is_never_read(minimal_root: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"a secret of the build machine": 1}', encoding="utf-8")
    (minimal_root / CACHE_FILE).parent.mkdir(parents=True, exist_ok=True)
    (minimal_root / CACHE_FILE).symlink_to(secret)
    problems = check_links(minimal_root, minimal_root / "site", offline=True, policy=POLICY)
    [warning] = [p for p in problems if p.code == "link-cache"]
    assert warning.message.startswith("link cache is a link out of the content root; ignored")
    assert not any("secret" in p.message for p in problems)
