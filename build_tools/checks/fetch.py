"""Check external URLs over HTTP(S), carefully: every redirect hop is vetted, time and bytes are
bounded, transient failures are retried, and the answer says whether a link is broken for good or
only unreachable now.

At each hop the URL itself is vetted first: a malformed host or port is a broken link, a user name
before the host (``https://www.lemonde.fr@evil.example/`` goes to evil.example) a refused one; nothing
is resolved or connected for either. The host name is then resolved once; every address is vetted
and the connection goes to one of them, never to the name again, so a second DNS answer cannot lead
it elsewhere. Only global addresses are fetched, and loopback ones when allowed (a local test
server); private, link-local, metadata-service and other reserved addresses never are, also when
they hide inside an IPv6 address (IPv4-mapped, 6to4, NAT64, ...). The Host header, SNI and
certificate check still use the name. A lookup that fails for a moment (EAI_AGAIN and any failure
other than "no such name") makes the link unreachable, a warning; a name that does not exist at
any attempt makes it broken.

Each request has one deadline, from connecting to the last byte read: a server that answers a byte
at a time cannot stretch it (a timeout per read would wait for ever). The lookup is left to the
system resolver's own limits."""

from __future__ import annotations

import http.client
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import InitVar, dataclass, field, replace
from typing import Literal
from urllib.parse import SplitResult, urljoin, urlsplit

from build_tools.checks.deadline import Deadline

Status = Literal["ok", "broken", "unreachable", "refused"]
_GONE = {404: "not found (404)", 410: "gone (410)"}
_RETRY = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Answer:
    """The last response read: from which address, its HTTP status, its Content-Type and
    Content-Encoding headers, and its body as sent (at most ``max_bytes`` of it: ``cut`` when the
    limit was reached, and the rest, if any, left unread)."""

    url: str
    status: int
    content_type: str
    content_encoding: str
    body: bytes
    cut: bool = False


@dataclass(frozen=True)
class Outcome:
    status: Status
    detail: str
    # Not compared: for ``watch``, which reads the page itself. ``reached`` is the last address asked
    # (a redirect's target, also one that was refused), ``answer`` the response read there, if any.
    reached: str = field(default="", compare=False)
    answer: Answer | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class FetchPolicy:
    """How to fetch. ``allow_loopback`` lets 127.0.0.0/8 and ::1 be fetched besides global addresses,
    for a server on this machine; nothing else that is not global ever is. ``allow_private`` is its
    former name, still accepted (``--allow-private`` sets it)."""

    timeout: float = 10.0  # seconds for each request, from connecting to the last byte read
    max_redirects: int = 5
    max_bytes: int = 256 * 1024  # a page that sends more is still "ok": we only need its status
    attempts: int = 3
    backoff: float = 1.0  # seconds, doubled after each failed attempt
    max_retry_after: float = 30.0
    per_host: int = 2
    workers: int = 8
    allow_loopback: bool = False
    user_agent: str = "factcheck-linkcheck/1 (+https://schema.org/ClaimReview)"
    accept_encoding: str = "identity"  # ``watch`` takes "gzip, deflate" and decompresses within its own bound
    keep_body: bool = False  # the link checker needs only the status; ``watch`` reads the page
    # Not a field: a copy made with dataclasses.replace() keeps allow_loopback as it is.
    allow_private: InitVar[bool] = False

    def __post_init__(self, allow_private: bool) -> None:
        if allow_private:
            object.__setattr__(self, "allow_loopback", True)


class _Transient(Exception):
    """A failure worth another attempt; ``final`` is the status if every attempt ends this way."""

    def __init__(self, detail: str, retry_after: float | None = None, final: Status = "unreachable") -> None:
        super().__init__(detail)
        self.detail, self.retry_after, self.final = detail, retry_after, final


# The resolver's answers that mean the name does not exist; every other failure of a lookup
# (EAI_AGAIN "try again", EAI_FAIL, a resolver that cannot be reached) says nothing about the link.
_NO_SUCH_NAME = frozenset(code for code in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", None)) if code is not None)

Address = tuple[int, tuple[object, ...]]  # (address family, socket address) as getaddrinfo gives them
Kind = Literal["global", "loopback", "never"]

# IPv6 prefixes that carry an IPv4 address in their last 32 bits, which a translator may reach.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_COMPATIBLE = ipaddress.IPv6Network("::/96")
_LABEL = re.compile(r"(?!-)[a-z0-9_-]{1,63}(?<!-)")


def address_kind(address: str) -> Kind:
    """``global`` (fetched), ``loopback`` (fetched only when allowed) or ``never``."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return "never"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_kind(str(ip.ipv4_mapped))  # the system connects to the IPv4 address itself
        embedded = [ip.sixtofour, ip.teredo[1] if ip.teredo else None]
        if any(ip in net for net in _NAT64) or (ip in _COMPATIBLE and int(ip) > 1):  # not :: or ::1
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        # A translator reaches the embedded address from its own network: only a global one is safe.
        if any(v4 is not None and address_kind(str(v4)) != "global" for v4 in embedded):
            return "never"
    if ip.is_loopback:
        return "loopback"
    return "global" if ip.is_global and not ip.is_multicast else "never"


def is_private_address(address: str) -> bool:
    return address_kind(address) != "global"


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
    hops = [url]
    return replace(outcome := _hops(url, policy, hops), reached=outcome.reached or hops[-1])


def _hops(url: str, policy: FetchPolicy, hops: list[str]) -> Outcome:
    current, seen = url, {url}
    for _ in range(policy.max_redirects + 1):
        hops.append(current)
        target = _target(current)
        if isinstance(target, Outcome):
            prefix = "the URL" if current == url else f"redirected to {current}, which"
            return Outcome(target.status, f"{prefix} {target.detail}")
        parts, port = target
        vetted = _vet_host(parts.hostname or "", port, policy)
        if isinstance(vetted, Outcome):
            return vetted
        answer, location, retry_after = _request(parts, policy, vetted)
        status = answer.status
        if 300 <= status < 400 and location:
            try:
                current = urljoin(current, location)
            except ValueError as exc:  # urljoin parses the Location, and may find it malformed
                return Outcome("broken", f"redirected to {location}, which is malformed ({exc})")
            if current in seen:
                return Outcome("broken", f"redirect loop back to {current}")
            seen.add(current)
            continue
        if 200 <= status < 300:
            detail = str(status) if current == url else f"{status} after redirect to {current}"
            return Outcome("ok", detail, answer=answer)
        if status in _GONE:
            return Outcome("broken", _GONE[status], answer=answer)
        if status in _RETRY:
            raise _Transient(f"HTTP {status}", retry_after)
        return Outcome("unreachable", f"HTTP {status}", answer=answer)
    return Outcome("broken", f"more than {policy.max_redirects} redirects")


def _target(url: str) -> tuple[SplitResult, int] | Outcome:
    """The parts of ``url`` and its port, or why it is not fetched (a detail to follow "the URL")."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return Outcome("broken", f"is malformed ({exc})")
    if parts.scheme not in ("http", "https"):
        return Outcome("refused", "is not an http(s) URL")
    if "@" in parts.netloc:
        return Outcome("refused", f"names a user before its host ({parts.netloc}): not fetched")
    host = parts.hostname
    if not host:
        return Outcome("broken", "has no host")
    try:
        port = parts.port
    except ValueError:
        port = 0  # a port was written, but not a number from 1 to 65535
    if port == 0:
        return Outcome("broken", f"has an invalid port ({parts.netloc.rpartition(']')[2].partition(':')[2]})")
    if not _valid_host(host):
        return Outcome("broken", f"has a malformed host name ({host})")
    return parts, port or (443 if parts.scheme == "https" else 80)


def _valid_host(host: str) -> bool:
    """An IP address, or a DNS name (IDNA allowed): a host with a space or a %-escape is a typo, and
    is not handed to the resolver."""
    if host.startswith("[") or ":" in host:
        return True  # an IPv6 literal, already checked by urlsplit
    try:
        name = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = name.removesuffix(".").split(".")
    return len(name) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def _literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False
    return True


def _vet_host(host: str, port: int, policy: FetchPolicy) -> list[Address] | Outcome:
    """The addresses of ``host``, all of them vetted; the request connects to these and no others.

    An address in the URL is vetted before it is even parsed by the resolver. A name that does not
    exist is retried like any failure (a resolver can say so for a moment) and is broken if it still
    does not exist at the last attempt; any other failure of the lookup is a temporary DNS failure:
    the link is unreachable now, not broken.
    """
    literal = _literal(host)
    if literal and (refusal := _refusal(host, host, policy)):
        return refusal
    try:
        flags = socket.AI_NUMERICHOST if literal else 0
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP, flags=flags)
    except socket.gaierror as exc:
        if literal:
            return Outcome("broken", f"{host} is not an address this machine can reach ({exc.strerror or exc})")
        if exc.errno in _NO_SUCH_NAME:
            raise _Transient(f"no such host ({host})", final="broken") from None
        raise _Transient(f"DNS lookup failed for {host} ({exc.strerror or exc})") from None
    for info in infos:
        if refusal := _refusal(host, str(info[4][0]), policy):
            return refusal
    return [(info[0], info[4]) for info in infos]


def _refusal(host: str, address: str, policy: FetchPolicy) -> Outcome | None:
    kind = address_kind(address)
    if kind == "never":
        subject = f"{address} is" if address == host else f"{host} resolves to {address},"
        return Outcome("refused", f"{subject} a private, link-local or reserved address: never fetched")
    if kind == "loopback" and not policy.allow_loopback:
        return Outcome("refused", f"{host} is a loopback or private address (allowed only with --allow-private)")
    return None


def _connect(addresses: list[Address], deadline: Deadline) -> socket.socket:
    """A TCP connection to the first vetted address that answers (the name is not resolved again)."""
    failure: OSError = OSError("no address to connect to")
    for family, address in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            deadline.watch(sock)
            sock.settimeout(deadline.remaining())
            sock.connect(address)
            return sock
        except OSError as exc:
            sock.close()
            failure = exc
    raise failure


class _VettedHTTPConnection(http.client.HTTPConnection):
    """HTTP to the vetted addresses; the Host header still names the host."""

    def __init__(self, host: str, port: int, addresses: list[Address], deadline: Deadline) -> None:
        super().__init__(host, port, timeout=deadline.seconds)
        self.addresses, self.deadline = addresses, deadline

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.deadline)


class _VettedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the vetted addresses; SNI and the certificate check still use the host name."""

    def __init__(self, host: str, port: int, addresses: list[Address], deadline: Deadline) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=deadline.seconds, context=self.tls)
        self.addresses, self.deadline = addresses, deadline

    def connect(self) -> None:
        sock = _connect(self.addresses, self.deadline)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def _request(
    parts: SplitResult, policy: FetchPolicy, addresses: list[Address]
) -> tuple[Answer, str | None, float | None]:
    host = parts.hostname or ""
    # Always given: http.client would read the port out of an IPv6 literal ("::1" as ":" port 1).
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _VettedHTTPSConnection if parts.scheme == "https" else _VettedHTTPConnection
    deadline = Deadline(policy.timeout)
    connection = kind(host, port, addresses, deadline)
    late = _Transient(f"no answer within {policy.timeout:g} s")
    try:
        headers = {"User-Agent": policy.user_agent, "Accept": "*/*", "Accept-Encoding": policy.accept_encoding}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        remaining, chunks = policy.max_bytes, []
        while remaining > 0 and (chunk := response.read(min(remaining, 16384))):
            remaining -= len(chunk)
            if policy.keep_body:
                chunks.append(chunk)
        if deadline.expired:  # the shutdown at the deadline reads as the end of the body
            raise late
        media, coding = (response.getheader(name) or "" for name in ("Content-Type", "Content-Encoding"))
        answer = Answer(parts.geturl(), response.status, media, coding, b"".join(chunks), cut=remaining <= 0)
        return answer, response.getheader("Location"), _retry_after(response.getheader("Retry-After"))
    except TimeoutError:
        raise late from None
    except (ConnectionError, http.client.HTTPException, ssl.SSLError, OSError) as exc:
        if deadline.expired:  # how the shutdown at the deadline showed itself
            raise late from None
        raise _Transient(f"connection failed ({type(exc).__name__})") from None
    finally:
        deadline.close()
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
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:
            host = ""  # check_url reports the malformed URL
        with guard:
            lock = locks[host]
        with lock:
            return url, check_url(url, policy, sleep)

    with ThreadPoolExecutor(max_workers=policy.workers) as pool:
        return dict(pool.map(one, sorted(set(urls))))
