"""The built site through the W3C Nu HTML Checker (vnu.jar, from npm), as a validator or a browser
vendor's engineer would run it: every page of every language, errors only. What the engine's own
templates write must be valid; the theme's remaining messages are listed, each with its reason, in
tests/platforms/vnu-allowed.txt."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from conftest import REPO, ServedSite

VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"
ALLOWED = Path(__file__).parent / "platforms/vnu-allowed.txt"


def _allowed() -> list[re.Pattern[str]]:
    lines = ALLOWED.read_text(encoding="utf-8").splitlines()
    return [re.compile(line.split("\t")[0]) for line in lines if line and not line.startswith("#")]


def _errors(folder: Path) -> list[dict[str, object]]:
    java = shutil.which("java")
    assert java, "no Java runtime: install Debian's default-jre-headless (.ci/run does)"
    assert VNU.is_file(), "no vnu.jar: run make setup (npm ci)"
    run = subprocess.run(
        [java, "-jar", str(VNU), "--skip-non-html", "--errors-only", "--format", "json", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages: list[dict[str, object]] = json.loads(run.stderr or run.stdout)["messages"]
    return messages


def test_every_page_is_valid_html_but_for_the_theme_s_listed_messages(platform_site: ServedSite) -> None:
    messages = _errors(platform_site.folder)
    pages = {str(m.get("url", "")) for m in messages}
    assert len(list(platform_site.folder.rglob("*.html"))) > 60
    allowed = _allowed()
    ours = [
        f"{str(m.get('url', '')).split('/site/')[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if not any(pattern.match(str(m.get("message", ""))) for pattern in allowed)
    ]
    assert ours == [], "\n".join(ours[:40])
    # The allow-list holds only what still occurs: a message the theme no longer writes goes.
    unused = [p.pattern for p in allowed if not any(p.match(str(m.get("message", ""))) for m in messages)]
    assert unused == [], unused
    assert pages  # the checker read the pages (an empty run would pass everything)


def test_the_checker_finds_what_the_engine_must_not_write(tmp_path: Path) -> None:
    """The same run on two pages with the defects the engine once had: a list after a figure's caption
    and a heading that skips a level."""
    (tmp_path / "figure.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><figure><svg></svg><figcaption>c</figcaption>'
        "<ul><li>x</li></ul></figure></html>",
        encoding="utf-8",
    )
    (tmp_path / "headings.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><h1>a</h1><h3>b</h3></html>', encoding="utf-8"
    )
    found = sorted(str(m["message"])[:40] for m in _errors(tmp_path))
    assert found == ["Element “ul” not allowed as child of ele", "The heading “h3” (with computed level 3)"]
