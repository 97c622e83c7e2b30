"""Check external URLs over HTTP(S), carefully: every redirect hop is vetted, time and bytes are
bounded, transient failures are retried, and the answer says whether a link is broken for good or
only unreachable now.

At each hop the host name is resolved once; the addresses are vetted (no loopback or private
address unless allowed) and the connection goes to one of them, never to the name again, so a
second DNS answer cannot lead it elsewhere. The Host header, SNI and certificate check still use the
name. A lookup that fails for a moment (EAI_AGAIN and any failure other than "no such name") makes
the link unreachable, a warning; a name that does not exist at any attempt makes it broken."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, urljoin, urlsplit

Status = Literal["ok", "broken", "unreachable", "refused"]
_GONE = {404: "not found (404)", 410: "gone (410)"}
_RETRY = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str


@dataclass(frozen=True)
class FetchPolicy:
    timeout: float = 10.0  # seconds for the connection and for each read
    max_redirects: int = 5
    max_bytes: int = 256 * 1024  # a page that sends more is still "ok": we only need its status
    attempts: int = 3
    backoff: float = 1.0  # seconds, doubled after each failed attempt
    max_retry_after: float = 30.0
    per_host: int = 2
    workers: int = 8
    allow_private: bool = False
    user_agent: str = "factcheck-linkcheck/1 (+https://schema.org/ClaimReview)"


class _Transient(Exception):
    """A failure worth another attempt; ``final`` is the status if every attempt ends this way."""

    def __init__(self, detail: str, retry_after: float | None = None, final: Status = "unreachable") -> None:
        super().__init__(detail)
        self.detail, self.retry_after, self.final = detail, retry_after, final


# The resolver's answers that mean the name does not exist; every other failure of a lookup
# (EAI_AGAIN "try again", EAI_FAIL, a resolver that cannot be reached) says nothing about the link.
_NO_SUCH_NAME = frozenset(code for code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)) if code is not None)

Address = tuple[int, tuple[object, ...]]  # (address family, socket address) as getaddrinfo gives them


def is_private_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return not ip.is_global or ip.is_multicast


def check_url(url: str, policy: FetchPolicy, sleep: Callable[[float], None] = time.sleep) -> Outcome:
    delay = policy.backoff
    last = _Transient("no attempt made")
    for attempt in range(1, policy.attempts + 1):
        try:
            return _follow(url, policy)
        except _Transient as exc:
            last = exc
            if attempt == policy.attempts:
                break
            wait = min(exc.retry_after, policy.max_retry_after) if exc.retry_after is not None else delay
            sleep(wait)
            delay *= 2
    return Outcome(last.final, f"{last.detail} (after {policy.attempts} attempts)")


def _follow(url: str, policy: FetchPolicy) -> Outcome:
    current, seen = url, {url}
    for _ in range(policy.max_redirects + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Outcome("refused", f"redirected to {current}, which is not an http(s) URL")
        vetted = _vet_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), policy)
        if isinstance(vetted, Outcome):
            return vetted
        status, location, retry_after = _request(parts, policy, vetted)
        if 300 <= status < 400 and location:
            current = urljoin(current, location)
            if current in seen:
                return Outcome("broken", f"redirect loop back to {current}")
            seen.add(current)
            continue
        if 200 <= status < 300:
            return Outcome("ok", str(status) if current == url else f"{status} after redirect to {current}")
        if status in _GONE:
            return Outcome("broken", _GONE[status])
        if status in _RETRY:
            raise _Transient(f"HTTP {status}", retry_after)
        return Outcome("unreachable", f"HTTP {status}")
    return Outcome("broken", f"more than {policy.max_redirects} redirects")


def _vet_host(host: str, port: int, policy: FetchPolicy) -> list[Address] | Outcome:
    """The addresses of ``host``, all of them vetted; the request connects to these and no others.

    A name that does not exist is retried like any failure (a resolver can say so for a moment) and
    is broken if it still does not exist at the last attempt; any other failure of the lookup is a
    temporary DNS failure: the link is unreachable now, not broken.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        if exc.errno in _NO_SUCH_NAME:
            raise _Transient(f"no such host ({host})", final="broken") from None
        raise _Transient(f"DNS lookup failed for {host} ({exc.strerror or exc})") from None
    if not policy.allow_private and any(is_private_address(str(info[4][0])) for info in infos):
        return Outcome("refused", f"{host} is a loopback or private address (allowed only with --allow-private)")
    return [(info[0], info[4]) for info in infos]


def _connect(addresses: list[Address], timeout: float | None) -> socket.socket:
    """A TCP connection to the first vetted address that answers (the name is not resolved again)."""
    failure: OSError = OSError("no address to connect to")
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            failure = exc
    raise failure


class _VettedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the vetted addresses; the Host header still names the host."""

    def __init__(self, host: str, port: int | None, addresses: list[Address], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.timeout)


class _VettedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the vetted addresses; SNI and the certificate check still use the host name."""

    def __init__(self, host: str, port: int | None, addresses: list[Address], timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses = addresses

    def connect(self) -> None:
        sock = _connect(self.addresses, self.timeout)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _request(parts: SplitResult, policy: FetchPolicy, addresses: list[Address]) -> tuple[int, str | None, float | None]:
    host, port = parts.hostname or "", parts.port
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _VettedHTTPSConnection if parts.scheme == "https" else _VettedHTTPConnection
    connection = kind(host, port, addresses, policy.timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": policy.user_agent, "Accept": "*/*"})
        response = connection.getresponse()
        remaining = policy.max_bytes
        while remaining > 0 and (chunk := response.read(min(remaining, 16384))):
            remaining -= len(chunk)
        return response.status, response.getheader("Location"), _retry_after(response.getheader("Retry-After"))
    except TimeoutError:
        raise _Transient(f"no answer within {policy.timeout:g} s") from None
    except (ConnectionError, http.client.HTTPException, ssl.SSLError, OSError) as exc:
        raise _Transient(f"connection failed ({type(exc).__name__})") from None
    finally:
        connection.close()


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def check_urls(
    urls: Iterable[str], policy: FetchPolicy, sleep: Callable[[float], None] = time.sleep
) -> dict[str, Outcome]:
    """Check many URLs at once, never more than ``policy.per_host`` at a time on one host."""
    locks: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(policy.per_host))
    guard = threading.Lock()

    def one(url: str) -> tuple[str, Outcome]:
        host = (urlsplit(url).hostname or "").lower()
        with guard:
            lock = locks[host]
        with lock:
            return url, check_url(url, policy, sleep)

    with ThreadPoolExecutor(max_workers=policy.workers) as pool:
        return dict(pool.map(one, sorted(set(urls))))
