"""Internal links and anchors of a built site, in every language: each href that stays on the site
must reach a file, and each #fragment an element with that id."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from build_tools.problems import Problem

_SKIPPED_SCHEMES = ("http", "https", "mailto", "tel")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if values.get("name") and tag == "a":
            self.ids.add(str(values["name"]))
        href = values.get("href")
        if href is not None and tag in ("a", "link"):
            line, col = self.getpos()
            self.links.append((href, line, col + 1))


def check_site_links(site: Path, prefix: str = "") -> list[Problem]:
    """Problems are reported at ``prefix`` + the page's path inside the site."""
    pages: dict[Path, _Page] = {}

    def parsed(path: Path) -> _Page:
        if path not in pages:
            page = _Page()
            page.feed(path.read_text(encoding="utf-8", errors="replace"))
            pages[path] = page
        return pages[path]

    problems: list[Problem] = []
    for html in sorted(site.rglob("*.html")):
        rel = prefix + html.relative_to(site).as_posix()
        for href, line, col in parsed(html).links:
            parts = urlsplit(href)
            if parts.scheme:
                if parts.scheme not in _SKIPPED_SCHEMES:
                    problems.append(
                        Problem(rel, line, col, "bad-link", f"{href} → scheme '{parts.scheme}' is not allowed")
                    )
                continue
            if parts.netloc:
                continue
            target = _target(site, html, unquote(parts.path))
            if target is None:
                problems.append(Problem(rel, line, col, "broken-internal-link", f"{href} → no such page or file"))
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in parsed(target).ids:
                problems.append(Problem(rel, line, col, "broken-anchor", f"{href} → no element with id '{fragment}'"))
    return problems


def _target(site: Path, page: Path, path: str) -> Path | None:
    if not path:
        return page
    base = site if path.startswith("/") else page.parent
    candidate = (base / path.lstrip("/")).resolve()
    if not candidate.is_relative_to(site.resolve()):
        return None
    if candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None
