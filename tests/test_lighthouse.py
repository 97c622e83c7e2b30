"""Lighthouse CI over every page type of the published site in both languages, served on 127.0.0.1
with compression, in Debian's chromium (or the browser FACTCHECK_CHROMIUM names): accessibility, best
practices and SEO at 100 on every page, and a performance budget (largest contentful paint, layout
shift under 0.1, bytes) on a claim page and the claims index, as tests/platforms/lighthouserc.json
asserts. The reports are kept in .artifacts/lighthouse/."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, ServedSite

LHCI = REPO / "node_modules/.bin/lhci"
RC = Path(__file__).parent / "platforms/lighthouserc.json"
REPORTS = REPO / ".artifacts/lighthouse"
PAGE_TYPES = ["", "claims/", "claims/kremlin-warning/", "article/", "faq/", "timeline/", "options/", "sources/"]
PAGE_TYPES += ["methodology/", "corrections/"]
BUDGETED = ["claims/", "claims/kremlin-warning/"]
FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
FLAGS += "--disable-component-update --disable-sync --disable-quic"


def _lhci(args: list[str], work: Path) -> subprocess.CompletedProcess[str]:
    node = REPO / ".venv/bin/node"
    assert node.is_file() and LHCI.is_file(), "run make setup (Node.js and npm ci)"
    env = {**os.environ, "PATH": f"{node.parent}:{os.environ['PATH']}", "LHCI_NO_LIGHTHOUSERC": "1"}
    chrome = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
    command = [str(node), str(LHCI), *args] + ([f"--chromePath={chrome}"] if args[0] == "collect" else [])
    return subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=1800)


def test_every_page_type_scores_100_and_keeps_its_budget(platform_site: ServedSite, tmp_path: Path) -> None:
    url = platform_site.url
    pages = [url + prefix + page for prefix in ("", "en/") for page in PAGE_TYPES]
    budgeted = {url + prefix + page for prefix in ("", "en/") for page in BUDGETED}
    settings = [f"--settings.chromeFlags={FLAGS}", "--numberOfRuns=1"]
    # The categories every page is held to, then the budgeted pages again with performance measured.
    quick = [f"--url={page}" for page in pages if page not in budgeted]
    quick_run = _lhci(
        ["collect", *quick, *settings, "--settings.onlyCategories=accessibility,best-practices,seo"], tmp_path
    )
    assert quick_run.returncode == 0, quick_run.stderr[-3000:]
    full_run = _lhci(["collect", "--additive", *[f"--url={page}" for page in sorted(budgeted)], *settings], tmp_path)
    assert full_run.returncode == 0, full_run.stderr[-3000:]
    asserted = _lhci(["assert", f"--config={RC}"], tmp_path)
    if REPORTS.exists():
        shutil.rmtree(REPORTS)
    kept = _lhci(["upload", "--target=filesystem", f"--outputDir={REPORTS}"], tmp_path)
    assert kept.returncode == 0, kept.stderr[-2000:]
    manifest = json.loads((REPORTS / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(entry["url"] for entry in manifest) == sorted(pages)  # every page was measured
    assert asserted.returncode == 0, asserted.stderr[-6000:] + asserted.stdout[-3000:]


def test_the_assertions_fail_a_page_with_the_defects_lighthouse_once_found(tmp_path: Path) -> None:
    """A relative hreflang link and a console error (a script asking for a missing file): the same
    configuration fails it, so a passing run means something."""
    from siteserver import serving

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A page</title>'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="description" content="A page.">'
        '<link rel="alternate" hreflang="fr" href="/fr/"></head><body><main><h1>A page</h1>'
        '<script>fetch("missing/sitemap.xml")</script></main></body></html>',
        encoding="utf-8",
    )
    work = tmp_path / "work"
    work.mkdir()
    with serving(site) as url:
        run = _lhci(
            ["collect", f"--url={url}", f"--settings.chromeFlags={FLAGS}", "--numberOfRuns=1",
             "--settings.onlyCategories=accessibility,best-practices,seo"],
            work,
        )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    asserted = _lhci(["assert", f"--config={RC}"], work)
    assert asserted.returncode != 0
    report = re.sub(r"\x1b\[[0-9;]*m", "", asserted.stderr)  # without its colours
    assert "categories.seo" in report.replace(":", ".") and "categories.best-practices" in report.replace(":", "."), (
        report
    )
