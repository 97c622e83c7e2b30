"""Outputs read the way their consumers read them, and the settings the site layer relies on."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from conftest import FIXTURES, Run, built_site_scope, copy_root

SITE_URL = "https://example.org/checks/"


def _build(root: Path, cli: Callable[..., Run], *args: str) -> Path:
    run = cli("build", "--root", root, *args)
    assert run.code == 0, run.err
    return root / "site"


def _built_with_site_url(tmp_path: Path, cli: Callable[..., Run]) -> Path:
    """The minimal root built with a published address, as CI builds the site it deploys."""
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_dir: site", f"site_dir: site\nsite_url: {SITE_URL}")
    )
    run = cli("build", "--root", root)
    assert (run.code, run.err) == (0, "")  # nothing left out, so nothing to say
    return root / "site"


@pytest.fixture(scope=built_site_scope)
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from build_tools.cli import main

    root = copy_root(FIXTURES / "minimal", tmp_path_factory.mktemp("outputs") / "root")
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


@pytest.mark.parametrize(
    ("prefix", "title"), [("", "Démo — Vérifications mises à jour"), ("en/", "Demo — Updated fact-checks")]
)
def test_feed_entries_lead_to_built_pages(built: Path, prefix: str, title: str) -> None:
    """A feed reader resolves each entry link against the feed's own address, then opens that page."""
    feed_url = f"http://127.0.0.1/{prefix}opendata/feed.xml"
    feed = feedparser.parse(
        (built / prefix / "opendata/feed.xml").read_bytes(),
        response_headers={"content-location": feed_url, "content-type": "application/atom+xml"},
    )
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == title
    assert feed.feed.language == prefix.rstrip("/") or "fr"
    assert len(feed.entries) == 2
    # Dated by the content: the newest change, and each claim's last one.
    assert feed.feed.updated == "2025-01-12T00:00:00Z"
    assert [entry.updated for entry in feed.entries] == ["2025-01-12T00:00:00Z", "2025-01-11T00:00:00Z"]
    # Without a published address the feed cannot name its own: no self link, and no stray text either.
    assert not any(link.rel == "self" for link in feed.feed.get("links", []))
    root = ET.fromstring((built / prefix / "opendata/feed.xml").read_bytes())
    assert not any((element.text or "").strip() for element in root.iter() if len(element))
    assert not any((element.tail or "").strip() for element in root.iter())
    for entry in feed.entries:
        path = urlsplit(urljoin(feed_url, entry.link)).path
        assert (built / path.lstrip("/") / "index.html").is_file(), entry.link
        assert path.startswith(f"/{prefix}claims/")


def test_feed_links_are_absolute_with_a_site_url(tmp_path: Path, cli: Callable[..., Run]) -> None:
    site = _built_with_site_url(tmp_path, cli)
    feed = feedparser.parse(
        (site / "en/opendata/feed.xml").read_bytes(), response_headers={"content-type": "application/atom+xml"}
    )
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.link for entry in feed.entries] == [
        f"{SITE_URL}en/claims/bridge-length/",
        f"{SITE_URL}en/claims/good-news/",
    ]
    assert any(link.rel == "self" and link.href == f"{SITE_URL}en/opendata/feed.xml" for link in feed.feed.links)


def test_text_that_looks_like_a_marker_is_only_text(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """Generated HTML never goes through Markdown or slot markers, so no text of a record can break a page."""
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    claim = root / "claims/good-news.yml"
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("Une appréciation de l'auteur.", '"@@fc-slot-0@@ et @@fc-slot-1@@"')
    )
    site = _build(root, cli)
    html = (site / "claims/good-news/index.html").read_text(encoding="utf-8")
    assert "<p>@@fc-slot-0@@ et @@fc-slot-1@@</p>" in html


class _Structure(HTMLParser):
    """The tags of the page's article, in order, with the text directly inside each."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.depth = 0
        self.tags: list[str] = []
        self.bare_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.inside = True
        if self.inside:
            self.tags.append(tag)
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.inside:
            self.depth -= 1
            self.inside = tag != "article"

    def handle_data(self, data: str) -> None:
        if self.inside and self.depth == 1 and data.strip():
            self.bare_text.append(data.strip())


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_claims_index_introduction_is_a_paragraph(built: Path, prefix: str) -> None:
    parser = _Structure()
    parser.feed((built / prefix / "claims/index.html").read_text(encoding="utf-8"))
    assert parser.bare_text == []
    h1 = parser.tags.index("h1")
    assert parser.tags[h1 + 1] == "p"


def test_directory_urls_are_required(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("use_directory_urls: true", "use_directory_urls: false")
    )
    run = cli("build", "--root", root)
    assert run.code == 1
    assert "needs 'use_directory_urls: true' in mkdocs.yml" in run.err
    assert not (root / "site").exists()


def test_a_hand_written_page_exists_in_every_language(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "trilingual", tmp_path / "root")
    (root / "docs/about.fr.md").write_text("# À propos\n", encoding="utf-8")
    run = cli("build", "--root", root)
    assert run.code == 1
    assert run.err.startswith(
        "docs/about.fr.md:0:0: error: a hand-written page exists in every language, or the switcher leads nowhere: "
        "add docs/about.en.md, docs/about.uk.md [missing-translation]\n"
    )
    assert cli("check", "--root", root).err == run.err  # check sees it too, before any build
    (root / "docs/about.en.md").write_text("# About\n", encoding="utf-8")
    (root / "docs/about.uk.md").write_text("# Про нас\n", encoding="utf-8")
    assert cli("build", "--root", root).code == 0
    assert (root / "site/uk/about/index.html").is_file()
    # It follows the generated pages in the navigation of each language.
    nav = re.findall(
        r'<a href="([^"]+)" class="md-nav__link', (root / "site/en/index.html").read_text(encoding="utf-8")
    )
    assert nav[-1] == "about/"


def test_a_hand_written_page_cannot_hide_a_generated_one(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / "docs/claims").mkdir()
    (root / "docs/claims/index.fr.md").write_text("# Mine\n", encoding="utf-8")
    (root / "docs/claims/index.en.md").write_text("# Mine\n", encoding="utf-8")
    run = cli("build", "--root", root)
    assert run.code == 1
    assert run.err.splitlines()[:2] == [
        f"docs/claims/index.{code}.md:0:0: error: the generator writes 'claims/index.md' itself; rename or move "
        "this file [generated-path]"
        for code in ("en", "fr")
    ]
    assert cli("check", "--root", root).err == run.err


def test_nothing_is_written_into_docs(built: Path) -> None:
    docs = built.parent / "docs"
    assert sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")) == [".gitkeep"]


def test_engine_text_says_nothing_of_one_article(built: Path) -> None:
    """Words written for one article belong to its content root, not to every site the engine builds."""
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"Options? A, B|as published, in French", text), page


def test_a_build_without_site_url_says_what_it_left_out(tmp_path: Path, cli: Callable[..., Run]) -> None:
    from build_tools.site.build import NO_SITE_URL

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    run = cli("build", "--root", root)
    assert (run.code, run.err) == (0, f"warning: {NO_SITE_URL}\n")


def test_the_build_date_is_the_content_s_newest_date(tmp_path: Path, cli: Callable[..., Run]) -> None:
    """Reproducible builds: the sitemap's dates come from the content (each page's own last change),
    never from the clock."""
    site = _built_with_site_url(tmp_path, cli)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    dates = {node.text for node in ET.parse(site / "sitemap.xml").getroot().iterfind("s:url/s:lastmod", namespace)}
    assert dates == {"2025-01-11", "2025-01-12"}


@pytest.mark.parametrize("mode", [[], ["--no-parallel"]])
def test_the_build_is_strict_whatever_mkdocs_yml_says(tmp_path: Path, cli: Callable[..., Run], mode: list[str]) -> None:
    """A broken link fails the build even when mkdocs.yml leaves strict mode out, in a parallel build too."""
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("strict: true\n", ""), encoding="utf-8")
    home = root / "data/pages/home.en.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    run = cli("build", "--root", root, *mode)
    assert run.code == 1 and "'no-such-page.md', but the target is not found" in run.err


def test_the_feed_holds_the_fifty_latest_changes() -> None:
    from dataclasses import replace

    from build_tools.content.resolve import check_root
    from build_tools.site.opendata import atom_feed

    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    claim = dataset.claims["good-news"]
    entry = claim.history[-1]
    many = {
        f"claim-{day:02}": claim.model_copy(
            update={"id": f"claim-{day:02}", "history": [entry.model_copy(update={"date": f"2025-02-{day:02}"})]}
        )
        for day in range(1, 29)
    }
    many |= {f"other-{n:02}": claim.model_copy(update={"id": f"other-{n:02}"}) for n in range(30)}
    feed = feedparser.parse(atom_feed(replace(dataset, claims=many), "en", None))
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.updated == "2025-02-28T00:00:00Z"
    assert len(feed.entries) == 50
    # Newest change first; among equal dates, by id, last first.
    assert feed.entries[0].link.endswith("claims/claim-28/") and feed.entries[27].link.endswith("claims/claim-01/")
    assert feed.entries[28].link.endswith("claims/other-29/") and feed.entries[49].link.endswith("claims/other-08/")


def test_csv_as_a_spreadsheet_reads_it(built: Path) -> None:
    import csv

    with (built / "opendata/claims.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == [
        *("id", "seed", "verdict", "topic", "reviewed_on", "summary_fr", "summary_en"),
        *("quote", "claimant_fr", "claimant_en", "sources"),
    ]
    assert [row["id"] for row in rows] == ["bridge-length", "good-news"]
    assert rows[0]["sources"] == "https://example.org/bridge" and rows[1]["sources"] == ""
    assert rows[0]["verdict"] == "mostly-accurate" and rows[0]["summary_en"] == "The bridge is 1,200 metres long."
    assert rows[0]["claimant_fr"] == "Le ministre" and rows[0]["quote"] == "le pont mesure 1 200 mètres"
    assert [row["reviewed_on"] for row in rows] == ["2025-01-12", "2025-01-11"]


def test_open_data(built: Path) -> None:
    import json

    text = (built / "opendata/claims.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"  # compact: for programs
    assert [claim["id"] for claim in data["claims"]] == ["bridge-length", "good-news"]
    for feed in (built / "opendata/feed.xml", built / "en/opendata/feed.xml"):
        text = feed.read_text(encoding="utf-8")
        assert text.count("<entry>") == 2 and "<updated>2025-01-12T00:00:00Z</updated>" in text
    assert 'xml:lang="en"' in (built / "en/opendata/feed.xml").read_text(encoding="utf-8")
