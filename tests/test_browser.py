"""The site as a reader gets it, in headless Chromium, served on 127.0.0.1.

The browser is Debian's chromium (/usr/bin/chromium), or the Chromium-based browser FACTCHECK_CHROMIUM
names (the GitHub workflow installs Google Chrome and passes its path).

A missing browser fails these tests: they are part of CI, not optional.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from build_tools.content.resolve import check_root
from build_tools.site.build import build_site
from conftest import REPO, REPO_TODAY

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
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
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    dataset = check_root(REPO, REPO_TODAY).dataset
    assert dataset is not None
    site = tmp_path_factory.mktemp("reader") / "site"
    build_site(dataset, site)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).is_file(), (
        f"no browser at {CHROMIUM}: install Debian's chromium (.ci/run does) or set FACTCHECK_CHROMIUM to a Chromium "
        "or Google Chrome executable"
    )
    playwright: Playwright = sync_playwright().start()
    try:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def _requests_during(page: Page, url: str) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    page.goto(url, wait_until="networkidle")
    return seen


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_page_type(page: Page, base_url: str, kind: str, lang: str) -> None:
    """No request leaves 127.0.0.1; no serious or critical axe violation; a screenshot for review."""
    requests = _requests_during(page, base_url + lang + PAGE_TYPES[kind])
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
    page.screenshot(path=str(SCREENSHOTS / f"{kind}-{'en' if lang else 'fr'}.png"), full_page=False)


def test_language_switcher_lands_on_the_same_claim(page: Page, base_url: str) -> None:
    page.goto(base_url + "claims/kremlin-warning/")
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="en"]')
    page.wait_for_url(base_url + "en/claims/kremlin-warning/")
    assert page.locator("[data-claim]").first.get_attribute("data-claim") == "kremlin-warning"
    page.hover(".md-header__option .md-select")
    page.click('a.md-select__link[hreflang="fr"]')
    page.wait_for_url(base_url + "claims/kremlin-warning/")


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


def test_verdict_filter(page: Page, base_url: str) -> None:
    page.goto(base_url + "en/claims/")
    rows = page.locator(".fc-claims tbody tr")
    total = rows.count()
    page.select_option("#fc-filter", "mostly-accurate")
    visible = page.locator(".fc-claims tbody tr:not([hidden])")
    verdicts = {visible.nth(i).get_attribute("data-verdict") for i in range(visible.count())}
    assert verdicts == {"mostly-accurate"} and 0 < visible.count() < total
    assert page.locator(".fc-count").inner_text() == f"{visible.count()} claim(s)"
    page.select_option("#fc-filter", "")
    assert page.locator(".fc-claims tbody tr:not([hidden])").count() == total


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
    labels = page.locator(".fc-badge").evaluate_all("badges => badges.map(b => b.innerText.trim())")
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
    for path in ("claims/kremlin-warning/", "en/claims/tomahawk-range-1600-km/"):
        phone.goto(base_url + path)
        widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], (path, widths)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "claim-phone-en.png"))
    context.close()


def test_json_ld_is_parseable_in_the_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "en/claims/tomahawk-range-1600-km/")
    blocks = page.locator('script[type="application/ld+json"]').all_inner_texts()
    assert [json.loads(block)["reviewRating"]["alternateName"] for block in blocks] == ["Imprecise"]
