"""What the bytes of a built site are: the claim pages' own content and the theme's chrome around it,
the search index, the share images, the other pages and files, and what that makes per claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from build_tools.tools.bench.measure import SHARE_DIR

# The parts, in the order the report lists them.
CLAIM_CONTENT = "claim pages: their own content"
CLAIM_CHROME = "claim pages: the theme's chrome (head, header, navigation, table of contents, footer)"
SHARE_IMAGES = "share images"
SEARCH_INDEX = "search index"
OTHER_PAGES = "other pages (home, listings, article, FAQ, timeline…)"
ASSETS = "theme and engine assets (style sheets, scripts, icons)"
OPEN_DATA = "open data (claims.json, claims.csv, feed)"
REST = "the rest (sitemaps, 404 page, build marker)"
PARTS = (CLAIM_CHROME, CLAIM_CONTENT, SHARE_IMAGES, SEARCH_INDEX, OTHER_PAGES, ASSETS, OPEN_DATA, REST)

# Material puts the page's own content in this element; everything else on the page is the theme's.
_CONTENT_START = b'<article class="md-content__inner'
_CONTENT_END = b"</article>"


@dataclass
class SiteBytes:
    claims: int
    images: bool  # the site measured had its share images
    parts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.parts.values())

    def per_claim(self, part: str | None = None) -> float:
        """Bytes per claim (both languages), of one part or of the whole site."""
        return (self.total if part is None else self.parts.get(part, 0)) / self.claims


def own_content(page: bytes) -> int:
    """The bytes of the page's own content: Material's content element, from its start to its end
    (the last ``</article>``, since the content holds articles of its own)."""
    start = page.find(_CONTENT_START)
    end = page.rfind(_CONTENT_END)
    return end + len(_CONTENT_END) - start if start != -1 and end > start else 0


def _part(relative: Path) -> str:
    parts = relative.parts
    text = relative.as_posix()
    if f"/{SHARE_DIR}/" in f"/{text}":
        return SHARE_IMAGES
    if relative.name == "search_index.json":
        return SEARCH_INDEX
    if "assets" in parts:
        return ASSETS
    if "opendata" in parts:
        return OPEN_DATA
    if relative.name.endswith(".html") and relative.name != "404.html":
        return OTHER_PAGES
    return REST


def _is_claim_page(relative: Path) -> bool:
    parts = relative.parts
    return len(parts) >= 3 and parts[-1] == "index.html" and parts[-3] == "claims"


def measure_site(site: Path, claims: int) -> SiteBytes:
    result = SiteBytes(claims, (site / SHARE_DIR).is_dir(), dict.fromkeys(PARTS, 0))
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        relative = path.relative_to(site)
        if _is_claim_page(relative):
            page = path.read_bytes()
            content = own_content(page)
            result.parts[CLAIM_CONTENT] += content
            result.parts[CLAIM_CHROME] += len(page) - content
        else:
            result.parts[_part(relative)] += path.stat().st_size
    return result
