"""The renderer's pages read as HTML, without building a site: what each page says, and what a preview reuses."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from build_tools.content.dataset import Dataset
from build_tools.content.resolve import check_root
from build_tools.site import templating
from build_tools.site.pages import Rendered, render_site
from conftest import FIXTURES


@pytest.fixture
def dataset() -> Dataset:
    found = check_root(FIXTURES / "minimal").dataset
    assert found is not None
    return found


def _html(dataset: Dataset, page: str, lang: str = "en") -> str:
    generated = render_site(dataset)[lang].pages[page]
    return generated.before + generated.after


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def test_a_claim_page_is_its_template_alone(dataset: Dataset) -> None:
    # The page's content, as MkDocs places it, starts with the claim's card: nothing comes before it.
    assert _html(dataset, "claims/bridge-length.md").lstrip().startswith('<article class="fc-card"')


def test_the_annotated_article_keeps_every_character(dataset: Dataset) -> None:
    article = dataset.seeds["demo"].text.original
    text = _text(_html(dataset, "article/index.md", "fr"))
    for paragraph in filter(None, article.split("\n\n")):
        assert " ".join(paragraph.split()) in text, paragraph


def test_the_claims_index_counts_claims_per_verdict(dataset: Dataset) -> None:
    claim = dataset.claims["good-news"]
    twin = claim.model_copy(update={"id": "good-news-again"})
    dataset = replace(
        dataset,
        claims={**dataset.claims, twin.id: twin},
        claim_paths={**dataset.claim_paths, twin.id: "claims/good-news-again.yml"},
        quote_spans={**dataset.quote_spans, twin.id: dataset.quote_spans[claim.id]},
    )
    html = _html(dataset, "claims/index.md")
    counts = dict(re.findall(r'value="([a-z-]+)"> [^<]+ <span class="fc-n">\((\d+)\)</span>', html))
    assert counts == {"mostly-accurate": "1", "not-checkable": "2", "statements": "1", "analysis": "2"}


def test_publishers_are_listed_in_alphabetical_order_whatever_their_case(dataset: Dataset) -> None:
    claim = dataset.claims["bridge-length"]
    other = claim.sources[0].model_copy(update={"publisher": "agence locale", "url": "https://example.org/local"})
    changed = claim.model_copy(update={"sources": [*claim.sources, other]})
    text = _text(_html(replace(dataset, claims={**dataset.claims, claim.id: changed}), "sources/index.md"))
    assert 0 <= text.index("agence locale") < text.index("Registre des ouvrages")


def test_only_http_addresses_are_linked() -> None:
    assert templating._http_url("https://example.org/a") == "https://example.org/a"
    with pytest.raises(ValueError, match=r"^refusing to link to 'javascript:alert\(1\)': not an http\(s\) URL$"):
        templating._http_url("javascript:alert(1)")


def test_a_preview_reuses_the_claim_pages_whose_inputs_did_not_change(dataset: Dataset) -> None:
    first = render_site(dataset)
    previous = Rendered(dataset, first)
    again = render_site(dataset, previous=previous)
    for code in dataset.language_codes:
        assert again[code].pages["claims/good-news.md"] is first[code].pages["claims/good-news.md"]
    claim = dataset.claims["good-news"]
    edited = claim.model_copy(update={"summary": {**claim.summary, "en": "Edited."}})
    after = render_site(replace(dataset, claims={**dataset.claims, claim.id: edited}), previous=previous)
    assert after["en"].pages["claims/good-news.md"].title == "Edited."
    assert after["en"].pages["claims/bridge-length.md"] is not first["en"].pages["claims/bridge-length.md"]


def test_a_claim_page_s_contents_list_its_sections(dataset: Dataset) -> None:
    page = render_site(dataset)["en"].pages["claims/bridge-length.md"]
    headings = re.findall(r'<h2 id="([^"]+)"[^>]*>(.*?)<a class="headerlink"', page.after)
    assert headings and [(anchor, name) for _, anchor, name in page.toc] == headings
    assert {level for level, _, _ in page.toc} == {2}


def _distribution(html: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    bars = re.findall(r'<rect x="([\d.]+)" y="0" width="([\d.]+)"', html)
    counts = [
        (verdict, n) for verdict, n in re.findall(r'<li data-verdict="([a-z-]+)" data-count="(\d+)"', html) if n != "0"
    ]
    return bars, counts


def test_the_home_page_shows_how_the_verdicts_are_shared(dataset: Dataset) -> None:
    assert _distribution(_html(dataset, "index.md")) == (
        [("0.000", "50.000"), ("50.000", "50.000")],
        [("mostly-accurate", "1"), ("not-checkable", "1")],
    )


def test_where_quotes_overlap_the_shortest_links(dataset: Dataset) -> None:
    bridge = dataset.quote_spans["bridge-length"]
    # good-news made to run from the article's start to the end of bridge-length's quote, which it covers.
    spans = {**dataset.quote_spans, "good-news": (0, bridge[1])}
    html = _html(replace(dataset, quote_spans=spans), "article/index.md", "fr")
    quote = dataset.seeds["demo"].text.original[bridge[0] : bridge[1]]
    assert re.findall(rf'<a class="fc-mark" href="../claims/([a-z-]+)/"[^>]*>{re.escape(quote)}</a>', html) == [
        "bridge-length"
    ]
