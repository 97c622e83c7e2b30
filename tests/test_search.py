"""Search entries for generated pages are the ones Material's own search parser gives, read faster."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from material.plugins.search.plugin import SearchIndex

from build_tools.content.resolve import check_root
from build_tools.site import search
from build_tools.site.adapter import theme_text
from build_tools.site.pages import render_site
from conftest import FIXTURES, REPO, REPO_TODAY


def _material(url: str, title: str, html: str) -> list[dict[str, str]]:
    index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    index.add_entry_from_context(SimpleNamespace(meta={"title": title}, title=title, content=html, url=url, toc=[]))
    return list(index.entries)


@pytest.mark.parametrize("root", [FIXTURES / "minimal", FIXTURES / "trilingual", REPO], ids=lambda p: p.name)
def test_every_generated_page_gives_material_s_entries(root: Path) -> None:
    dataset = check_root(root, REPO_TODAY if root == REPO else None).dataset
    assert dataset is not None
    pages = [page for language in render_site(dataset).values() for page in language.pages.values()]
    assert len(pages) > 10
    for page in pages:
        url = page.src_uri.removesuffix("index.md").removesuffix(".md")
        url += "/" if url and not url.endswith("/") else ""
        title = theme_text(page.title)
        html = page.before + page.after
        assert list(search.entries(url, title, html)) == _material(url, title, html), page.src_uri


SNIPPETS = {
    "text before any heading": '<p>Intro &amp; more</p><h2 id="a">A <em>b</em></h2><p>x</p>',
    "permalink left out of titles": '<h2 id="s">Sources<a class="headerlink" href="#s">¶</a></h2><p>t</p>',
    "excluded section": '<h2 id="k">Kept</h2><p>k</p><h2 id="x" data-search-exclude>Out</h2><p>o</p>',
    "excluded element": '<h2 id="k">K</h2><div data-search-exclude><p>hidden</p></div><p>shown</p>',
    "whitespace in pre kept": '<h2 id="c">Code</h2><pre><code>a  =\n  1</code></pre>',
    "empty kept elements dropped": '<h2 id="e">E</h2><p> </p><ul><li>one</li><li></li></ul>',
    "heading nested in a block": '<div><h3 id="n">Nested</h3><p>in</p></div><p>after the block</p>',
    "scripts and styles skipped": "<h2 id=\"s\">S</h2><script>var a = '<p>';</script><style>p{}</style><p>v</p>",
    "entities and quotes": '<h1 id="t">L&#39;Ukraine &laquo; &gt; &raquo;</h1><p>&quot;x&quot; &lt;y&gt;</p>',
    "void and self-closing tags": '<h2 id="v">V</h2><p>a<br>b<img src="x.png" alt="i"/>c</p><hr>',
    "headings without an id": '<h2>No id</h2><p>text</p><h2 id="y">Id</h2><p>more</p>',
    "markup kept in a title": '<h2 id="t">Title <code>x</code></h2><p>body <code>y</code></p>',
    "excluded element nesting its own kind": (
        '<h2 id="k">K</h2><div data-search-exclude><div><p>hidden</p></div><p>still hidden</p></div><p>shown</p>'
    ),
    "tags closed at once": '<h2 id="a">A</h2><p>x<code/>y<code />z</p><div data-search-exclude/><p>after</p>',
    "a slash before a space closes nothing": '<h2 id="a">A</h2><p>x<code / >y</code>z</p><p>after</p>',
    "comments skipped": '<h2 id="c">C</h2><!-- a note --><p>after <!-- another -->the comment</p>',
    "first heading deep in blocks": '<div><div><h2 id="a">A</h2><p>x</p></div></div><p>after the blocks</p>',
}


@pytest.mark.parametrize("html", SNIPPETS.values(), ids=SNIPPETS.keys())
def test_the_parser_rules_are_material_s(html: str) -> None:
    assert list(search.entries("page/", "Page &amp; title", html)) == _material("page/", "Page &amp; title", html)


STOPPING = {
    **SNIPPETS,
    "text back to the card after a nested heading": (
        '<div><h1 id="card">C</h1><p>one</p></div><div><h2 id="n">N</h2><p>in</p></div><p>back</p>'
        '<h2 id="top">T</h2><p>after</p>'
    ),
    "the card after a first section": '<h2 id="a">A</h2><p>x</p><div><h3 id="card">C</h3><p>y</p></div><p>z</p>',
}


@pytest.mark.parametrize("html", STOPPING.values(), ids=STOPPING.keys())
@pytest.mark.parametrize("anchors", [("card",), ("a",), ("n",), ()])
def test_reading_until_some_anchors_keeps_their_sections_whole(html: str, anchors: tuple[str, ...]) -> None:
    whole = list(search.entries("page/", "T", html))
    read = list(search.entries("page/", "T", html, until=anchors))
    wanted = [entry for entry in whole if entry["location"].partition("#")[2] in {"", *anchors}]
    assert [entry for entry in read if entry["location"].partition("#")[2] in {"", *anchors}] == wanted
    assert read == whole[: len(read)]


@pytest.mark.parametrize("root", [FIXTURES / "minimal", FIXTURES / "trilingual", REPO], ids=lambda p: p.name)
def test_a_claim_page_s_summary_is_read_from_its_beginning_alone(root: Path) -> None:
    dataset = check_root(root, REPO_TODAY if root == REPO else None).dataset
    assert dataset is not None
    claim_pages = [page for pages in render_site(dataset).values() for page in pages.pages.values() if page.claim_id]
    for page in claim_pages:
        html = page.before + page.after
        read = list(search.entries("c/", "T", html, until=search.SUMMARY_ANCHORS))
        assert search.summary("c/", read) == search.summary("c/", search.entries("c/", "T", html)), page.src_uri
        assert len(read) < len(list(search.entries("c/", "T", html)))  # the rest of the page was not read


def test_the_index_holds_every_searchable_page_once(tmp_path: Path) -> None:
    import json

    from build_tools.site.build import build_site
    from build_tools.site.plan import plan_site
    from conftest import copy_root

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    dataset = check_root(root).dataset
    assert dataset is not None
    build_site(dataset, tmp_path / "site")
    expected = {page.folder for page in plan_site(dataset).pages if page.searchable}
    expected |= {f"claims/{claim_id}/" for claim_id in dataset.claims}
    for prefix in ("", "en/"):
        index = json.loads((tmp_path / "site" / prefix / "search/search_index.json").read_text(encoding="utf-8"))
        pages = [entry["location"] for entry in index["docs"] if "#" not in entry["location"]]
        assert sorted(pages) == sorted(expected)  # each page's first entry, once
        # A claim page is indexed by its summary alone: one entry, no section of its own.
        assert not [
            entry for entry in index["docs"] if entry["location"].startswith("claims/") and "#" in entry["location"]
        ]


def test_a_hand_written_page_keeps_every_section_material_indexed(tmp_path: Path) -> None:
    import json

    from build_tools.site.build import build_site
    from conftest import copy_root

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    for code in ("fr", "en"):
        page = f"# About {code}\n\nIntro.\n\n## Part one\n\nFirst.\n\n## Part two\n\nSecond.\n"
        (root / "docs" / f"about.{code}.md").write_text(page, encoding="utf-8")
    dataset = check_root(root).dataset
    assert dataset is not None
    build_site(dataset, tmp_path / "site")
    for prefix, code in (("", "fr"), ("en/", "en")):
        text = (tmp_path / "site" / prefix / "search/search_index.json").read_text(encoding="utf-8")
        index = json.loads(text)
        about = {entry["location"]: entry["title"] for entry in index["docs"] if entry["location"].startswith("about/")}
        assert about == {"about/": f"About {code}", "about/#part-one": "Part one", "about/#part-two": "Part two"}
        # Written as Material writes it: compact, in its order.
        assert text == json.dumps(index, separators=(",", ":"))


def test_a_claim_page_s_summary_is_who_claims_it_and_its_card() -> None:
    found = [
        {"location": "claims/c/", "title": "Claim", "text": "<p>Who · where</p>"},
        {"location": "claims/c/#fc-claim-title", "title": "Claim", "text": "<p>Quote</p> <p>In short: no.</p>"},
        {"location": "claims/c/#reasoning", "title": "Reasoning", "text": "<p>Why</p>"},
        {"location": "claims/c/#sources", "title": "Sources", "text": "<ol><li>A source</li></ol>"},
    ]
    assert search.summary("claims/c/", found) == [
        {"location": "claims/c/", "title": "Claim", "text": "<p>Who · where</p> <p>Quote</p> <p>In short: no.</p>"}
    ]
    assert search.summary("claims/c/", found[2:]) == []


def test_the_verdict_scale_is_left_out_of_a_claim_s_entry(tmp_path: Path) -> None:
    """Every claim page shows every verdict on its scale; in the index they would make each claim
    match every verdict's name."""
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    page = render_site(dataset)["en"].pages["claims/bridge-length.md"]
    text = " ".join(entry["text"] for entry in search.entries("claims/bridge-length/", "t", page.before + page.after))
    assert 'class="fc-meter"' in page.before + page.after
    assert "(our verdict, step" not in text
