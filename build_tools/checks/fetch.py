"""Check external URLs over HTTP(S), carefully: every redirect hop is vetted, time and bytes are
bounded, transient failures are retried, and the answer says whether a link is broken for good or
only unreachable now."""

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
    def __init__(self, detail: str, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.detail, self.retry_after = detail, retry_after


def is_private_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    return not ip.is_global or ip.is_multicast


def check_url(url: str, policy: FetchPolicy, sleep: Callable[[float], None] = time.sleep) -> Outcome:
    delay = policy.backoff
    last = "no attempt made"
    for attempt in range(1, policy.attempts + 1):
        try:
            return _follow(url, policy)
        except _Transient as exc:
            last = exc.detail
            if attempt == policy.attempts:
                break
            wait = min(exc.retry_after, policy.max_retry_after) if exc.retry_after is not None else delay
            sleep(wait)
            delay *= 2
    return Outcome("unreachable", f"{last} (after {policy.attempts} attempts)")


def _follow(url: str, policy: FetchPolicy) -> Outcome:
    current, seen = url, {url}
    for _ in range(policy.max_redirects + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return Outcome("refused", f"redirected to {current}, which is not an http(s) URL")
        refusal = _vet_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), policy)
        if refusal is not None:
            return refusal
        status, location, retry_after = _request(parts, policy)
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


def _vet_host(host: str, port: int, policy: FetchPolicy) -> Outcome | None:
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        return Outcome("broken", f"no such host ({host})")
    if not policy.allow_private and any(is_private_address(str(info[4][0])) for info in infos):
        return Outcome("refused", f"{host} is a loopback or private address (allowed only with --allow-private)")
    return None


def _request(parts: SplitResult, policy: FetchPolicy) -> tuple[int, str | None, float | None]:
    host, port = parts.hostname or "", parts.port
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=policy.timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(host, port, timeout=policy.timeout)
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
