"""The external link checker against a local server that fails in every way the web does."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from urllib.parse import SplitResult

import pytest

from build_tools.checks.fetch import FetchPolicy, Outcome, check_url, check_urls, is_private_address
from linkserver import serve

POLICY = FetchPolicy(timeout=0.5, attempts=2, backoff=0.01, allow_private=True, max_bytes=200_000)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Counter[str]]]:
    with serve() as running:
        yield running


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/ok", Outcome("ok", "200")),
        ("/missing", Outcome("broken", "not found (404)")),
        ("/gone", Outcome("broken", "gone (410)")),
        ("/forbidden", Outcome("unreachable", "HTTP 403")),
        ("/down", Outcome("unreachable", "HTTP 503 (after 2 attempts)")),
        ("/slow", Outcome("unreachable", "no answer within 0.5 s (after 2 attempts)")),
        ("/reset", Outcome("unreachable", "connection failed (ConnectionResetError) (after 2 attempts)")),
        ("/endless", Outcome("ok", "200")),
        ("/to-file", Outcome("refused", "redirected to file:///etc/passwd, which is not an http(s) URL")),
        ("/long/0", Outcome("broken", "more than 5 redirects")),
    ],
)
def test_each_fault(server: tuple[str, Counter[str]], path: str, expected: Outcome) -> None:
    base, _ = server
    assert check_url(base + path, POLICY, sleep=lambda seconds: None) == expected


def test_redirect_chain_is_followed(server: tuple[str, Counter[str]]) -> None:
    base, _ = server
    assert check_url(f"{base}/chain/1", POLICY) == Outcome("ok", f"200 after redirect to {base}/ok")


def test_redirect_loop_is_broken(server: tuple[str, Counter[str]]) -> None:
    base, _ = server
    assert check_url(f"{base}/loop/a", POLICY) == Outcome("broken", f"redirect loop back to {base}/loop/a")


def test_server_error_then_success_is_retried(server: tuple[str, Counter[str]]) -> None:
    base, hits = server
    waits: list[float] = []
    assert check_url(f"{base}/flaky", POLICY, sleep=waits.append) == Outcome("ok", "200")
    assert hits["/flaky"] == 2 and waits == [0.01]


def test_retry_after_is_honoured(server: tuple[str, Counter[str]]) -> None:
    base, hits = server
    waits: list[float] = []
    assert check_url(f"{base}/busy", POLICY, sleep=waits.append) == Outcome("ok", "200")
    assert waits == [2.0] and hits["/busy"] == 2


def test_loopback_is_refused_unless_allowed(server: tuple[str, Counter[str]]) -> None:
    base, hits = server
    before = hits["/ok"]
    outcome = check_url(f"{base}/ok", FetchPolicy(timeout=0.5))
    assert outcome == Outcome(
        "refused", "127.0.0.1 is a loopback or private address (allowed only with --allow-private)"
    )
    assert hits["/ok"] == before  # refused before any request was sent


def test_unknown_host_is_broken() -> None:
    assert check_url("http://no-such-host.invalid/", POLICY) == Outcome("broken", "no such host (no-such-host.invalid)")


@pytest.mark.parametrize(
    ("address", "private"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("172.16.5.4", True),
        ("169.254.1.1", True),
        ("::1", True),
        ("fd00::1", True),
        ("0.0.0.0", True),
        ("93.184.216.34", False),
        ("2606:4700::1111", False),
    ],
)
def test_private_addresses(address: str, private: bool) -> None:
    assert is_private_address(address) is private


def test_many_urls_at_once(server: tuple[str, Counter[str]]) -> None:
    base, _ = server
    results = check_urls([f"{base}/ok", f"{base}/missing", f"{base}/ok"], POLICY)
    assert results == {f"{base}/ok": Outcome("ok", "200"), f"{base}/missing": Outcome("broken", "not found (404)")}


def test_redirect_to_a_private_address_is_refused_at_that_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    import build_tools.checks.fetch as fetch

    def resolve(host: str, port: int, **kwargs: object) -> list[tuple[object, ...]]:
        address = "93.184.216.34" if host == "public.test" else "10.0.0.7"
        return [(2, 1, 6, "", (address, port))]

    requested: list[str] = []

    def answer(parts: SplitResult, policy: FetchPolicy) -> tuple[int, str | None, float | None]:
        requested.append(parts.geturl())
        return 302, "http://intranet.test/admin", None

    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    monkeypatch.setattr(fetch, "_request", answer)
    outcome = check_url("http://public.test/page", FetchPolicy())
    assert outcome == Outcome(
        "refused", "intranet.test is a loopback or private address (allowed only with --allow-private)"
    )
    assert requested == ["http://public.test/page"]  # the private host was never contacted
