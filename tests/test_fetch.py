"""The external link checker against a local server that fails in every way the web does."""

from __future__ import annotations

import socket
import ssl
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult

import pytest

from build_tools.checks.fetch import Answer, FetchPolicy, Outcome, check_url, check_urls, is_private_address
from linkserver import Hits, serve

POLICY = FetchPolicy(timeout=0.5, attempts=2, backoff=0.01, allow_private=True, max_bytes=200_000)


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, Hits]]:
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


Resolver = Callable[..., list[tuple[object, ...]]]


def _resolver(*answers: str | int) -> tuple[Resolver, list[str]]:
    """A getaddrinfo that gives ``answers`` in turn (an address, or a gaierror code), then fails.

    It records each host asked, so a test can see how often a name was resolved."""
    queue, asked = list(answers), []

    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        asked.append(host)
        answer = queue.pop(0) if queue else socket.EAI_NONAME
        if isinstance(answer, int):
            raise socket.gaierror(answer, f"resolver said {answer}")
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (answer, port))]

    return resolve, asked


def test_unknown_host_is_broken_after_every_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    resolve, asked = _resolver(socket.EAI_NONAME, socket.EAI_NONAME)
    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    outcome = check_url("http://no-such-host.invalid/", POLICY, sleep=lambda seconds: None)
    assert outcome == Outcome("broken", "no such host (no-such-host.invalid) (after 2 attempts)")
    assert asked == ["no-such-host.invalid"] * 2


def test_temporary_dns_failure_is_unreachable_not_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    resolve, _ = _resolver(socket.EAI_AGAIN, socket.EAI_AGAIN)
    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    outcome = check_url("http://flaky-dns.test/", POLICY, sleep=lambda seconds: None)
    assert outcome == Outcome(
        "unreachable", f"DNS lookup failed for flaky-dns.test (resolver said {socket.EAI_AGAIN}) (after 2 attempts)"
    )


def test_name_missing_for_a_moment_is_retried(
    server: tuple[str, Counter[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = server
    resolve, _ = _resolver(socket.EAI_NONAME, "127.0.0.1")
    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    assert check_url(base.replace("127.0.0.1", "back.test") + "/ok", POLICY, sleep=lambda s: None) == Outcome(
        "ok", "200"
    )


def test_connection_goes_to_the_vetted_address_at_every_hop(
    server: tuple[str, Hits], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The name is resolved once per hop and never again: a second answer (here: none at all, as a
    rebinding name could give a private one) is never used to connect."""
    base, hits = server
    port = base.rsplit(":", 1)[1]
    resolve, asked = _resolver(*["127.0.0.1"] * 4)  # /chain/1 → /chain/2 → /chain/3 → /ok
    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    before = hits.hosts[f"vetted.test:{port}"]
    url = f"http://vetted.test:{port}/chain/1"
    assert check_url(url, POLICY) == Outcome("ok", f"200 after redirect to http://vetted.test:{port}/ok")
    assert asked == ["vetted.test"] * 4
    assert hits.hosts[f"vetted.test:{port}"] == before + 4  # the Host header still names the host


def test_tls_checks_the_host_name_on_the_vetted_address(
    server: tuple[str, Hits], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, _ = server
    port = base.rsplit(":", 1)[1]
    resolve, asked = _resolver("127.0.0.1")
    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    handshakes: list[tuple[str, str | None]] = []

    class Recorder(ssl.SSLContext):
        def wrap_socket(self, sock: socket.socket, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
            handshakes.append((sock.getpeername()[0], kwargs.get("server_hostname")))
            raise ssl.SSLError("handshake stopped by the test")

    monkeypatch.setattr(
        "build_tools.checks.fetch.ssl.create_default_context", lambda: Recorder(ssl.PROTOCOL_TLS_CLIENT)
    )
    outcome = check_url(f"https://secure.test:{port}/ok", replace(POLICY, attempts=1))
    assert outcome == Outcome("unreachable", "connection failed (SSLError) (after 1 attempts)")
    assert (asked, handshakes) == (["secure.test"], [("127.0.0.1", "secure.test")])


def test_per_host_limit(server: tuple[str, Hits], monkeypatch: pytest.MonkeyPatch) -> None:
    """Never more than ``per_host`` requests at once on one host, while other hosts go on in parallel."""
    base, hits = server
    port = base.rsplit(":", 1)[1]

    def resolve(host: str, port: int, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("127.0.0.1", port))]

    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    urls = [f"http://{host}.test:{port}/hold/{n}" for host in ("one", "two") for n in range(6)]
    results = check_urls(urls, replace(POLICY, per_host=2, workers=8))
    assert set(results.values()) == {Outcome("ok", "200")}
    assert hits.peak[f"one.test:{port}"] == 2 and hits.peak[f"two.test:{port}"] == 2


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

    def answer(parts: SplitResult, policy: FetchPolicy, addresses: object) -> tuple[Answer, str | None, float | None]:
        requested.append(parts.geturl())
        return Answer(parts.geturl(), 302, "", "", b""), "http://intranet.test/admin", None

    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    monkeypatch.setattr(fetch, "_request", answer)
    outcome = check_url("http://public.test/page", FetchPolicy(allow_private=True))  # private: never
    assert outcome == Outcome(
        "refused", "intranet.test resolves to 10.0.0.7, a private, link-local or reserved address: never fetched"
    )
    assert requested == ["http://public.test/page"]  # the private host was never contacted


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """The local server behind TLS on 127.0.0.1, with a self-signed certificate for secure.test only."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=secure.test",
         "-addext", "subjectAltName=DNS:secure.test", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serve(context) as (base, _):
        yield int(base.rsplit(":", 1)[1]), cert


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("secure.test", Outcome("ok", "200")),
        ("other.test", Outcome("unreachable", "connection failed (SSLCertVerificationError) (after 1 attempts)")),
    ],
)
def test_tls_to_the_vetted_address_verifies_the_host_name(
    tls_server: tuple[int, Path], monkeypatch: pytest.MonkeyPatch, host: str, expected: Outcome
) -> None:
    """Connected to 127.0.0.1, the handshake still names the host (SNI) and the certificate must match it."""
    port, cert = tls_server
    resolve, asked = _resolver("127.0.0.1")
    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    trusting = ssl.create_default_context(cafile=cert)  # the system's roots are not needed here
    monkeypatch.setattr("build_tools.checks.fetch.ssl.create_default_context", lambda: trusting)
    assert check_url(f"https://{host}:{port}/ok", replace(POLICY, attempts=1)) == expected
    assert asked == [host]
