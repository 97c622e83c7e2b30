"""The site as a reader gets it, in headless Chromium, served on 127.0.0.1.

The browser is Debian's chromium (/usr/bin/chromium), or the Chromium-based browser FACTCHECK_CHROMIUM
names (the GitHub workflow installs Google Chrome and passes its path).

A missing browser fails these tests: they are part of CI, not optional.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from browsing import served_site
from playwright.sync_api import Browser, Page

from build_tools.content.resolve import check_root
from conftest import FIXTURES, REPO, REPO_TODAY

SCREENSHOTS = REPO / ".artifacts" / "screenshots"
AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
# One page of each type; the claim is one with sources, related claims and a full rationale.
PAGE_TYPES = {
    "home": "",
    "claims": "claims/",
    "claim": "claims/kremlin-warning/",
    "article": "article/",
    "faq": "faq/",
    "timeline": "timeline/",
    "options": "options/",
    "sources": "sources/",
    "methodology": "methodology/",
    "corrections": "corrections/",
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_site(REPO, tmp_path_factory.mktemp("reader") / "site") as url:
        yield url


@pytest.fixture(scope="module")
def trilingual_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served_site(FIXTURES / "trilingual", tmp_path_factory.mktemp("trilingual") / "site") as url:
        yield url


def _requests_during(page: Page, url: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url, wait_until="networkidle")
    return seen


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_type(browser: Browser, base_url: str, kind: str, lang: str, scheme: str) -> None:
    """No request leaves 127.0.0.1; no serious or critical axe violation in either palette; a screenshot."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    requests = _requests_during(page, base_url + lang + PAGE_TYPES[kind])
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    foreign = [r for r in requests if urlsplit(r).scheme in ("http", "https") and urlsplit(r).hostname != "127.0.0.1"]
    assert foreign == []
    assert page.evaluate("document.documentElement.lang") == ("en" if lang else "fr")
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    suffix = "" if scheme == "light" else "-dark"
    page.screenshot(path=str(SCREENSHOTS / f"{kind}-{'en' if lang else 'fr'}{suffix}.png"), full_page=False)
    context.close()


def test_language_switcher_lands_on_the_same_claim(page: Page, base_url: str) -> None:
    page.goto(base_url + "claims/kremlin-warning/")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="en"]')
    page.wait_for_url(base_url + "en/claims/kremlin-warning/")
    assert page.locator("[data-claim]").first.get_attribute("data-claim") == "kremlin-warning"
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="fr"]')
    page.wait_for_url(base_url + "claims/kremlin-warning/")


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_switcher_moves_among_three_languages(page: Page, trilingual_url: str, kind: str) -> None:
    """Round the three languages by the switcher alone (fr → en → uk → fr), staying on the same page."""
    path = PAGE_TYPES[kind].replace("kremlin-warning", "bridge-length")
    prefixes = {"fr": "", "en": "en/", "uk": "uk/"}
    page.goto(trilingual_url + path)
    for there in ("en", "uk", "fr"):
        page.hover(".md-header__option .md-select")
        page.click(f'a.md-select__link[hreflang="{there}"]')
        page.wait_for_url(trilingual_url + prefixes[there] + path)
        assert page.evaluate("document.documentElement.lang") == there


@pytest.mark.parametrize(
    ("lang", "word", "claim"), [("", "Ouchakov", "kremlin-warning"), ("en/", "Ushakov", "kremlin-warning")]
)
def test_search_finds_a_claim(page: Page, base_url: str, lang: str, word: str, claim: str) -> None:
    page.goto(base_url + lang)
    page.click("input.md-search__input")
    page.keyboard.type(word, delay=30)
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    assert any(f"{lang}claims/{claim}/" in href for href in hrefs), hrefs


@pytest.mark.parametrize(
    ("prefix", "one", "none", "two"),
    [("", "1 affirmation", "0 affirmation", "2 affirmations"), ("uk/", "1 твердження", "0 тверджень", "2 твердження")],
)
def test_the_index_count_takes_the_plural_form_of_its_language(
    page: Page, trilingual_url: str, prefix: str, one: str, none: str, two: str
) -> None:
    """The browser chooses among the forms Babel gave the page as CLDR says: French puts 0 in 'one',
    Ukrainian 0 in 'many'."""
    page.goto(trilingual_url + prefix + "claims/")
    count = page.locator(".fc-count")
    assert count.inner_text() == two
    page.check('input[name="verdict"][value="mostly-accurate"]')
    assert count.inner_text() == one
    page.check('input[name="topic"][value="analysis"]')  # no claim is both
    assert count.inner_text() == none


@pytest.mark.parametrize("width", [1280, 390])
def test_index_filters_by_verdict_and_topic(browser: Browser, base_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base_url + "en/claims/")
    cards = page.locator(".fc-claim-cards > li")
    total = cards.count()
    data = [
        (cards.nth(i).get_attribute("data-verdict"), cards.nth(i).get_attribute("data-topic")) for i in range(total)
    ]

    def shown() -> list[tuple[str | None, str | None]]:
        visible = page.locator(".fc-claim-cards > li:visible")
        return [
            (visible.nth(i).get_attribute("data-verdict"), visible.nth(i).get_attribute("data-topic"))
            for i in range(visible.count())
        ]

    page.check('input[name="verdict"][value="imprecise"]')
    assert shown() == [item for item in data if item[0] == "imprecise"] and 0 < len(shown()) < total
    count = len(shown())  # the count's plural form follows the number shown, as CLDR's English rules say
    assert page.locator(".fc-count").inner_text() == f"{count} claim{'' if count == 1 else 's'}"
    topic = shown()[0][1]
    # The topic counts follow the verdict chosen.
    label = page.locator(f'input[name="topic"][value="{topic}"]').locator("xpath=..")
    assert label.locator(".fc-n").inner_text() == f"({len([d for d in data if d == ('imprecise', topic)])})"
    page.check(f'input[name="topic"][value="{topic}"]')
    assert shown() == [item for item in data if item == ("imprecise", topic)]
    page.check('input[name="verdict"][value=""]')
    page.check('input[name="topic"][value=""]')
    assert len(shown()) == total
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_index_lists_and_filters_every_claim_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "claims/")
    cards = page.locator(".fc-claim-cards > li")
    assert cards.count() == len(list((REPO / "claims").glob("*.yml")))
    assert page.locator(".fc-claim-cards > li:visible").count() == cards.count()
    # The filters are in the page from the start (nothing moves when a script reveals them) and the
    # style sheet applies them.
    assert page.locator(".fc-filters").is_visible()
    page.check('input[name="verdict"][value="imprecise"]')
    verdicts = page.locator(".fc-claim-cards > li:visible").evaluate_all("items => items.map(i => i.dataset.verdict)")
    assert verdicts and set(verdicts) == {"imprecise"} and len(verdicts) < cards.count()
    context.close()


def test_timeline_is_in_date_order(page: Page, base_url: str) -> None:
    page.goto(base_url + "timeline/")
    dates = page.locator(".fc-event").evaluate_all("items => items.map(item => item.dataset.date)")
    assert len(dates) > 3 and dates == sorted(dates)


def test_each_highlight_leads_to_its_claim(page: Page, base_url: str) -> None:
    page.goto(base_url + "article/")
    marks = page.locator("a.fc-mark[id]")
    targets = marks.evaluate_all("marks => marks.map(m => [m.id.replace('claim-', ''), m.getAttribute('href')])")
    assert len(targets) == 30
    assert all(href == f"../claims/{claim}/" for claim, href in targets)
    marks.nth(5).click()
    page.wait_for_url(re.compile(r".*/claims/[a-z0-9-]+/$"))
    assert page.url.endswith(f"claims/{targets[5][0]}/")


def test_badges_carry_text(page: Page, base_url: str) -> None:
    page.goto(base_url + "en/claims/")
    labels = page.locator(".fc-claim-cards .fc-badge").evaluate_all("badges => badges.map(b => b.innerText.trim())")
    assert labels and all(labels)
    assert set(labels) >= {"Mostly accurate", "Imprecise", "Not checkable: opinion or analysis"}


def test_keyboard_reaches_search_and_language_switcher(page: Page, base_url: str) -> None:
    page.goto(base_url + "claims/kremlin-warning/")
    reached = []
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.append(
            page.evaluate(
                "() => { const e = document.activeElement; return [e.tagName, e.className || '', "
                "e.getAttribute('aria-label') || '', e.getAttribute('hreflang') || ''].join('|'); }"
            )
        )
    assert any("md-search__input" in item for item in reached), reached
    assert any(item.endswith("|en") or "langue" in item.lower() for item in reached), reached


def test_phone_width_has_no_horizontal_scroll(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    phone = context.new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in [
        ("claim-phone-fr", "claims/kremlin-warning/"),
        ("claim-phone-en", "en/claims/tomahawk-range-1600-km/"),
        ("home-phone-fr", ""),
        ("home-phone-en", "en/"),
        ("claims-phone-en", "en/claims/"),
    ]:
        phone.goto(base_url + path)
        widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], (path, widths)
        phone.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
    context.close()


def test_json_ld_is_parseable_in_the_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "en/claims/tomahawk-range-1600-km/")
    blocks = page.locator('script[type="application/ld+json"]').all_inner_texts()
    dataset = check_root(REPO, REPO_TODAY).dataset
    assert dataset is not None
    verdict = dataset.verdicts[dataset.claims["tomahawk-range-1600-km"].verdict]
    assert [json.loads(block)["reviewRating"]["alternateName"] for block in blocks] == [verdict.label["en"]]


@pytest.mark.parametrize("lang", ["", "en/"])
def test_home_counts_equal_the_data(page: Page, base_url: str, lang: str) -> None:
    dataset = check_root(REPO, REPO_TODAY).dataset
    assert dataset is not None
    page.goto(base_url + lang)
    legend = page.locator(".fc-chart__legend li")
    shown = {
        legend.nth(i).get_attribute("data-verdict"): int(legend.nth(i).locator("strong").inner_text())
        for i in range(legend.count())
    }
    expected = {verdict.id: 0 for verdict in dataset.scale.verdicts}
    for claim in dataset.claims.values():
        expected[claim.verdict] += 1
    assert shown == expected
    findings = page.locator(".fc-findings li")
    assert [findings.nth(i).get_attribute("data-claim") for i in range(findings.count())] == dataset.site.key_findings
    assert 3 <= findings.count() <= 5
    assert page.locator(".fc-front__since li").count() >= 1


def test_the_card_is_read_as_text(page: Page, base_url: str) -> None:
    """What an assistive technology reads of the verdict: the scale's name and the marked step, in words."""
    page.goto(base_url + "en/claims/kremlin-warning/")
    meter = page.get_by_role("list", name="The verdict scale, from Inaccurate to Accurate")
    current = meter.locator('[aria-current="true"]')
    assert current.inner_text().strip().startswith("Mostly accurate")
    assert "(our verdict, step 4 of 5)" in (current.text_content() or "")
    assert page.locator(".fc-conclusion").inner_text().startswith("In short:")
    # The card comes before the reasoning.
    card_top = page.locator(".fc-card").bounding_box()
    reasoning_top = page.locator("#reasoning").bounding_box()
    assert card_top is not None and reasoning_top is not None and card_top["y"] < reasoning_top["y"]


def test_print_shows_the_claim_and_its_sources_not_the_navigation(page: Page, base_url: str) -> None:
    page.goto(base_url + "en/claims/kremlin-warning/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".md-sidebar--primary").is_visible()
    assert page.locator(".fc-card").is_visible()
    urls = page.locator(".fc-print-url")
    assert urls.count() > 0 and all(urls.nth(i).is_visible() for i in range(urls.count()))
    assert urls.first.inner_text().startswith("https://")


def test_article_passages_one_after_another(page: Page, base_url: str) -> None:
    page.goto(base_url + "en/article/")
    marks = page.locator(".fc-article .fc-mark")
    page.click(".fc-passages button[data-step='1']")
    assert page.evaluate("document.activeElement.classList.contains('fc-mark')")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.getAttribute('href')") == marks.nth(1).get_attribute("href")
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.getAttribute('href')") == first
    assert page.locator(".fc-passages__where").inner_text() == f"Passage 1 of {marks.count()}"
    assert page.locator(".fc-article-legend li").count() >= 2


def test_every_claim_card_places_its_verdict(page: Page, base_url: str) -> None:
    """On every claim page, in both languages, the card names the verdict in words: its step on the
    scale, or that it is not rated."""
    dataset = check_root(REPO, REPO_TODAY).dataset
    assert dataset is not None
    rated = [v for v in dataset.scale.verdicts if v.rating_value is not None]
    rated.sort(key=lambda v: v.rating_value or 0)
    for claim in dataset.claims.values():
        verdict = dataset.verdicts[claim.verdict]
        for lang, prefix, step in (("fr", "", "échelon"), ("en", "en/", "step")):
            page.goto(f"{base_url}{prefix}claims/{claim.id}/")
            assert page.locator(".fc-conclusion").inner_text().endswith(claim.conclusion[lang])
            if verdict.rating_value is None:
                assert page.locator(".fc-meter").count() == 0
                assert page.locator(".fc-verdict__kind").is_visible()
            else:
                current = page.locator('.fc-meter [aria-current="true"]')
                n = rated.index(verdict) + 1
                assert current.count() == 1
                assert f"{step} {n} " in (current.text_content() or ""), (claim.id, lang)


@pytest.mark.parametrize("lang", ["", "en/"])
def test_no_page_requests_an_address_that_is_missing(browser: Browser, base_url: str, lang: str) -> None:
    """The theme asks for sitemap.xml beside every <link rel="alternate"> (each language's version and
    the feed); no request of any page type may end in an error, nor log one to the console."""
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    errors: list[str] = []
    sitemaps: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: sitemaps.append(urlsplit(r.url).path) if r.url.endswith("sitemap.xml") else None)
    for path in PAGE_TYPES.values():
        page.goto(base_url + lang + path, wait_until="networkidle")
    context.close()
    assert failed == [] and errors == []
    assert sitemaps and set(sitemaps) <= {"/sitemap.xml", "/en/sitemap.xml"}  # asked, and only where they are


def test_a_claim_page_says_when_its_sources_were_verified_and_links_archived_copies(
    page: Page, base_url: str, trilingual_url: str
) -> None:
    """From the source ledger: the date and the count beside the sources, in each language; and the
    archived copy a source records, beside it."""
    for lang, words in (("en/", "Sources last verified on 6 December 2026;"), ("", "Sources vérifiées pour la")):
        page.goto(base_url + lang + "claims/kremlin-warning/")
        verified = page.locator(".fc-sources + .fc-verified")
        assert verified.is_visible()
        assert verified.inner_text().startswith(words)
        assert verified.locator("time").get_attribute("datetime") == "2026-12-06"
    for lang, label in (("en/", "archived copy"), ("", "copie archivée")):
        page.goto(trilingual_url + lang + "claims/bridge-length/")
        archived = page.locator(".fc-source").first.get_by_role("link", name=label)
        assert archived.is_visible()
        assert archived.get_attribute("href") == "https://example.org/archive/bridge"
