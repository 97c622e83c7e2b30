"""The link checker's guards: a deadline for the whole request, addresses it never fetches, and URLs
it reports instead of failing on. Nothing here connects anywhere but to a server of its own on
127.0.0.1: the tests of refused addresses fail if any connection or unexpected lookup is attempted."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import SplitResult

import pytest

import build_tools.checks.fetch as fetch
from build_tools.checks.fetch import Answer, FetchPolicy, Outcome, Status, check_url, check_urls, is_private_address

QUICK = FetchPolicy(timeout=1.0, attempts=1, backoff=0.01, allow_private=True, max_bytes=200_000)
_real_getaddrinfo = socket.getaddrinfo


# --- the whole-request deadline ---------------------------------------------------------------


@pytest.fixture
def trickler() -> Iterator[str]:
    """A server on 127.0.0.1 that sends one byte every 0.2 s for as long as the client listens:
    /body after complete headers, /head in the middle of a header line."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.1)
    stop = threading.Event()

    def answer(connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request and (chunk := connection.recv(4096)):
                request += chunk
            if request.startswith(b"GET /body "):
                start = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"
            else:
                start = b"HTTP/1.1 200 OK\r\nX-Slow: "
            try:
                connection.sendall(start)
                while not stop.wait(0.2):
                    connection.sendall(b"x")
            except OSError:
                pass  # the client hung up, as it should

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.settimeout(None)
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        acceptor.join()
        listener.close()


@pytest.mark.parametrize("path", ["/body", "/head"])
def test_a_trickling_server_is_stopped_at_the_deadline(trickler: str, path: str) -> None:
    """Each byte comes well within the timeout; the request as a whole still ends at the timeout."""
    results: list[Outcome] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: results.append(check_url(trickler + path, QUICK)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    elapsed = time.monotonic() - started
    assert not worker.is_alive(), "the request was still running after 5 s"
    assert results == [Outcome("unreachable", "no answer within 1 s (after 1 attempts)")]
    assert elapsed < QUICK.timeout + 1


# --- addresses that are never fetched -----------------------------------------------------------


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to connect fails the test (pytest.fail is no OSError: nothing swallows it)."""

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail(f"a connection was attempted: {args[1:]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _resolver(monkeypatch: pytest.MonkeyPatch, names: dict[str, list[str]]) -> list[str]:
    """Resolve ``names`` to their addresses; an IP literal only as a literal (no DNS); any other
    name fails the test. Returns the hosts asked, in order."""
    asked: list[str] = []

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        asked.append(host)
        if host in names:
            return [
                (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
                for address in names[host]
            ]
        try:
            return _real_getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
        except socket.gaierror:
            pytest.fail(f"an unexpected name was resolved: {host!r}")

    monkeypatch.setattr("build_tools.checks.fetch.socket.getaddrinfo", resolve)
    return asked


NEVER = [
    "169.254.169.254",  # the cloud metadata service
    "169.254.1.1",
    "::ffff:169.254.169.254",  # the same, IPv4-mapped
    "fd00:ec2::254",  # the metadata service over IPv6
    "fe80::1",
    "100.100.100.200",  # a metadata service in shared address space
    "10.0.0.7",
    "192.168.1.1",
    "172.16.0.1",
    "0.0.0.0",  # reaches this machine on Linux
    "::",
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254, which the ipaddress module calls global
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "::a9fe:a9fe",  # IPv4-compatible
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1: loopback of another machine
    "224.0.0.1",
    "ff02::1",
]


@pytest.mark.usefixtures("no_connections")
@pytest.mark.parametrize("allow", [False, True])
@pytest.mark.parametrize("address", NEVER)
def test_non_global_addresses_are_never_fetched(monkeypatch: pytest.MonkeyPatch, address: str, allow: bool) -> None:
    _resolver(monkeypatch, {"metadata.test": [address]})
    outcome = check_url("http://metadata.test/latest/meta-data/", replace(QUICK, allow_loopback=allow))
    assert outcome == Outcome(
        "refused", f"metadata.test resolves to {address}, a private, link-local or reserved address: never fetched"
    )


@pytest.mark.usefixtures("no_connections")
@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254"),
        ("http://[::ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254"),
        ("http://[fe80::1%25eth0]/", "fe80::1%25eth0"),
        ("http://100.100.100.200/", "100.100.100.200"),
    ],
)
def test_an_address_in_the_url_is_refused_before_any_lookup(
    monkeypatch: pytest.MonkeyPatch, url: str, address: str
) -> None:
    asked = _resolver(monkeypatch, {})
    outcome = check_url(url, replace(QUICK, allow_loopback=True))
    assert outcome == Outcome("refused", f"{address} is a private, link-local or reserved address: never fetched")
    assert asked == []


@pytest.mark.usefixtures("no_connections")
def test_one_bad_address_among_good_ones_is_enough_to_refuse(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolver(monkeypatch, {"mixed.test": ["93.184.216.34", "2606:4700::1111", "169.254.169.254"]})
    assert check_url("http://mixed.test/", replace(QUICK, allow_loopback=True)) == Outcome(
        "refused", "mixed.test resolves to 169.254.169.254, a private, link-local or reserved address: never fetched"
    )


@pytest.mark.usefixtures("no_connections")
@pytest.mark.parametrize("address", ["127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"])
def test_loopback_needs_the_flag(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    _resolver(monkeypatch, {"local.test": [address]})
    assert check_url("http://local.test/", replace(QUICK, allow_loopback=False)) == Outcome(
        "refused", "local.test is a loopback or private address (allowed only with --allow-private)"
    )


@pytest.mark.parametrize("address", ["127.0.0.1", "127.3.2.1", "::1", "::ffff:127.0.0.1"])
def test_with_the_flag_loopback_is_connected_to(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    _resolver(monkeypatch, {"local.test": [address]})
    tried: list[object] = []

    def connect(addresses: list[tuple[int, tuple[object, ...]]], *args: object) -> socket.socket:
        tried.extend(sockaddr[0] for _, sockaddr in addresses)
        raise ConnectionRefusedError("stopped by the test")

    monkeypatch.setattr(fetch, "_connect", connect)
    outcome = check_url("http://local.test/", replace(QUICK, allow_loopback=True))
    assert outcome == Outcome("unreachable", "connection failed (ConnectionRefusedError) (after 1 attempts)")
    assert tried == [address]


def test_allow_private_is_the_old_name_of_allow_loopback() -> None:
    assert FetchPolicy(allow_private=True).allow_loopback is True
    assert FetchPolicy().allow_loopback is False
    assert replace(FetchPolicy(allow_private=True), timeout=2).allow_loopback is True
    assert replace(FetchPolicy(allow_private=True), allow_loopback=False).allow_loopback is False


@pytest.mark.parametrize(
    "address", ["2002:a9fe:a9fe::1", "64:ff9b::a9fe:a9fe", "::a9fe:a9fe", "::ffff:10.0.0.1", "224.0.0.1", "::127.0.0.1"]
)
def test_embedded_and_multicast_addresses_are_private(address: str) -> None:
    assert is_private_address(address) is True


# --- URLs that cannot be fetched --------------------------------------------------------------

ZZ = "'zz' does not appear to be an IPv4 or IPv6 address"
LEMONDE = "https://www.lemonde.fr@evil.example/"


@pytest.mark.usefixtures("no_connections")
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://127.0.0.1:99999/", Outcome("broken", "the URL has an invalid port (99999)")),
        ("http://127.0.0.1:abc/", Outcome("broken", "the URL has an invalid port (abc)")),
        ("http://127.0.0.1:0/", Outcome("broken", "the URL has an invalid port (0)")),
        ("http://[::1/", Outcome("broken", "the URL is malformed (Invalid IPv6 URL)")),
        ("http://[zz]/", Outcome("broken", f"the URL is malformed ({ZZ})")),
        ("http://exa mple.org/", Outcome("broken", "the URL has a malformed host name (exa mple.org)")),
        ("http://ex%41mple.org/", Outcome("broken", "the URL has a malformed host name (ex%41mple.org)")),
        ("http://a..b/", Outcome("broken", "the URL has a malformed host name (a..b)")),
        ("http:///no-host", Outcome("broken", "the URL has no host")),
        (
            "https://www.lemonde.fr@evil.example/",
            Outcome("refused", "the URL names a user before its host (www.lemonde.fr@evil.example): not fetched"),
        ),
        (
            "https://user:secret@example.org/",
            Outcome("refused", "the URL names a user before its host (user:secret@example.org): not fetched"),
        ),
    ],
)
def test_a_url_that_cannot_be_fetched_is_reported(monkeypatch: pytest.MonkeyPatch, url: str, expected: Outcome) -> None:
    asked = _resolver(monkeypatch, {})
    assert check_url(url, QUICK) == expected
    assert asked == []


@pytest.mark.usefixtures("no_connections")
@pytest.mark.parametrize(
    ("location", "status", "detail"),
    [
        ("http://public.test:99999/", "broken", "redirected to {L}, which has an invalid port (99999)"),
        ("//public.test:abc/x", "broken", "redirected to http://public.test:abc/x, which has an invalid port (abc)"),
        ("http://[::1/", "broken", "redirected to {L}, which is malformed (Invalid IPv6 URL)"),
        ("http://[zz]/", "broken", "redirected to {L}, which is malformed (" + ZZ + ")"),
        ("http://a b/", "broken", "redirected to {L}, which has a malformed host name (a b)"),
        (
            LEMONDE,
            "refused",
            "redirected to {L}, which names a user before its host (www.lemonde.fr@evil.example): not fetched",
        ),
        ("http://169.254.169.254/", "refused", "169.254.169.254 is a private, link-local or reserved address: {E}"),
    ],
)
def test_a_redirect_that_cannot_be_followed_is_reported(
    monkeypatch: pytest.MonkeyPatch, location: str, status: Status, detail: str
) -> None:
    expected = Outcome(status, detail.format(L=location, E="never fetched"))
    _resolver(monkeypatch, {"public.test": ["93.184.216.34"]})
    requested: list[str] = []

    def answer(parts: SplitResult, policy: FetchPolicy, addresses: object) -> tuple[Answer, str | None, float | None]:
        requested.append(parts.geturl())
        return Answer(parts.geturl(), 302, "", "", b""), location, None

    monkeypatch.setattr(fetch, "_request", answer)
    assert check_url("http://public.test/page", replace(QUICK, allow_loopback=True)) == expected
    assert requested == ["http://public.test/page"]


@pytest.mark.usefixtures("no_connections")
def test_many_urls_with_malformed_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolver(monkeypatch, {})
    assert check_urls(["http://[::1/", "http://x:99999/"], QUICK) == {
        "http://[::1/": Outcome("broken", "the URL is malformed (Invalid IPv6 URL)"),
        "http://x:99999/": Outcome("broken", "the URL has an invalid port (99999)"),
    }


@pytest.mark.usefixtures("no_connections")
def test_an_ipv6_literal_without_a_port_goes_to_the_default_port(monkeypatch: pytest.MonkeyPatch) -> None:
    """http.client reads "::1" with no port as host ":" and port 1; the port is always given."""
    _resolver(monkeypatch, {})
    seen: list[tuple[str, int]] = []

    def connect(self: Any) -> None:
        seen.append((self.host, self.port))
        raise ConnectionRefusedError("stopped by the test")

    monkeypatch.setattr(fetch._VettedHTTPConnection, "connect", connect)
    outcome = check_url("http://[::1]/ok", QUICK)
    assert outcome == Outcome("unreachable", "connection failed (ConnectionRefusedError) (after 1 attempts)")
    assert seen == [("::1", 80)]
