"""Text from YAML reaches HTML as text: payloads in every field, then the built pages are read."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from build_tools.cli import main
from conftest import FIXTURES, built_site_scope, copy_root

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '"><svg onload=alert(3)>',
    "[x](javascript:alert(4))",
    "{{ config.site_name }} {% include 'x' %}",
    "</div></article></body><!--",
    "*emph* `code` {#id .cls} &amp; &lt;",
]
HOSTILE = " | ".join(PAYLOADS)
# Markup that would run or break the page if a payload were not escaped.
ACTIVE = re.compile(r"<script>alert|<img src=x|<svg onload|href=\"javascript:|</body><!--")


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


@pytest.fixture(scope=built_site_scope)
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_root(FIXTURES / "minimal", tmp_path_factory.mktemp("hostile") / "root")
    seed = root / "seeds/demo.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\n{HOSTILE}\n", encoding="utf-8")
    claim = root / "claims/good-news.yml"
    text = claim.read_text(encoding="utf-8")
    text = re.sub(r"^quote_translation: .*$", f"quote_translation: {{en: {_yaml(HOSTILE)}}}", text, flags=re.M)
    for parent in ("summary", "claimant"):
        text = re.sub(
            rf"^({parent}:\n  fr: ).*\n  en: .*$", rf"\g<1>{_yaml(HOSTILE)}\n  en: {_yaml(HOSTILE)}", text, flags=re.M
        )
    text = text.replace("verdict: not-checkable\nrationale", "verdict: unverifiable\nrationale")
    text = text.replace("    verdict: not-checkable", "    verdict: unverifiable")
    text += f"""sources:
  - title: {_yaml(HOSTILE)}
    publisher: {_yaml(HOSTILE)}
    date: "2025-01-01"
    url: "https://example.org/?q=<script>&x=\\"y"
    quote: {_yaml(HOSTILE)}
    language: fr
    stance: context
"""
    text = re.sub(r"^quote: .*$", f"quote: {_yaml(HOSTILE)}", text, flags=re.M)
    claim.write_text(text, encoding="utf-8")
    faq = root / "data/faq.yml"
    faq.write_text(
        re.sub(r"^      fr: .*\?$", f"      fr: {_yaml(HOSTILE)}", faq.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    options = root / "data/options.yml"
    options.write_text(
        re.sub(r"^    label: .*$", f"    label: {_yaml(HOSTILE)}", options.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    topics = root / "data/topics.yml"
    topics.write_text(
        topics.read_text(encoding="utf-8").replace("{fr: Analyse et scénarios,", f"{{fr: {_yaml(HOSTILE)},"),
        encoding="utf-8",
    )
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


def test_no_payload_is_active_anywhere(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 20
    active = {str(p.relative_to(hostile_site)): ACTIVE.findall(p.read_text(encoding="utf-8")) for p in pages}
    assert {page: found for page, found in active.items() if found} == {}


@pytest.mark.parametrize(
    "page", ["claims/good-news", "en/claims/good-news", "faq", "options", "article", "claims", "sources"]
)
def test_payload_is_shown_as_text(hostile_site: Path, page: str) -> None:
    html = (hostile_site / page / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&#60;script&#62;alert&#40;1&#41;" in html


def test_title_is_escaped(hostile_site: Path) -> None:
    html = (hostile_site / "claims/good-news/index.html").read_text(encoding="utf-8")
    [title] = re.findall(r"<title>(.*?)</title>", html, re.S)
    assert title.startswith("&lt;script&gt;alert(1)&lt;/script&gt;")


def test_json_ld_cannot_close_its_script(hostile_site: Path) -> None:
    html = (hostile_site / "claims/good-news/index.html").read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(block)["claimReviewed"] == HOSTILE


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append(dict(attrs))


def test_source_link_attribute_is_quoted(hostile_site: Path) -> None:
    """A browser reading the page finds the address exactly as written, in one attribute."""
    parser = _Links()
    parser.feed((hostile_site / "claims/good-news/index.html").read_text(encoding="utf-8"))
    hostile = [link for link in parser.links if (link.get("href") or "").startswith("https://example.org/")]
    assert hostile == [{"href": 'https://example.org/?q=<script>&x="y', "rel": "noopener noreferrer"}]
