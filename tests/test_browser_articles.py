"""A site of three articles in two languages (fixture ``articles``), as a reader gets it in headless
Chromium, served on 127.0.0.1: each article's explainer, the home page's list, the index filtered by
article, and the language switcher on every page type."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import axe_playwright_python
import pytest
from browsing import served_site
from playwright.sync_api import Browser, Page

from conftest import FIXTURES

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# Every page type of the site, one article's pages among them.
PAGES = {
    "home": "",
    "claims": "claims/",
    "claim": "claims/harbour-depth/",
    "article": "articles/harbour/",
    "faq": "articles/harbour/faq/",
    "timeline": "articles/harbour/timeline/",
    "options": "articles/demo/options/",
    "sources": "sources/",
    "methodology": "methodology/",
    "corrections": "corrections/",
}


@pytest.fixture(scope="module")
def articles_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_site(FIXTURES / "articles", tmp_path_factory.mktemp("articles") / "site") as url:
        yield url


@pytest.mark.parametrize("kind", list(PAGES))
def test_the_switcher_keeps_the_page_on_every_page_type(page: Page, articles_url: str, kind: str) -> None:
    page.goto(articles_url + PAGES[kind])
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="en"]')
    page.wait_for_url(articles_url + "en/" + PAGES[kind])
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="fr"]')
    page.wait_for_url(articles_url + PAGES[kind])


@pytest.mark.parametrize("lang", ["", "en/"])
def test_each_article_s_explainer_is_reached_from_the_home_page(page: Page, articles_url: str, lang: str) -> None:
    page.goto(articles_url + lang)
    listed = page.locator(".fc-article-summary")
    assert [listed.nth(i).get_attribute("data-seed") for i in range(listed.count())] == ["school", "harbour", "demo"]
    page.click('.fc-article-summary[data-seed="harbour"] h3 a')
    page.wait_for_url(articles_url + lang + "articles/harbour/")
    assert page.locator("h1").inner_text() == "The harbour is ready"
    assert page.locator("a.fc-mark").get_attribute("href") == "../../claims/harbour-depth/"
    # The article's menu leads to its questions, where the menu marks the page.
    menu = page.locator("nav.fc-explainer a")
    assert menu.count() == 3
    menu.nth(1).click()
    page.wait_for_url(articles_url + lang + "articles/harbour/faq/")
    assert (
        page.locator('nav.fc-explainer a[aria-current="page"]').get_attribute("href")
        == "../../../articles/harbour/faq/"
    )
    assert page.locator("h2#how-deep").count() == 1 and page.locator("h2#how-long").count() == 0
    # The menu of the whole site lists the articles; the article without questions has no questions page.
    response = page.goto(articles_url + lang + "articles/school/faq/")
    assert response is not None and response.status == 404


def test_the_index_filters_by_article(page: Page, articles_url: str) -> None:
    page.goto(articles_url + "en/claims/")
    shown = page.locator(".fc-claim-cards > li:visible")
    assert shown.count() == 4
    page.check('input[name="article"][value="demo"]')
    assert [shown.nth(i).get_attribute("data-article") for i in range(shown.count())] == ["demo", "demo"]
    assert page.locator('input[name="verdict"][value="accurate"]').locator("xpath=..").locator(
        ".fc-n"
    ).inner_text() == ("(0)")
    page.check('input[name="article"][value="harbour"]')
    assert shown.count() == 1 and shown.first.locator("a").inner_text() == "The harbour is 14 metres deep."


@pytest.mark.parametrize("kind", ["home", "article", "faq", "claims"])
def test_the_article_pages_have_no_serious_accessibility_violation(
    browser: Browser, articles_url: str, kind: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(articles_url + "en/" + PAGES[kind])
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"]
        in (
            "serious",
            "critical",
        )
    ]
    assert serious == []
    context.close()
