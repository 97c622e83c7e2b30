"""End to end: build the small bilingual fixture site and read the HTML a reader gets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from build_tools.content.model import SiteLanguage
from build_tools.content.resolve import check_root
from build_tools.site import build
from conftest import FIXTURES, Run, built_site_scope, copy_root

PAGES = [
    "",
    "article/",
    "claims/",
    "claims/bridge-length/",
    "claims/good-news/",
    "corrections/",
    "faq/",
    "methodology/",
    "options/",
    "sources/",
    "timeline/",
]


@pytest.fixture(scope=built_site_scope)
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from build_tools.cli import main

    root = copy_root(FIXTURES / "minimal", tmp_path_factory.mktemp("site") / "root")
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


def read(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_every_page_exists_in_both_languages(site: Path) -> None:
    pages = sorted(str(p.parent.relative_to(site)) for p in site.rglob("index.html"))
    french = ["." if not p else p.rstrip("/") for p in PAGES]
    english = ["en" if not p else f"en/{p.rstrip('/')}" for p in PAGES]
    assert pages == sorted(french + english)


@pytest.mark.parametrize("page", PAGES)
def test_language_and_alternates(site: Path, page: str) -> None:
    french, english = read(site, page), read(site, f"en/{page}")
    assert '<html lang="fr"' in french and '<html lang="en"' in english
    for html in (french, english):
        assert 'hreflang="fr"' in html and 'hreflang="en"' in html


def test_switcher_lands_on_the_same_claim(site: Path) -> None:
    french = read(site, "claims/bridge-length/")
    english = read(site, "en/claims/bridge-length/")
    switch = r'<a href="([^"]*)" hreflang="([a-z]+)" class="md-select__link"'
    both = [("/claims/bridge-length/", "fr"), ("/en/claims/bridge-length/", "en")]
    assert re.findall(switch, french) == both
    assert re.findall(switch, english) == both


def test_titles_are_translated(site: Path) -> None:
    assert "<title>Le pont mesure 1 200 mètres. - Démo</title>" in read(site, "claims/bridge-length/")
    assert "<title>The bridge is 1,200 metres long. - " in read(site, "en/claims/bridge-length/")


def _json_ld(html: str) -> list[dict[str, object]]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


@pytest.mark.parametrize(("lang", "prefix", "label"), [("fr", "", "Plutôt exact"), ("en", "en/", "Mostly accurate")])
def test_claim_review_matches_the_record(site: Path, lang: str, prefix: str, label: str) -> None:
    record = yaml.safe_load((FIXTURES / "minimal/claims/bridge-length.yml").read_text(encoding="utf-8"))
    html = read(site, f"{prefix}claims/bridge-length/")
    [review] = _json_ld(html)
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == record["summary"][lang]
    assert review["inLanguage"] == lang
    assert review["datePublished"] == record["history"][0]["date"]
    assert review["dateModified"] == record["history"][-1]["date"] != record["history"][0]["date"]
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": label,
    }
    item = review["itemReviewed"]
    assert isinstance(item, dict)
    assert "author" not in item  # no claimants registry: a name alone is no identity a database can match
    assert item["datePublished"] == record["claimed_on"]
    assert item["appearance"]["datePublished"] == "2025-01-10"
    # Without site_url no absolute address is known, and ClaimReview accepts no other: left out.
    assert "url" not in review
    # What the JSON-LD says is what the page shows.
    assert f"<span>{label}</span>" in html
    assert f'<h1 id="fc-claim-title">{record["summary"][lang]}</h1>' in html


def test_unrated_verdict_has_no_rating_value(site: Path) -> None:
    [review] = _json_ld(read(site, "en/claims/good-news/"))
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Not checkable: opinion or analysis"}


def test_only_claim_pages_carry_claim_review(site: Path) -> None:
    for page in PAGES:
        expected = 1 if page.startswith("claims/") and page != "claims/" else 0
        assert len(_json_ld(read(site, page))) == expected, page


def test_claim_page_shows_everything(site: Path) -> None:
    html = read(site, "en/claims/bridge-length/")
    for fragment in [
        '<blockquote class="fc-quote" lang="fr"><p>le pont mesure 1 200 mètres</p></blockquote>',
        '<span lang="en">the bridge is 1,200 metres long</span>',
        'The register gives <em>1,180 metres</em>, according to <a rel="noopener noreferrer" '
        'href="https://example.org/bridge">the record</a>',
        '<a href="https://example.org/bridge" rel="noopener noreferrer">Fiche du pont</a>',
        '<a href="https://example.org/archive/bridge" rel="noopener noreferrer">archived copy</a>',
        '<blockquote lang="fr"><p>Longueur : 1 180 m</p></blockquote>',
        'Registre des ouvrages · <time datetime="2024-12-01">1 December 2024</time> · in French ·',
        "<strong>In short:</strong> According to the register, 1,180 metres: a little less than the 1,200 stated.",
        '<p class="fc-origins">1 independent origin: Registre des ouvrages</p>',
        'Reviewed on <time datetime="2025-01-12">12 January 2025</time>',
        '<a href="../../claims/good-news/">It is good news for the region.</a>',
        "Source file: <code>claims/bridge-length.yml</code>",
    ]:
        assert fragment in html
    assert 'Vérifié le <time datetime="2025-01-12">12 janvier 2025</time>' in read(site, "claims/bridge-length/")


def test_badges_have_text_and_icon(site: Path) -> None:
    html = read(site, "claims/")
    cards = html.split('<ul class="fc-claim-cards">')[1]
    badges = re.findall(
        r'<span class="fc-badge" data-verdict="([a-z-]+)"><span class="fc-icon" aria-hidden="true"></span>'
        r"<span>([^<]+)</span></span>",
        cards,
    )
    assert set(badges) == {
        ("mostly-accurate", "Plutôt exact"),
        ("not-checkable", "Non vérifiable : opinion ou analyse"),
    }
    assert "style=" not in html.split('<div class="md-content"')[1]
    css = (site / "assets/factcheck/verdicts.css").read_text(encoding="utf-8")
    for verdict, colour in [("accurate", "#1b5e20"), ("not-checkable", "#5e35b1")]:
        assert (
            f'.fc-badge[data-verdict="{verdict}"], .fc-mark[data-verdict="{verdict}"], '
            f'.fc-card[data-verdict="{verdict}"], .fc-meter__step[data-verdict="{verdict}"] '
            f"{{ --fc-colour: {colour}; }}" in css
        )
        assert (
            f'.fc-badge[data-verdict="{verdict}"] .fc-icon {{ -webkit-mask-image: url("data:image/svg+xml;base64,'
            in css
        )
    assert 'href="../assets/factcheck/verdicts.css"' in html


def test_index_lists_every_claim_and_its_filters(site: Path) -> None:
    html = read(site, "en/claims/")
    cards = re.findall(r'<li data-verdict="([a-z-]+)" data-topic="([a-z-]+)">', html)
    assert cards == [("mostly-accurate", "statements"), ("not-checkable", "analysis")]
    # Filters exist for verdict and topic, with the counts of the data; hidden until the script runs.
    assert '<div class="fc-filters">' in html
    options = re.findall(
        r'<input type="radio" name="([a-z]+)" value="([a-z-]*)"[^>]*> ([^<]+) <span class="fc-n">\((\d+)\)', html
    )
    assert options == [
        ("verdict", "", "Show all", "2"),
        ("verdict", "mostly-accurate", "Mostly accurate", "1"),
        ("verdict", "not-checkable", "Not checkable: opinion or analysis", "1"),
        ("topic", "", "Show all", "2"),
        ("topic", "statements", "Official statements", "1"),
        ("topic", "analysis", "Analysis and scenarios", "1"),
    ]
    # The legend gives every verdict of the scale with its definition.
    assert html.count('<dt><span class="fc-badge"') == 7


def test_article_highlights_lead_to_claims(site: Path) -> None:
    html = read(site, "article/")
    marks = re.findall(r'<a class="fc-mark" href="([^"]+)"( id="[^"]+")? data-verdict="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert [(href, anchor, verdict, text) for href, anchor, verdict, text in marks] == [
        ("../claims/bridge-length/", ' id="claim-bridge-length"', "mostly-accurate", "le pont mesure 1 200 mètres"),
        (
            "../claims/good-news/",
            ' id="claim-good-news"',
            "not-checkable",
            "c’est « une bonne nouvelle » pour la région",
        ),
    ]


def test_corrections_list_verdict_changes(site: Path) -> None:
    html = read(site, "en/corrections/")
    assert "Verdict changed from" in html and "The exact length is 1,180 m." in html
    assert html.index('data-verdict="accurate"') < html.index('data-verdict="mostly-accurate"', html.index("changed"))


def test_no_third_party_requests(site: Path) -> None:
    for page in PAGES:
        html = read(site, page)
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
        sources = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', html)
        assert sources == [], page


def test_failed_build_leaves_the_previous_site(site: Path, cli: Callable[..., Run], tmp_path: Path) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root).code == 0
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "claims/good-news.yml").write_text("id: good-news\nid: twice\n", encoding="utf-8")
    run = cli("build", "--root", root)
    assert run.code == 1
    assert run.err.startswith("claims/good-news.yml:2:1: error: duplicate key 'id'")
    after = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before


def test_timeline_faq_and_options(site: Path) -> None:
    timeline = read(site, "en/timeline/")
    assert re.findall(r'class="fc-event" data-date="([0-9-]+)"', timeline) == ["2024-12-01", "2025-01-09"]
    assert 'As of <time datetime="2025-01-12">12 January 2025</time>' in timeline
    faq = read(site, "faq/")
    assert 'id="how-long"' in faq and '<a href="../claims/bridge-length/">' in faq
    options = read(site, "en/options/")
    assert "Option A: Good news" in options and '<a href="../claims/good-news/">' in options


def test_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    from build_tools.cli import main

    other = copy_root(FIXTURES / "minimal", tmp_path / "elsewhere")
    assert main(["build", "--root", str(other)]) == 0
    first = {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {str(p.relative_to(other / "site")): p.read_bytes() for p in (other / "site").rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


@pytest.mark.parametrize(
    ("prefix", "title"), [("", "Le pont mesure 1 200 mètres."), ("en/", "The bridge is 1,200 metres long.")]
)
def test_search_index_holds_content_pages_not_listings(site: Path, prefix: str, title: str) -> None:
    """Each language searches its own pages; listings only repeat the claim pages and stay out."""
    index = json.loads((site / prefix / "search/search_index.json").read_text(encoding="utf-8"))
    pages = {entry["location"].split("#")[0] for entry in index["docs"]}
    assert pages == {"", "claims/bridge-length/", "claims/good-news/", "faq/", "methodology/", "options/", "timeline/"}
    claim = next(e for e in index["docs"] if e["location"] == "claims/bridge-length/")
    assert claim["title"] == title


def _snapshot(site: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_generation_failure_leaves_the_previous_site(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    import build_tools.site.build
    import build_tools.site.state

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root).code == 0
    before = _snapshot(root / "site")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("generation failed")

    # Each language's build renders its pages: a defect there is one still (exit 3), language and exception named.
    monkeypatch.setattr(build_tools.site.state, "render_language", broken)
    run, crash = cli("build", "--root", root), "LanguageBuildCrashed: the fr build crashed: RuntimeError: generation"
    assert (run.code, run.err) == (3, f"internal error: {crash} failed (a bug in build_tools)\n")
    assert _snapshot(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []  # no staging folder left behind


@pytest.mark.parametrize("broken", [["en"], ["fr"], ["fr", "en"]])
def test_mkdocs_failure_leaves_the_previous_site(tmp_path: Path, cli: Callable[..., Run], broken: list[str]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root).code == 0
    before = _snapshot(root / "site")
    for code in broken:
        home = root / f"data/pages/home.{code}.md"
        home.write_text(home.read_text(encoding="utf-8") + "\n[gone](no-such-page.md)\n", encoding="utf-8")
    run = cli("build", "--root", root)
    assert run.code == 1
    failure = ["Aborted with 1 warnings in strict mode!", "Doc file 'index.md' contains a link 'no-such-page.md', "]
    failure[1] += "but the target is not found among documentation files."
    expected = ["error: MkDocs failed: " + failure[0], *(failure * len(broken))[1:]]  # (in one process, more follows)
    assert run.err.splitlines()[: len(expected)] == expected
    assert _snapshot(root / "site") == before


@pytest.mark.parametrize("cores", [2, 1])  # both languages at once, or one after the other
def test_parallel_build_matches_the_sequential_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cores: int) -> None:
    monkeypatch.setattr("build_tools.site.build.os.cpu_count", lambda: cores)
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    config = root / "mkdocs.url.yml"
    config.write_text(
        (root / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("site_dir: site", "site_dir: site\nsite_url: https://example.org/checks/"),
        encoding="utf-8",
    )
    dataset = check_root(root).dataset
    assert dataset is not None
    log, build_language = root / "built.log", build._build_language

    def counting(state: Any, language: SiteLanguage, *args: Any) -> None:  # runs in the forked process
        with log.open("a", encoding="utf-8") as out:
            out.write(language.code + "\n")
        build_language(state, language, *args)

    monkeypatch.setattr(build, "_build_language", counting)
    build.build_site(dataset, tmp_path / "sequential", config, parallel=False)
    build.build_site(dataset, tmp_path / "parallel", config, parallel=True)
    assert sorted(log.read_text(encoding="utf-8").split()) == ["en", "fr"]  # each language once
    assert sorted(path.name for path in tmp_path.iterdir()) == ["parallel", "root", "sequential"]  # no folder left
    first, second = _snapshot(tmp_path / "sequential"), _snapshot(tmp_path / "parallel")
    assert sorted(p.relative_to(tmp_path / "sequential") for p in first) == sorted(
        p.relative_to(tmp_path / "parallel") for p in second
    )
    differing = [
        str(p.relative_to(tmp_path / "sequential"))
        for p in first
        if first[p] != second[tmp_path / "parallel" / p.relative_to(tmp_path / "sequential")]
    ]
    assert differing == []
    assert '<html lang="fr"' in (tmp_path / "parallel/404.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (tmp_path / "parallel/en/404.html").read_text(encoding="utf-8")
    # With site_url, ClaimReview gives each page's absolute address.
    for prefix in ("", "en/"):
        html = (tmp_path / "parallel" / prefix / "claims/bridge-length/index.html").read_text(encoding="utf-8")
        [review] = _json_ld(html)
        assert review["url"] == f"https://example.org/checks/{prefix}claims/bridge-length/"
    sitemap = (tmp_path / "parallel/sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/checks/en/claims/good-news/</loc>" in sitemap
    assert "<loc>https://example.org/checks/claims/good-news/</loc>" in sitemap


def test_sitemap_without_site_url_lists_no_made_up_address(site: Path) -> None:
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<url>" not in sitemap and "None" not in sitemap
    assert sitemap.rstrip().endswith('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>')


def test_the_card_places_the_verdict_on_the_scale(site: Path) -> None:
    html = read(site, "en/claims/bridge-length/")
    meter = re.search(r'<ol class="fc-meter" aria-label="([^"]+)" data-search-exclude>(.*?)</ol>', html, re.S)
    assert meter is not None
    assert meter.group(1) == "The verdict scale, from Inaccurate to Accurate"
    steps = re.findall(r'<li class="fc-meter__step" data-verdict="([a-z-]+)"( aria-current="true")?>', meter.group(2))
    assert steps == [
        ("inaccurate", ""),
        ("misleading", ""),
        ("imprecise", ""),
        ("mostly-accurate", ' aria-current="true"'),
        ("accurate", ""),
    ]
    # What a screen reader says at the marked step, not only its colour.
    assert '<span class="fc-visually-hidden"> (our verdict, step 4 of 5)</span>' in meter.group(2)


def test_an_unrated_verdict_is_another_kind_not_a_step(site: Path) -> None:
    html = read(site, "en/claims/good-news/")
    assert '<ol class="fc-meter"' not in html
    assert '<p class="fc-verdict__kind"><strong>Not rated on the scale.</strong> An opinion' in html
    assert "<strong>In short:</strong> The author&#39;s judgement, which cannot be checked." in html


def test_claim_pages_are_rendered_as_they_are_written_and_let_go_of(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site of 25,000 claims must not hold every claim page's HTML at once: none is rendered before
    MkDocs writes it, and once written its content is let go of."""
    from build_tools.site import pages, plugin

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    dataset = check_root(root).dataset
    assert dataset is not None
    rendered: list[str] = []
    after_files: list[int] = []
    kept: list[str] = []
    claim_page, on_files = pages._Renderer.claim_page, plugin.FactcheckPlugin.on_files
    on_post_page = plugin.FactcheckPlugin.on_post_page

    def counting(self: Any, template: Any, claim: Any) -> Any:
        rendered.append(claim.id)
        return claim_page(self, template, claim)

    def files_then_count(self: Any, files: Any, **kwargs: Any) -> Any:
        out = on_files(self, files, **kwargs)
        after_files.append(len(rendered))
        return out

    def post_page(self: Any, output: str, **kwargs: Any) -> str:
        result = on_post_page(self, output, **kwargs)
        page = kwargs["page"]
        if page.file.src_uri.startswith("claims/") and page.file.src_uri != "claims/index.md" and page.content:
            kept.append(page.file.src_uri)
        return result

    monkeypatch.setattr(pages._Renderer, "claim_page", counting)
    monkeypatch.setattr(plugin.FactcheckPlugin, "on_files", files_then_count)
    monkeypatch.setattr(plugin.FactcheckPlugin, "on_post_page", post_page)
    build.build_site(dataset, tmp_path / "site", parallel=False)
    assert after_files == [0, len(dataset.claims)]  # the first language's pages were written before the second's files
    assert sorted(rendered) == sorted(list(dataset.claims) * 2)  # each claim page once per language
    assert kept == []
    assert 'id="fc-claim-title"' in (tmp_path / "site/en/claims/bridge-length/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(("anchor", "code"), [("fc-claim-title", 0), ("no-such-anchor", 1)])
def test_a_link_to_an_anchor_of_a_claim_page_is_checked(
    tmp_path: Path, cli: Callable[..., Run], anchor: str, code: int
) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    home = root / "data/pages/home.en.md"
    home.write_text(
        home.read_text(encoding="utf-8") + f"\n[the bridge](claims/bridge-length.md#{anchor})\n", encoding="utf-8"
    )
    run = cli("build", "--root", root)
    assert run.code == code, run.err
    if code:
        assert "does not contain an anchor '#no-such-anchor'" in run.err
