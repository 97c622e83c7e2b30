"""A local HTTP server on 127.0.0.1 serving the pages a watched source may turn into, one per path."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

QUOTE = "Le président a déclaré : « Nous ne céderons rien », jeudi à l'Élysée."
# The quote as a page writes it: typographic apostrophe, entities, a line break inside.
QUOTE_HTML = (
    "Le pr&eacute;sident a d&eacute;clar&eacute;&nbsp;: &laquo;&nbsp;Nous ne\n c&eacute;derons rien&nbsp;&raquo;, "
    "jeudi &agrave; l&rsquo;&Eacute;lys&eacute;e."
)
EDITED_HTML = "Le président a déclaré : « Nous ne négocierons pas », jeudi à l'Élysée."
FILLER = (
    "<p>La réunion s'est tenue en présence des ministres des Affaires étrangères et de la Défense, "
    "qui ont présenté leurs conclusions sur la situation régionale et les suites à donner aux discussions "
    "engagées depuis le début du mois avec les partenaires européens.</p>"
)
LATIN_QUOTE = "Ça coûte très cher, a-t-il dit à l'hôpital."
RUSSIAN_QUOTE = "Президент США был шокирован этим сообщением, сказал Ушаков."
RUSSIAN_FILLER = (
    "<p>Помощник президента России рассказал журналистам о телефонном разговоре, который продолжался "
    "около часа и касался положения на переговорах, а также дальнейших шагов сторон в ближайшие недели.</p>"
)


def article(paragraph: str, head: str = '<meta charset="utf-8">', filler: str = FILLER) -> str:
    return (
        f"<!DOCTYPE html><html><head>{head}<title>Article</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Article</h1>{filler}<p>{paragraph}</p>{filler}</article>"
        "<footer>All rights reserved</footer></body></html>"
    )


SCRIPT_ONLY = (
    "<!DOCTYPE html><html><head><script src='/app.js'></script></head><body><div id='app'></div></body></html>"
)
PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/present": (200, {"Content-Type": "text/html; charset=utf-8"}, article(QUOTE_HTML).encode()),
    "/edited": (200, {"Content-Type": "text/html"}, article(EDITED_HTML).encode()),
    "/deleted": (404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"),
    "/removed": (410, {"Content-Type": "text/html"}, b"<html><body>Gone</body></html>"),
    "/paywall": (403, {"Content-Type": "text/html"}, b"<html><body>Subscribe to read</body></html>"),
    "/script-only": (200, {"Content-Type": "text/html"}, SCRIPT_ONLY.encode()),
    # Not UTF-8: windows-1252 undeclared (what a browser assumes), declared as ISO-8859-1 in the header
    # (which browsers read as windows-1252); windows-1251 in the header only; KOI8-R in a meta tag only.
    "/latin-undeclared": (200, {"Content-Type": "text/html"}, article(LATIN_QUOTE, "").encode("cp1252")),
    "/latin-header": (
        200,
        {"Content-Type": "text/html; charset=ISO-8859-1"},
        article("“" + LATIN_QUOTE + "”", "").encode("cp1252"),
    ),
    "/cyrillic-header": (
        200,
        {"Content-Type": "text/html; charset=windows-1251"},
        article(RUSSIAN_QUOTE, "", RUSSIAN_FILLER).encode("cp1251"),
    ),
    "/cyrillic-meta": (
        200,
        {"Content-Type": "text/html"},
        article(
            RUSSIAN_QUOTE, '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">', RUSSIAN_FILLER
        ).encode("koi8-r"),
    ),
    "/gzip": (
        200,
        {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        gzip.compress(article(QUOTE_HTML).encode(), mtime=0),
    ),
    "/pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4"),
}
REDIRECTS = {
    "/loop/a": "/loop/b",
    "/loop/b": "/loop/a",
    "/elsewhere": "http://10.0.0.7/present",  # another host, on a private address: never fetched
}


class Hits(Counter[str]):
    """Requests per path."""


class _Handler(BaseHTTPRequestHandler):
    hits: Hits
    port: int

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.hits[self.path] += 1
        if self.path in PAGES:
            status, headers, body = PAGES[self.path]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path in REDIRECTS or self.path == "/renamed":
            # /renamed: the same article under another host name, which resolves to this machine.
            location = REDIRECTS.get(self.path, f"http://localhost:{self.headers['Host'].rpartition(':')[2]}/present")
            self.send_response(301)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path in ("/slow", "/endless"):
            self._trickle(endless=self.path == "/endless")
        else:
            self.send_error(404)

    def _trickle(self, *, endless: bool) -> None:
        """/slow: a byte every 0.2 s, for ever slower than any deadline; /endless: 64 KiB after 64 KiB."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            while True:
                self.wfile.write(b"x" * 65536 if endless else b"<")
                if not endless:
                    self.wfile.flush()
                    time.sleep(0.2)
        except OSError:
            pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the clients hang up on /slow and /endless on purpose


@contextmanager
def serve() -> Iterator[tuple[str, Hits]]:
    """The server's base URL (http://127.0.0.1:PORT) and its hit counter."""
    hits = Hits()
    server = _QuietServer(("127.0.0.1", 0), type("Handler", (_Handler,), {"hits": hits}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
