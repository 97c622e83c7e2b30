"""Hand-written pages (``data/pages/*.md`` introductions, ``docs/**/*.md``): full Markdown, and the
raw HTML a page needs, but nothing that runs or loads code in a reader's browser.

MkDocs passes a page's raw HTML through as it is, and attr_list (``{ onclick=… }``) adds any
attribute, so the policy is enforced here, located, by ``check``, which every build runs first:
no element that runs or embeds code or another document, no event-handler attribute, and no link
or source whose scheme is not http(s) or mailto (a relative one is fine). SECURITY.md states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from build_tools.content.kinds import DATA_DIR
from build_tools.content.load import read_text
from build_tools.content.markup import seeing_parser
from build_tools.problems import Problem

INTROS_DIR = f"{DATA_DIR}/pages"
DOCS_DIR = "docs"
#: Elements that run code, embed another document or restyle the whole page.
REFUSED_ELEMENTS = frozenset(
    [
        "script",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "style",
        "link",
        "meta",
        "base",
        "form",
        "svg",
        "math",
        "template",
        "noscript",
    ]
)
#: Attributes whose value the browser loads or follows.
URL_ATTRIBUTES = frozenset(
    ["href", "src", "srcset", "action", "formaction", "data", "poster", "background", "cite", "xlink:href"]
)
SAFE_SCHEMES = ("http", "https", "mailto")
# attr_list's syntax: `{: #id .class key=value }` after a block or an inline element.
_ATTR_LIST = re.compile(r"\{:?[^{}\n]*\}")
_ATTRIBUTE = re.compile(r"""([^\s=#.{}:'"]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s}]*))""")


def page_files(root: Path) -> list[str]:
    """The hand-written Markdown files of the root, relative to it, in a stable order."""
    found: list[str] = []
    for folder in (INTROS_DIR, DOCS_DIR):
        directory = root / folder
        if directory.is_dir() and not directory.is_symlink():
            found += sorted(path.relative_to(root).as_posix() for path in directory.rglob("*.md") if path.is_file())
    return found


# Files a browser runs as they are (a page, an image with script in it, a script): docs/ copies its
# files to the site unchanged, so these would reach readers without the page policy or the sanitiser.
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".js", ".mjs", ".xsl", ".xslt")


def active_files(root: Path) -> list[str]:
    directory = root / DOCS_DIR
    if not directory.is_dir() or directory.is_symlink():
        return []
    found = (path for path in directory.rglob("*") if path.suffix.lower() in ACTIVE_SUFFIXES)
    return sorted(path.relative_to(root).as_posix() for path in found)


def hand_written_problems(root: Path) -> list[Problem]:
    problems: list[Problem] = [
        Problem(
            rel,
            0,
            0,
            "active-file",
            "a page, SVG or script in docs/ reaches readers as it is, script and all: write the page in "
            "Markdown, or use a PNG",
        )
        for rel in active_files(root)
    ]
    for rel in page_files(root):
        text, read_problems = read_text(root, rel)
        problems += read_problems
        if text is not None:
            problems += page_problems(rel, text)
    return problems


def page_problems(rel: str, text: str) -> list[Problem]:
    """What in one hand-written page falls outside the policy, each at its line."""
    problems: list[Problem] = []
    for line, message in _findings(text):
        problems.append(Problem(rel, line, 1, "unsafe-html", message))
    return sorted(set(problems))


def _findings(text: str) -> Iterator[tuple[int, str]]:
    for token in seeing_parser().parse(text):
        line = (token.map[0] + 1) if token.map else 1
        if token.type in ("html_block", "html_inline"):
            yield from ((line, message) for message in _html_findings(token.content))
        if token.type == "fence" or token.type == "code_block":
            continue
        for child in token.children or ():
            if child.type == "html_inline":
                yield from ((line, message) for message in _html_findings(child.content))
            elif child.type == "link_open":
                yield from _url_finding(line, "link", str(child.attrs.get("href", "")))
            elif child.type == "image":
                yield from _url_finding(line, "image", str(child.attrs.get("src", "")))
            elif child.type == "text":
                yield from ((line, message) for message in _attr_list_findings(child.content))
        if token.type == "inline" and not token.children:
            yield from ((line, message) for message in _attr_list_findings(token.content))


def _url_finding(line: int, what: str, url: str) -> Iterator[tuple[int, str]]:
    if not safe_url(url):
        yield line, f"{what} to '{url}': only http(s), mailto and relative addresses are allowed"


def safe_url(url: str) -> bool:
    """An address a page may link to or load: relative, or http(s) or mailto."""
    cleaned = "".join(character for character in url if character > " " and character != "\x7f")
    try:
        scheme = urlsplit(cleaned).scheme
    except ValueError:
        return False
    return not scheme or scheme.lower() in SAFE_SCHEMES


def _attr_list_findings(text: str) -> Iterator[str]:
    for block in _ATTR_LIST.findall(text):
        for name, *values in _ATTRIBUTE.findall(block):
            yield from _attribute_findings(name.lower(), next((value for value in values if value), ""))


def _attribute_findings(name: str, value: str) -> Iterator[str]:
    if name.startswith("on"):
        yield f"the attribute '{name}' runs code in the reader's browser"
    elif name in URL_ATTRIBUTES and not safe_url(value):
        yield f"{name}='{value}': only http(s), mailto and relative addresses are allowed"
    elif name == "style" and re.search(r"url\s*\(|expression\s*\(", value, re.I):
        yield "a style attribute that loads an address is not allowed"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in REFUSED_ELEMENTS:
            self.findings.append(f"the element <{tag}> is not allowed in a hand-written page")
        for name, value in attrs:
            self.findings += _attribute_findings(name, value or "")

    handle_startendtag = handle_starttag


def _html_findings(html: str) -> list[str]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.findings
