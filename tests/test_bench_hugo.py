"""The benchmark's yardstick and its account of a site's bytes: the Hugo site generated from a
synthetic root, Hugo's build of it, and the parts of a built site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from build_tools.content.dataset import Dataset
from build_tools.content.resolve import check_root
from build_tools.site.plan import plan_site
from build_tools.tools.bench import hugo
from build_tools.tools.bench.hugo import PUBLIC, count_pages, hugo_command, measure_hugo, write_hugo_site
from build_tools.tools.bench.sitebytes import (
    ASSETS,
    CLAIM_CHROME,
    CLAIM_CONTENT,
    OPEN_DATA,
    OTHER_PAGES,
    REST,
    SEARCH_INDEX,
    SHARE_IMAGES,
    measure_site,
    own_content,
)
from build_tools.tools.synth import write_synthetic_root

CLAIMS = 60  # enough for timeline events (one per 20 claims) and a FAQ question (one per 50)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    root = tmp_path_factory.mktemp("synth") / "root"
    write_synthetic_root(root, CLAIMS)
    found = check_root(root).dataset
    assert found is not None
    return found


def test_the_hugo_site_has_the_engine_s_pages_in_every_language(dataset: Dataset, tmp_path: Path) -> None:
    site = write_hugo_site(dataset, tmp_path / "hugo")
    assert site.languages == ("fr", "en")
    # One page per claim and language, a list of the claims, the home page and the other page types.
    kinds = [page.kind for page in plan_site(dataset).pages]
    assert site.pages == 2 * (CLAIMS + len(kinds))
    config = (tmp_path / "hugo" / "hugo.toml").read_text(encoding="utf-8")
    assert 'defaultContentLanguage = "fr"' in config
    assert "[languages.fr]" in config and "[languages.en]" in config
    assert 'title = "Benchmark: 60 claims"' in config
    for code, summary in (("fr", "Affirmation synthétique numéro 3."), ("en", "Synthetic claim number 3.")):
        content = tmp_path / "hugo" / "content" / code
        claims = sorted(path.name for path in (content / "claims").iterdir())
        assert claims == ["_index.md"] + [f"claim-{n:05d}.md" for n in range(CLAIMS)]
        written = sorted(path.relative_to(content).as_posix() for path in content.rglob("*.md"))
        folders = [page.folder for page in plan_site(dataset).pages]
        # Every planned page, where Hugo publishes it at the same address: the synthetic root has several
        # articles, each with its pages under articles/<seed>/.
        expected = [hugo.hugo_content_path(folder, folders) for folder in folders]
        assert sorted(path for path in written if not path.startswith("claims/claim-")) == sorted(expected)
        assert "articles/_index.md" in expected and "articles/synth-0000/_index.md" in expected
        assert "articles/synth-0000/timeline.md" in expected
        claim = (content / "claims" / "claim-00003.md").read_text(encoding="utf-8")
        assert claim.startswith(f'---\ntitle: "{summary}"\n---\n')
        assert "> Selon la phrase 3 du texte 0" in claim and "https://example.org/report/3" in claim
    # An article's timeline and questions are its own: events 0 to 2 rest on claims of the first text.
    timeline = (tmp_path / "hugo" / "content" / "en" / "articles/synth-0000/timeline.md").read_text(encoding="utf-8")
    assert "Event 0" in timeline and "Event 2" in timeline and "Event 3" not in timeline
    faq = (tmp_path / "hugo" / "content" / "fr" / "articles/synth-0000/faq.md").read_text(encoding="utf-8")
    assert "## Question 0 ?\n\nRéponse 0." in faq
    layouts = sorted(path.name for path in (tmp_path / "hugo" / "layouts" / "_default").iterdir())
    assert layouts == ["baseof.html", "list.html", "single.html"]


def test_hugo_builds_the_same_addresses(dataset: Dataset, tmp_path: Path) -> None:
    # .ci/run installs Debian's hugo: this test runs it, and fails rather than skip where it is missing.
    assert shutil.which("hugo"), "hugo is not installed (apt-get install hugo; .ci/run installs it)"
    site = write_hugo_site(dataset, tmp_path / "hugo")
    subprocess.run(hugo_command(site), check=True, capture_output=True)
    public = tmp_path / "hugo" / PUBLIC
    # The engine's pages, and the one Hugo writes at /fr/ to send readers of the default language to /.
    assert count_pages(public) == site.pages + 1
    page = (public / "en" / "claims" / "claim-00003" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert "<title>Synthetic claim number 3. - Benchmark: 60 claims</title>" in page
    assert '<li><a href="/en/articles/">Articles</a></li>' in page  # the navigation, as the engine's
    assert "/en/articles/synth-0000/" not in page
    french = (public / "claims" / "claim-00003" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Affirmation synthétique numéro 3.</h1>" in french
    listing = (public / "en" / "claims" / "index.html").read_text(encoding="utf-8")
    assert listing.count('<li><a href="/en/claims/claim-') == CLAIMS


def test_a_missing_hugo_is_reported(dataset: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hugo, "HUGO", "hugo-not-installed-here")
    result = measure_hugo(dataset, tmp_path / "hugo", 1)
    assert (result.wall, result.runs) == (None, [])
    assert result.missing == "`hugo-not-installed-here` is not installed (Debian: apt-get install hugo)"


PAGE = (
    b'<html><head><title>t</title></head><body><nav>menu</nav><article class="md-content__inner md-typeset">'
    b'<article class="fc-card">card</article><p>more</p></article><footer>f</footer></body></html>'
)


def test_a_claim_page_s_own_content_is_material_s_content_element() -> None:
    start = PAGE.index(b'<article class="md-content__inner')
    end = PAGE.rindex(b"</article>") + len(b"</article>")
    assert own_content(PAGE) == end - start
    assert own_content(b"<html><body>no content element</body></html>") == 0


def test_the_bytes_of_a_site_are_sorted_into_their_parts(tmp_path: Path) -> None:
    files = {
        "claims/claim-00000/index.html": PAGE,
        "en/claims/claim-00000/index.html": PAGE,
        "claims/index.html": b"x" * 50,
        "index.html": b"x" * 7,
        "assets/share/claim-00000.png": b"p" * 300,
        "en/assets/share/claim-00000.png": b"p" * 200,
        "assets/stylesheets/main.css": b"c" * 40,
        "search/search_index.json": b"s" * 30,
        "en/search/search_index.json": b"s" * 20,
        "opendata/claims.json": b"j" * 11,
        "sitemap.xml": b"m" * 5,
        "404.html": b"n" * 3,
    }
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    found = measure_site(tmp_path, 2)
    content = own_content(PAGE)
    assert found.images
    assert found.parts == {
        CLAIM_CHROME: 2 * (len(PAGE) - content),
        CLAIM_CONTENT: 2 * content,
        SHARE_IMAGES: 500,
        SEARCH_INDEX: 50,
        OTHER_PAGES: 57,
        ASSETS: 40,
        OPEN_DATA: 11,
        REST: 8,
    }
    assert found.total == sum(len(data) for data in files.values())
    assert found.per_claim(SHARE_IMAGES) == 250 and found.per_claim() == found.total / 2
