"""Inline Markdown for free-text fields: one parser decides both what is allowed and how it renders.

Contributors may be strangers, so the policy is an allow-list: paragraphs, emphasis, code and
http(s) links. Raw HTML, images, headings, lists and everything else are refused at validation,
and rendering escapes all text, so a field can never inject markup into a page.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

_ALLOWED_BLOCKS = {"paragraph_open", "paragraph_close", "inline"}
_ALLOWED_INLINE = {
    "text",
    "softbreak",
    "em_open",
    "em_close",
    "strong_open",
    "strong_close",
    "code_inline",
    "link_open",
    "link_close",
}
_REFUSED_NAMES = {
    "heading_open": "headings are",
    "bullet_list_open": "lists are",
    "ordered_list_open": "lists are",
    "blockquote_open": "block quotes are",
    "fence": "code blocks are",
    "code_block": "code blocks are",
    "hr": "horizontal rules are",
    "html_block": "raw HTML is",
    "html_inline": "raw HTML is",
    "image": "images are",
    "hardbreak": "hard line breaks are",
}


class _SeeingParser(MarkdownIt):
    """Accepts every link destination while parsing, so that a javascript: link is reported
    instead of being left as plain text that looks harmless."""

    def validateLink(self, url: str) -> bool:
        return True


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # html=True so raw HTML is *seen* (and refused) instead of silently passed as text.
    return _SeeingParser("commonmark", {"html": True, "linkify": False, "typographer": False})


def seeing_parser() -> MarkdownIt:
    """The parser that sees raw HTML and every link destination, for policies of other texts."""
    return _parser()


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


# Pure functions of their text, asked again for the same texts by every page that shows them and by
# every rebuild of a live preview: remembered (bounded, so a long preview cannot grow without end).
@lru_cache(maxsize=1 << 16)
def is_http_url(url: str) -> bool:
    return http_url_problem(url) is None


def http_url_problem(url: str) -> str | None:
    """Why ``url`` is not an address a reader may be sent to (a predicate: "holds white space"), or None.
    The one rule for URLs: http(s), a host, no white space, no user-info (``https://www.lemonde.fr@evil.example/``
    goes to evil.example), a valid port, and a host that is valid IDNA with each label in one script."""
    if any(character.isspace() for character in url):
        return "holds white space"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"is malformed ({exc})"
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.hostname:
        return "is not an absolute http(s) URL"
    if "@" in parts.netloc:
        return "holds user-info before '@', which hides the real host"
    if port == 0:
        return "has port 0"
    return _host_problem(parts.hostname)


@lru_cache(maxsize=1 << 12)  # a content root cites a few hundred outlets thousands of times
def _host_problem(host: str) -> str | None:
    if host.startswith("[") or ":" in host:  # an IPv6 literal, already parsed by urlsplit
        return None
    try:
        host.encode("idna")
        if "xn--" in host:  # judged as a reader's browser shows it
            host = host.encode("ascii").decode("idna")
    except UnicodeError:
        return f"has a host, '{host}', that is not a valid internationalised domain name"
    for label in host.split("."):
        scripts = {_script(character) for character in label if character.isalpha()}
        if len(scripts) > 1:
            mixed = ", ".join(sorted(scripts))
            return f"has a host label, '{label}', that mixes scripts ({mixed}) as look-alike addresses do"
    return None


def _script(character: str) -> str:
    """The script of a letter, from its Unicode name's first word (LATIN, CYRILLIC, GREEK…)."""
    if character.isascii():
        return "LATIN"
    return unicodedata.name(character, "UNKNOWN").split()[0]


# Most fields are plain sentences with at most a few simple links. Those are accepted without the
# full parser; anything that could start another construct (HTML, images, block markers at a line
# start, hard breaks, unusual link forms) goes through markdown-it as before.
_SIMPLE_LINK = re.compile(r"(?<!!)\[[^\[\]\n\\`<>]*\]\((https?://[^\s()<>\\`\[\]]+)\)")
_MAYBE_STRUCTURE = re.compile(r"[<>\[\]`\\\t\r\v\f&]|^(?: {0,3}[#\-+*=_~]| {0,3}\d{1,9}[.)]| {4})|  \n", re.M)


def _obviously_inline(text: str) -> bool:
    return not _MAYBE_STRUCTURE.search(_SIMPLE_LINK.sub("link", text))


def markdown_problems(text: str) -> list[str]:
    """What in ``text`` falls outside the inline policy, as messages (empty when fine)."""
    return [] if _obviously_inline(text) else parsed_markdown_problems(text)


def parsed_markdown_problems(text: str) -> list[str]:
    """The same answer as ``markdown_problems``, always from the full parser."""
    problems: list[str] = []
    for token in _parser().parse(text):
        if token.type not in _ALLOWED_BLOCKS and token.nesting != -1 and token.type != "list_item_open":
            problems.append(_refused(token.type))
        for child in token.children or ():
            problems.extend(_inline_problem(child))
    return sorted(set(problems))


def _inline_problem(token: Token) -> list[str]:
    if token.type == "link_open":
        href = str(token.attrs.get("href", ""))
        return [] if is_http_url(href) else [f"link target '{href}' is not an absolute http(s) URL"]
    if token.type not in _ALLOWED_INLINE:
        return [_refused(token.type)]
    return []


def _refused(token_type: str) -> str:
    return f"{_REFUSED_NAMES.get(token_type, token_type + ' is')} not allowed here (only emphasis, code and links)"


def field_link_targets(text: str) -> list[str]:
    """The addresses a Markdown field links to, read the fast way when the text is plainly inline."""
    return _SIMPLE_LINK.findall(text) if _obviously_inline(text) else link_targets(text)


def link_targets(text: str) -> list[str]:
    return [
        str(child.attrs["href"])
        for token in _parser().parse(text)
        for child in token.children or ()
        if child.type == "link_open" and "href" in child.attrs
    ]


@lru_cache(maxsize=1 << 16)
def render_inline(text: str) -> str:
    """HTML for an already validated field; text is escaped, links open safely."""
    html = str(_renderer().render(text)).strip()
    html = html.replace("<a href=", '<a rel="noopener noreferrer" href=')
    if html.count("<p>") == 1 and html.startswith("<p>") and html.endswith("</p>"):
        return html[3:-4]
    return html
