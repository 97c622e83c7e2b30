"""The headless browser the reader-facing tests drive: Debian's chromium (/usr/bin/chromium), or the
Chromium-based browser FACTCHECK_CHROMIUM names, and a site built and served on 127.0.0.1.

A missing browser fails these tests: they are part of CI, not optional.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright
from siteserver import serving

from build_tools.content.resolve import check_root
from build_tools.site.build import build_site
from conftest import REPO_TODAY

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def served_site(root: Path, site: Path) -> Iterator[str]:
    """Build ``root`` into ``site`` and serve it on 127.0.0.1; yields the address."""
    dataset = check_root(root, REPO_TODAY).dataset
    assert dataset is not None
    build_site(dataset, site)
    with serving(site) as url:
        yield url


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
