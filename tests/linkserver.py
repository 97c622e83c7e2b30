"""A local HTTP server on 127.0.0.1 that misbehaves on purpose, one fault per path."""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REDIRECTS = {
    "/chain/1": (301, "/chain/2"),
    "/chain/2": (302, "/chain/3"),
    "/chain/3": (307, "/ok"),
    "/loop/a": (302, "/loop/b"),
    "/loop/b": (302, "/loop/a"),
    "/to-file": (302, "file:///etc/passwd"),
    **{f"/long/{n}": (302, f"/long/{n + 1}") for n in range(10)},
}


class Hits(Counter[str]):
    """Requests per path; and per Host header, how many and the most that were in progress at once
    on /hold/... (each of which takes HOLD seconds to answer)."""

    def __init__(self) -> None:
        super().__init__()
        self.hosts: Counter[str] = Counter()
        self.peak: Counter[str] = Counter()
        self.active: Counter[str] = Counter()
        self.lock = threading.Lock()


HOLD = 0.3


class _Handler(BaseHTTPRequestHandler):
    hits: Hits

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep test output clean

    def _send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"ok") -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        host = self.headers.get("Host", "")
        with self.hits.lock:
            self.hits[self.path] += 1
            self.hits.hosts[host] += 1
        first = self.hits[self.path] == 1
        if self.path.startswith("/hold/"):
            self._hold(host)
        elif self.path in REDIRECTS:
            status, location = REDIRECTS[self.path]
            self._send(status, {"Location": location}, b"")
        elif self.path == "/ok" or self.path.startswith("/ok/"):
            self._send(200)
        elif self.path == "/missing":
            self._send(404)
        elif self.path == "/gone":
            self._send(410)
        elif self.path == "/forbidden":
            self._send(403)
        elif self.path == "/flaky":
            self._send(500 if first else 200)
        elif self.path == "/down":
            self._send(503)
        elif self.path == "/busy":
            self._send(429, {"Retry-After": "2"}) if first else self._send(200)
        elif self.path == "/slow":
            time.sleep(3)
            self._send(200)
        elif self.path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif self.path == "/endless":
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404)

    def _hold(self, host: str) -> None:
        with self.hits.lock:
            self.hits.active[host] += 1
            self.hits.peak[host] = max(self.hits.peak[host], self.hits.active[host])
        time.sleep(HOLD)
        with self.hits.lock:
            self.hits.active[host] -= 1
        self._send(200)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The faults are deliberate (clients hang up on /slow and /endless). The default handler would
        # print a traceback to whatever stderr is current, which may be another test's captured output.
        pass


@contextmanager
def serve(tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, Hits]]:
    """Yield the server's base URL (http://127.0.0.1:PORT, https with ``tls``) and its hit counters."""
    hits = Hits()
    handler = type("Handler", (_Handler,), {"hits": hits})
    server = _QuietServer(("127.0.0.1", 0), handler)
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
