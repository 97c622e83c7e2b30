"""Every page type of the published site, in both languages, through pa11y's HTML_CodeSniffer rules
(WCAG 2 AA) in Chromium: no error in the engine's markup; the theme's remaining issues are listed,
each with its reason, in tests/platforms/pa11y-allowed.txt."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from conftest import REPO, ServedSite

PA11Y = Path(__file__).parent / "platforms/pa11y.cjs"
ALLOWED = Path(__file__).parent / "platforms/pa11y-allowed.txt"
PAGE_TYPES = ["", "claims/", "claims/kremlin-warning/", "article/", "faq/", "timeline/", "options/", "sources/"]
PAGE_TYPES += ["methodology/", "corrections/"]


def _allowed() -> list[tuple[str, re.Pattern[str]]]:
    lines = ALLOWED.read_text(encoding="utf-8").splitlines()
    return [
        (line.split("\t")[0], re.compile(line.split("\t")[1])) for line in lines if line and not line.startswith("#")
    ]


def _pa11y(urls: list[str]) -> dict[str, list[dict[str, str]]]:
    node = REPO / ".venv/bin/node"
    assert node.is_file() and (REPO / "node_modules/pa11y").is_dir(), "run make setup (Node.js and npm ci)"
    env = {**os.environ, "PATH": f"{node.parent}:{os.environ['PATH']}"}
    run = subprocess.run([str(node), str(PA11Y), *urls], capture_output=True, text=True, env=env, cwd=REPO, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    found: dict[str, list[dict[str, str]]] = json.loads(run.stdout)
    return found


def test_every_page_type_passes_html_codesniffer(platform_site: ServedSite) -> None:
    urls = [platform_site.url + prefix + page for prefix in ("", "en/") for page in PAGE_TYPES]
    found = _pa11y(urls)
    assert sorted(found) == sorted(urls)
    allowed = _allowed()
    issues = [
        f"{url}: {issue['code']} at {issue['selector']}: {issue['message'][:160]}"
        for url, listed in found.items()
        for issue in listed
        if not any(code == issue["code"] and where.search(issue["selector"]) for code, where in allowed)
    ]
    assert issues == [], "\n".join(issues)


def test_pa11y_finds_what_the_engine_once_wrote(tmp_path: Path) -> None:
    """A form of filters with no submit button and an image without alternative text: the rules this
    suite relies on report both."""
    from siteserver import serving

    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head><body><main>'
        '<form><label><input type="radio" name="v" value="a"> a</label></form>'
        '<img src="x.png"></main></body></html>',
        encoding="utf-8",
    )
    with serving(tmp_path) as url:
        codes = sorted({issue["code"].rsplit(".", 1)[-1] for issue in _pa11y([url])[url]})
    assert "2" in codes or "H32" in "".join(codes)  # H32.2: a form without a submit button
    assert "H37" in codes  # an image without alternative text
