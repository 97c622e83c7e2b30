"""The readable text of a fetched page, decoded as a browser decodes it.

Compression first (gzip or deflate, never more than ``MAX_TEXT_BYTES`` once inflated: a small
body may inflate to gigabytes), then the character set in the order of the HTML standard: a byte
order mark, the ``charset`` of Content-Type, a ``<meta>`` declaration in the first 1,024 bytes,
else UTF-8 when the bytes are valid UTF-8 and windows-1252 when they are not (what browsers
assume of an undeclared Western page). Labels browsers read as windows-1252 (latin1, us-ascii,
iso-8859-1) are read as it too. Entities are resolved by the HTML parser.

The article's text comes from ``trafilatura``, an extractor maintained for news pages: it keeps the
article and drops menus, footers and related-story lists, so a quote is looked for where it was
read, and the digest of the text does not change with every new headline in a sidebar. The whole
page's text is kept too: a quote in a caption or a box the extractor leaves out is still there.
"""

from __future__ import annotations

import codecs
import re
import zlib
from dataclasses import dataclass
from functools import cached_property

import trafilatura

from build_tools.checks.fetch import Answer
from build_tools.content.quotes import fold

MAX_TEXT_BYTES = 8 * 1024 * 1024
# Below this many characters of article text, the page shows no article: a paywall's teaser, a
# script-only page, a cookie wall.
MIN_ARTICLE_CHARS = 200
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DOCUMENT = re.compile(r"<html|<!doctype", re.IGNORECASE)
_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_AS_WINDOWS_1252 = {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1", "us-ascii", "ascii", "cp819", "iso-ir-100"}


@dataclass(frozen=True)
class PageText:
    article: str  # what the extractor keeps of the page ("" when it finds no article)
    whole: str  # every visible word of the page

    @cached_property
    def folded(self) -> tuple[str, str]:
        """Both texts folded as quotes are, once for all the quotes cited from the page."""
        return fold(self.article), fold(self.whole)


class Unreadable(Exception):
    """A page the watch cannot read as text: another media type, or a compression it cannot undo."""


def page_text(answer: Answer) -> PageText:
    body = _inflate(answer.body, answer.content_encoding.strip().lower())
    media = answer.content_type.partition(";")[0].strip().lower()
    if not media and b"\x00" in body[:1024]:  # what a browser sniffs as binary, and downloads
        raise Unreadable("not a text page (binary, with no media type)")
    text = decode(body, answer.content_type)
    if media == "text/plain" or (media == "" and not _looks_like_html(text)):
        return PageText(text, text)
    if media and media not in _HTML_TYPES:
        raise Unreadable(f"not an HTML page ({media})")
    if not text.strip():
        return PageText("", "")
    if not _DOCUMENT.search(text[:4096]):
        # A fragment (no <html>, no doctype): browsers show it, the extractor would find nothing in it.
        text = f"<html><body>{text}</body></html>"
    article = trafilatura.extract(text, include_comments=False, include_tables=True, favor_recall=True) or ""
    return PageText(article, trafilatura.html2txt(text) or "")


def _looks_like_html(text: str) -> bool:
    """An undeclared page is read as HTML when it starts with a tag, a comment or a doctype, as
    browsers sniff it."""
    return text.lstrip()[:1] == "<"


def _inflate(body: bytes, coding: str) -> bytes:
    if coding in ("", "identity"):
        return body
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise Unreadable(f"compressed as '{coding}', which the watch does not undo")
    # 47: a gzip or a zlib header, detected; raw deflate (what some servers send as "deflate") after.
    for wbits in (47, -15):
        inflater = zlib.decompressobj(wbits)
        try:
            return inflater.decompress(body, MAX_TEXT_BYTES)
        except zlib.error:
            continue
    raise Unreadable(f"the body is not valid {coding} data")


def decode(body: bytes, content_type: str) -> str:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, errors="replace")
    declared = _label(_header_charset(content_type)) or _label(_meta_charset(body[:1024]))
    if declared:
        return body.decode(declared, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def _header_charset(content_type: str) -> str:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'")
    return ""


def _meta_charset(head: bytes) -> str:
    found = _META.search(head)
    return found.group(1).decode("ascii", errors="replace") if found else ""


def _label(label: str) -> str | None:
    """The Python codec for a charset label, or None for a label no codec answers to."""
    name = label.strip().lower()
    if not name:
        return None
    if name in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A page that says UTF-16 in a meta tag was read as ASCII to find it: browsers take UTF-8.
    return "utf-8" if codec.startswith("utf-16") or codec.startswith("utf-32") else codec
