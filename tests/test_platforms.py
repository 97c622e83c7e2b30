"""What search engines, feed readers and social networks read in a page's head, the sitemap and the
feeds, parsed the way they parse them (an HTML parser, feedparser, an XML parser)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from conftest import SHARED_PAGES as PAGES
from conftest import SITE_URL

LANGUAGES = {"fr": "", "en": "en/", "uk": "uk/"}


class _Head(HTMLParser):
    """The links and meta tags of a page's head."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "link":
            self.links.append(found)
        elif tag == "meta" and (key := found.get("property") or found.get("name")):
            self.meta.setdefault(key, []).append(found.get("content", ""))


def _head(site: Path, path: str) -> _Head:
    parser = _Head()
    parser.feed((site / path / "index.html").read_text(encoding="utf-8").split("</head>")[0])
    return parser


@pytest.mark.parametrize("prefix", LANGUAGES.values())
@pytest.mark.parametrize("page", PAGES)
def test_every_page_pairs_its_languages_with_absolute_addresses(shared_site: Path, prefix: str, page: str) -> None:
    head = _head(shared_site, prefix + page)
    hreflang = {
        link["hreflang"]: link["href"] for link in head.links if link.get("rel") == "alternate" and "hreflang" in link
    }
    assert hreflang == {
        "fr": f"{SITE_URL}{page}",
        "en": f"{SITE_URL}en/{page}",
        "uk": f"{SITE_URL}uk/{page}",
        "x-default": f"{SITE_URL}{page}",
    }


@pytest.mark.parametrize(("code", "prefix"), LANGUAGES.items())
def test_every_page_declares_its_language_s_feed(shared_site: Path, code: str, prefix: str) -> None:
    for page in PAGES:
        feeds = [link for link in _head(shared_site, prefix + page).links if link.get("type") == "application/atom+xml"]
        assert [(link["rel"], link["href"]) for link in feeds] == [
            ("alternate", f"{SITE_URL}{prefix}opendata/feed.xml")
        ], page
        assert feeds[0]["title"]


def test_each_page_describes_itself(shared_site: Path) -> None:
    descriptions = {page: _head(shared_site, "en/" + page).meta["description"] for page in PAGES}
    assert all(len(found) == 1 and found[0] for found in descriptions.values())
    assert len({found[0] for found in descriptions.values()}) == len(PAGES)  # no two pages alike
    assert descriptions["claims/bridge-length/"] == [
        "Mostly accurate — According to the register, 1,180 metres: a little less than the 1,200 stated."
    ]
    # A page with a hand-written introduction is described by its first paragraph, as text.
    assert (
        (shared_site.parent / "data/pages/home.en.md")
        .read_text(encoding="utf-8")
        .startswith("See the [claims](claims/index.md).")
    )
    assert descriptions[""] == ["See the claims."]


def test_the_sitemap_dates_each_page_by_its_content(shared_site: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.parse(shared_site / "sitemap.xml").getroot().findall("s:url", namespace)
    lastmod = {url.findtext("s:loc", "", namespace): url.findtext("s:lastmod", "", namespace) for url in urls}
    # bridge-length was last reviewed on 2025-01-12; good-news's only history entry is 2025-01-11;
    # the timeline's last event is 2025-01-09 but it is complete as of 2025-01-12.
    assert lastmod[f"{SITE_URL}en/claims/bridge-length/"] == "2025-01-12"
    assert lastmod[f"{SITE_URL}uk/claims/good-news/"] == "2025-01-11"
    assert lastmod[f"{SITE_URL}timeline/"] == "2025-01-12"
    assert set(lastmod.values()) <= {"2025-01-11", "2025-01-12"}  # never the day of the build
    assert len(lastmod) == 3 * len(PAGES)


def test_readers_subscribed_to_two_languages_get_every_entry_of_both(shared_site: Path) -> None:
    feeds = {
        code: feedparser.parse(str(shared_site / prefix / "opendata/feed.xml")) for code, prefix in LANGUAGES.items()
    }
    ids = {code: [entry.id for entry in feed.entries] for code, feed in feeds.items()}
    assert all(len(found) == 2 for found in ids.values())
    assert len(set().union(*ids.values())) == 6  # one id per claim and language
    for code, prefix in LANGUAGES.items():
        feed = feeds[code].feed
        assert not feeds[code].bozo and feed.language == code
        links = {(link.rel, link.get("type")): link.href for link in feed.links}
        assert links[("alternate", "text/html")] == f"{SITE_URL}{prefix}"  # the site the feed belongs to
        assert links[("self", "application/atom+xml")] == f"{SITE_URL}{prefix}opendata/feed.xml"


def test_the_ids_of_a_feed_are_the_same_from_build_to_build(shared_site: Path, tmp_path: Path) -> None:
    from build_tools.content.resolve import check_root
    from build_tools.site.opendata import atom_feed

    dataset = check_root(shared_site.parent).dataset
    assert dataset is not None
    built = feedparser.parse(str(shared_site / "en/opendata/feed.xml"))
    again = feedparser.parse(atom_feed(dataset, "en", SITE_URL + "en/"))
    assert [entry.id for entry in built.entries] == [entry.id for entry in again.entries]


def test_claim_pages_carry_their_dates_and_a_described_image(shared_site: Path) -> None:
    meta = _head(shared_site, "en/claims/bridge-length").meta
    assert meta["article:published_time"] == ["2025-01-11"]
    assert meta["article:modified_time"] == ["2025-01-12"]
    [alt] = meta["twitter:image:alt"]
    assert alt.startswith("The bridge is 1,200 metres long.") and "1,180 metres" in alt and len(alt) <= 420
    assert meta["og:image:alt"] == [alt]
    assert "article:published_time" not in _head(shared_site, "en/claims").meta


def test_social_titles_keep_within_the_documented_lengths(tmp_path: Path) -> None:
    from build_tools.site.templating import shorten

    title = "Le Kremlin a averti qu'une livraison nuirait considérablement aux relations et au règlement du conflit."
    short = shorten(title, 70)
    assert short == "Le Kremlin a averti qu'une livraison nuirait considérablement aux…"
    assert len(short) <= 70 and shorten("Short title", 70) == "Short title"
    assert shorten("x" * 100, 70) == "x" * 69 + "…"
