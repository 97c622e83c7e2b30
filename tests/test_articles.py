"""Articles as the unit of a site: each article's explainer under its own address, one index and one
home page across them, and only the pages a site has. The fixture ``articles`` holds three articles in
two languages: ``demo`` (questions, timeline, options), ``harbour`` (questions, timeline) and ``school``
(nothing of its own but the shared timeline event)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.content.dataset import Dataset
from build_tools.content.resolve import check_root
from build_tools.site import adapter
from build_tools.site.pages import render_site
from build_tools.site.plan import plan_site
from conftest import FIXTURES, Run, copy_root


@pytest.fixture(scope="module")
def articles() -> Dataset:
    found = check_root(FIXTURES / "articles").dataset
    assert found is not None
    return found


def _html(dataset: Dataset, page: str, lang: str = "en") -> str:
    generated = render_site(dataset)[lang].pages[page]
    return generated.before + generated.after


def test_each_article_has_its_own_pages_and_only_those_it_has(articles: Dataset) -> None:
    plan = plan_site(articles)
    assert [article.seed for article in plan.articles] == ["school", "harbour", "demo"]  # newest first
    assert [page.src_uri for page in plan.pages] == [
        "index.md",
        "claims/index.md",
        "articles/index.md",
        "articles/school/index.md",
        "articles/school/timeline/index.md",
        "articles/harbour/index.md",
        "articles/harbour/faq/index.md",
        "articles/harbour/timeline/index.md",
        "articles/demo/index.md",
        "articles/demo/faq/index.md",
        "articles/demo/timeline/index.md",
        "articles/demo/options/index.md",
        "sources/index.md",
        "methodology/index.md",
        "corrections/index.md",
    ]
    assert set(render_site(articles)["fr"].pages) >= {page.src_uri for page in plan.pages}


def test_one_article_keeps_the_addresses_it_always_had(minimal_root: Path) -> None:
    dataset = check_root(minimal_root).dataset
    assert dataset is not None
    folders = [page.folder for page in plan_site(dataset).pages]
    site_pages = ["sources/", "methodology/", "corrections/"]
    assert folders == ["", "claims/", "article/", "faq/", "timeline/", "options/", *site_pages]
    # A page with nothing to show is neither built nor in the menu.
    (minimal_root / "data/faq.yml").unlink()
    (minimal_root / "data/options.yml").unlink()
    dataset = check_root(minimal_root).dataset
    assert dataset is not None
    plan = plan_site(dataset)
    assert "faq/" not in [page.folder for page in plan.pages]
    assert "faq/index.md" not in render_site(dataset)["en"].pages
    nav = adapter.navigation(plan, str)
    assert {"faq": "faq/index.md"} not in nav and {"options": "options/index.md"} not in nav
    assert {"timeline": "timeline/index.md"} in nav


def test_the_menu_keeps_its_size_whatever_the_number_of_articles(articles: Dataset) -> None:
    nav = adapter.navigation(plan_site(articles), lambda kind: f"<{kind}>")
    assert nav == [
        {"&lt;home&gt;": "index.md"},
        {"&lt;claims&gt;": "claims/index.md"},
        {"&lt;articles&gt;": "articles/index.md"},
        {"&lt;sources&gt;": "sources/index.md"},
        {"&lt;methodology&gt;": "methodology/index.md"},
        {"&lt;corrections&gt;": "corrections/index.md"},
    ]


def test_the_articles_page_lists_them_all_newest_first(articles: Dataset) -> None:
    page = _html(articles, "articles/index.md")
    assert re.findall(r'<li><a href="../articles/([a-z]+)/" lang="(..)">', page) == [
        ("school", "fr"),
        ("harbour", "en"),
        ("demo", "fr"),
    ]
    demo = page[page.index("articles/demo/") :]
    assert re.findall(r'data-verdict="([a-z-]+)" data-count="(\d+)"', demo) == [
        ("mostly-accurate", "1"),
        ("not-checkable", "1"),
    ]


def test_an_article_s_pages_show_its_own_records(articles: Dataset) -> None:
    faq = _html(articles, "articles/harbour/faq/index.md")
    assert 'id="how-deep"' in faq and 'id="how-long"' not in faq
    timeline = _html(articles, "articles/school/timeline/index.md")
    # The event that names no article is on every timeline; the others only on their article's.
    assert re.findall(r'<li id="([a-z-]+)" class="fc-event"', timeline) == ["register-updated"]
    demo = _html(articles, "articles/demo/timeline/index.md")
    assert re.findall(r'<li id="([a-z-]+)" class="fc-event"', demo) == ["register-updated", "minister-speaks"]
    article = _html(articles, "articles/harbour/index.md")
    assert 'href="../../claims/harbour-depth/"' in article and "bridge-length" not in article
    # The article's own menu, the current page marked.
    menu = re.search(r'<nav class="fc-explainer".*?</nav>', faq, re.S)
    assert menu is not None
    assert re.findall(r'href="([^"]+)"( aria-current="page")?', menu.group(0)) == [
        ("../../../articles/harbour/", ""),
        ("../../../articles/harbour/faq/", ' aria-current="page"'),
        ("../../../articles/harbour/timeline/", ""),
    ]


def test_the_home_page_lists_the_articles_newest_first_with_their_findings(articles: Dataset) -> None:
    home = _html(articles, "index.md")
    assert re.findall(r'data-seed="([a-z]+)"', home) == ["school", "harbour", "demo"]
    harbour = home[home.index('data-seed="harbour"') : home.index('data-seed="demo"')]
    assert 'data-claim="harbour-depth"' in harbour and 'data-claim="bridge-length"' not in harbour
    assert 'href="articles/harbour/timeline/#harbour-dredged"' in harbour
    assert 'href="articles/harbour/"' in harbour


def test_the_index_filters_by_article(articles: Dataset) -> None:
    index = _html(articles, "claims/index.md")
    article_filter = re.search(r'<fieldset class="fc-filter" data-filter="article">.*?</fieldset>', index, re.S)
    assert article_filter is not None
    values = re.findall(r'value="([a-z]*)"> [^<]+ <span class="fc-n">\((\d+)\)</span>', article_filter.group(0))
    assert values == [("school", "1"), ("harbour", "1"), ("demo", "2")]  # newest first, as on the home page
    # Claims in the order of their ids: bridge-length, good-news, harbour-depth, school-opening.
    assert re.findall(r'data-article="([a-z]+)"', index) == ["demo", "demo", "harbour", "school"]


def test_a_claim_says_which_article_a_related_claim_was_checked_in(articles: Dataset) -> None:
    page = _html(articles, "claims/harbour-depth.md")
    assert 'href="../../articles/harbour/#claim-harbour-depth"' in page
    related = page[page.index('id="related"') :]
    assert re.search(r'class="fc-checked-in">Checked in: <a href="../../articles/demo/" lang="fr">', related)
    # A related claim of the same article says nothing more.
    assert "fc-checked-in" not in _html(articles, "claims/bridge-length.md")


def test_a_one_language_site_has_no_switcher(articles: Dataset) -> None:
    assert adapter.alternates("claims/", articles.languages[:1], None) == []
    assert len(adapter.alternates("claims/", articles.languages, None)) == 2


def test_a_question_the_article_asks_is_of_the_article_its_claims_are_of(articles: Dataset) -> None:
    from build_tools.content.model import Faq

    faq = articles.faq
    assert faq is not None
    unnamed = Faq(questions=[question.model_copy(update={"seed": None}) for question in faq.questions])
    from dataclasses import replace

    pages = render_site(replace(articles, faq=unnamed))["en"].pages
    assert 'id="how-deep"' in pages["articles/harbour/faq/index.md"].after
    assert 'id="how-long"' not in pages["articles/harbour/faq/index.md"].after
    assert "articles/school/faq/index.md" not in pages


def test_an_article_named_by_a_record_exists(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "articles", tmp_path / "root")
    faq = root / "data/faq.yml"
    faq.write_text(faq.read_text(encoding="utf-8").replace("seed: harbour", "seed: harbor"), encoding="utf-8")
    text = (root / "data/faq.yml").read_text(encoding="utf-8").replace("    seed: demo\n", "", 1)
    faq.write_text(text.replace("claims: [bridge-length]", "claims: [bridge-length, harbour-depth]"), encoding="utf-8")
    run = cli("check", "--root", str(root))
    assert run.code == 1
    assert "data/faq.yml:3:19: error: its claims are of several articles: name the one that asks" in run.err
    assert "data/faq.yml:12:11: error: no seed with id 'harbor'; did you mean 'harbour'? [unknown-seed]" in run.err


def test_the_three_articles_build(tmp_path: Path) -> None:
    from build_tools.site.build import build_site

    root = copy_root(FIXTURES / "articles", tmp_path / "root")
    dataset = check_root(root).dataset
    assert dataset is not None
    site = tmp_path / "site"
    build_site(dataset, site)
    for prefix in ("", "en/"):
        for folder in ("articles/demo/options/", "articles/school/timeline/", "claims/harbour-depth/"):
            assert (site / prefix / folder / "index.html").is_file(), prefix + folder
        assert not (site / prefix / "articles/school/faq").exists()
        assert not (site / prefix / "faq").exists() and not (site / prefix / "article").exists()
    shutil.rmtree(site)


def test_a_page_type_is_registered_the_way_the_engine_registers_its_own(tmp_path: Path) -> None:
    from build_tools.site.build import build_site
    from build_tools.site.page_kinds import PageKind, page_kinds, register, unregister

    def glossary(listings: object, seed_id: str | None) -> dict[str, object]:
        return {"terms": ["pont", "registre"]}

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / "templates").mkdir()
    (root / "templates/glossary.html").write_text(
        "{% block heading %}<h1>{{ page_title }}</h1>{% endblock %}\n"
        "{% block body %}<ul>{% for term in terms %}<li>{{ term }}</li>{% endfor %}</ul>{% endblock %}\n",
        encoding="utf-8",
    )
    strings = {
        "en": {"glossary": "Glossary", "nav_glossary": "Glossary", "about_glossary": "The words used."},
        "fr": {"glossary": "Glossaire", "nav_glossary": "Glossaire", "about_glossary": "Les mots employés."},
    }
    register(PageKind("glossary", "after", glossary, strings=strings))
    try:
        with pytest.raises(ValueError, match="cannot register a page type named 'glossary'"):
            register(PageKind("glossary", "after", glossary))
        with pytest.raises(ValueError, match="cannot register a page type named 'articles'"):
            register(PageKind("articles", "after", glossary))
        assert [kind.name for kind in page_kinds("after")][-1] == "glossary"
        dataset = check_root(root).dataset
        assert dataset is not None
        build_site(dataset, tmp_path / "site")
        for prefix, title in (("", "Glossaire"), ("en/", "Glossary")):
            page = (tmp_path / "site" / prefix / "glossary/index.html").read_text(encoding="utf-8")
            assert f"<h1>{title}</h1>" in page and "<li>registre</li>" in page
            home = (tmp_path / "site" / prefix / "index.html").read_text(encoding="utf-8")
            assert re.search(rf'<a href="glossary/" class="md-nav__link">\s*<span class="md-ellipsis">\s*{title}', home)
    finally:
        unregister("glossary")
    assert "glossary" not in [kind.name for kind in page_kinds()]
