"""Search index entries for generated pages, from their HTML, without Material's HTML parser.

Material's search plugin cuts every page into sections at its headings with ``html.parser``; on a
site of thousands of claim pages that parser was a quarter of the build. The generated pages are
HTML that our own autoescaping templates wrote, so a tokenizer made of two regular expressions
reads them faithfully. ``sections`` follows the rules of Material's ``Parser`` (sections at h1–h6
with an id, kept tags, skipped elements, permalinks left out of titles, whitespace folded), so the
index holds the same entries; ``tests/test_search.py`` compares both on every page of the test
sites. The plugin marks the pages it indexes itself as excluded from Material's search, and adds
their entries to the index Material writes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Collection, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

INDEX_PATH = "search/search_index.json"  # where Material's search plugin writes a language's index
Entry = dict[str, str]

# What Material's parser keeps as markup in the index, skips entirely, or treats as void.
_KEEP = frozenset({"p", "code", "pre", "li", "ol", "ul", "sub", "sup"})
_SKIP = frozenset({"object", "script", "style"})
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_RULED = _KEEP | _HEADINGS | {"a"}  # tags a rule looks at beyond their being open

_TOKEN = re.compile(
    r"<(?P<end>/?)(?P<tag>[a-zA-Z][a-zA-Z0-9]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    r"|(?P<comment><!--.*?-->|<![^>]*>|<\?[^>]*>)"
    r"|(?P<text>[^<]+|<)",
    re.S,
)
_ATTRIBUTE = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?""")


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Section:
    tag: str  # the heading's tag, "hx" for the text before the first heading
    depth: float = 0
    excluded: bool = False
    id: str | None = None
    title: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, double, single, bare in _ATTRIBUTE.findall(text):
        found.setdefault(name.lower(), html.unescape(double or single or bare))
    return found


class _Enough(Exception):
    """The sections asked for are complete: nothing later in the page can add to them."""


class _Sectioner:
    """Material's parser rules, driven by a regular-expression tokenizer."""

    def __init__(self, until: Collection[str] | None = None) -> None:
        self.until = None if until is None else set(until)  # anchors still to be read, when not all are wanted
        self.context: list[_Element] = []
        # Counts kept beside the context, so that no rule walks it: open elements by tag, open
        # elements whose tag is skipped, open <a class="headerlink"> elements.
        self.open: dict[str, int] = {}
        self.skipped_open = 0
        self.permalinks = 0
        self.skip: set[str] = set(_SKIP)  # by tag name, as Material's elements compare
        self.section: Section | None = None
        self.data: list[Section] = []

    def _target(self) -> list[str]:
        assert self.section is not None
        return self.section.title if self.open.get(self.section.tag) else self.section.text

    def _new_section(self, tag: str, depth: float = 0, excluded: bool = False) -> Section:
        # A heading at the top level (depth 1) starts a section that no later text can leave for an
        # earlier one (``end`` goes back only from a section deeper than what is still open): once
        # the anchors asked for are read, the rest of the page cannot change their sections.
        if self.until is not None and not self.until and depth <= 1 and self.data:
            raise _Enough
        section = Section(tag, depth, excluded)
        self.data.append(section)
        self.section = section
        return section

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag in _VOID:
            return
        self.context.append(_Element(tag, attrs))
        self.open[tag] = self.open.get(tag, 0) + 1
        if not attrs and tag not in _RULED and tag not in self.skip and self.section is not None:
            return  # most tags: no rule applies to them beyond being open
        if tag in self.skip:
            self.skipped_open += 1
        if tag == "a" and attrs.get("class") == "headerlink":
            self.permalinks += 1
        if tag in _HEADINGS and "id" in attrs:
            depth = len(self.context)
            if tag != "h1" and not self.data:
                self._new_section("hx", depth)
            had_sections = bool(self.data)
            section = self._new_section(tag, depth, "data-search-exclude" in attrs)
            if had_sections:
                section.id = attrs["id"]
                if self.until is not None:
                    self.until.discard(section.id)
        if self.section is None:
            self._new_section("hx")
        if "data-search-exclude" in attrs or attrs.get("class") == "linenodiv":
            if tag not in self.skip:
                self.skip.add(tag)
                self.skipped_open += self.open[tag]
            return
        if tag in _KEEP and not self.skipped_open:
            self._target().append(f"<{tag}>")

    def end(self, tag: str) -> None:
        if not self.context or self.context[-1].tag != tag:
            return
        assert self.section is not None
        if self.section.depth > len(self.context):
            for section in reversed(self.data):
                if section.depth <= len(self.context):
                    self.section.depth = float("inf")
                    self.section = section
                    break
        element = self.context.pop()
        self.open[tag] -= 1
        if tag not in _RULED and tag not in self.skip:
            return  # most tags: no rule applies to them beyond being closed
        if tag in self.skip:
            self.skipped_open -= 1
        if tag == "a" and element.attrs.get("class") == "headerlink":
            self.permalinks -= 1
        if element.tag in self.skip:
            if element.tag not in _SKIP:
                self.skip.discard(element.tag)
                self.skipped_open -= self.open[tag]
            return
        if tag in _KEEP and not self.skipped_open:
            target = self._target()
            index = target.index(f"<{tag}>")
            if any(not piece.isspace() for piece in target[index + 1 :]):
                target.append(f"</{tag}>")
            else:
                del target[index:]

    def text(self, data: str) -> None:
        if self.skipped_open:
            return
        in_pre = self.open.get("pre", 0) > 0
        if not in_pre:
            data = " " if data.isspace() else data.replace("\n", " ")
        if self.section is None:
            self._new_section("hx")
        assert self.section is not None
        if self.open.get(self.section.tag):
            if not self.permalinks:
                self.section.title.append(html.escape(data, quote=False))
        elif data.isspace():
            if not self.section.text or not self.section.text[-1].isspace() or in_pre:
                self.section.text.append(data)
        else:
            self.section.text.append(html.escape(data, quote=False))


_RAW_TEXT = frozenset({"script", "style"})  # their content is text up to their end tag, as html.parser reads it


def sections(page_html: str, until: Collection[str] | None = None) -> list[Section]:
    """The page cut into sections at its headings, as Material's search parser cuts it. With
    ``until`` (anchors), only as far as needed for the sections before and at those anchors to be
    whole: the later sections are left out or incomplete."""
    sectioner = _Sectioner(until)
    with suppress(_Enough):
        _tokenize(page_html, sectioner)
    return sectioner.data


def _tokenize(page_html: str, sectioner: _Sectioner) -> None:
    start, end, text = sectioner.start, sectioner.end, sectioner.text
    pending: list[str] = []  # text between two tags arrives at once, entities decoded, as html.parser gives it
    position, size, match_at = 0, len(page_html), _TOKEN.match
    while position < size:
        match = match_at(page_html, position)
        assert match is not None  # "<" alone is text: every position starts a token
        position = match.end()
        kind = match.lastgroup
        if kind == "text":
            pending.append(match[kind])
            continue
        if pending:
            text(html.unescape("".join(pending)))
            pending.clear()
        if kind == "comment":
            continue
        tag = match["tag"].lower()
        if match["end"]:
            end(tag)
            continue
        raw = match["attrs"]
        # Only these attributes matter to the rules; most tags need none of them read.
        wanted = raw and (tag in _HEADINGS or tag == "a" or "data-search-exclude" in raw or "linenodiv" in raw)
        start(tag, _attributes(raw) if wanted else {})
        if raw.endswith("/"):  # "/>" closes the tag at once; "/ >" does not, as html.parser reads it
            end(tag)
        elif tag in _RAW_TEXT:
            closing = re.compile(rf"</{tag}\s*>", re.I).search(page_html, position)
            stop = closing.start() if closing else size
            if stop > position:
                text(page_html[position:stop])
            position = stop
    if pending:
        text(html.unescape("".join(pending)))


def entries(
    url: str, page_title: str, page_html: str, until: Collection[str] | None = None
) -> Iterator[dict[str, str]]:
    """The index entries of one page: ``page_title`` as the theme shows it (escaped) names the
    section before the first heading when it has none. With ``until``, see ``sections``."""
    for section in sections(page_html, until):
        if section.excluded:
            continue
        location = f"{url}#{section.id}" if section.id else url
        title = "".join(section.title).strip() if section.title else page_title.strip()
        yield {"location": location, "title": title, "text": "".join(section.text).strip()}


CLAIM_CARD = "fc-claim-title"  # the anchor of a claim page's heading, the card that states the verdict
SUMMARY_ANCHORS = (CLAIM_CARD,)


def summary(url: str, found: Iterable[Entry], anchors: Collection[str] = SUMMARY_ANCHORS) -> list[Entry]:
    """A page's entries as one summary entry: the texts of the section at the page's address and of
    the sections at ``anchors``, the rest left out. For a claim page that is who claims it, the quote,
    its translation, the verdict and the conclusion; the reasoning, the sources, the related claims
    and the history stay on the page. On the synthetic root that is a quarter of the bytes the full
    text took in the index (0.4 KB instead of 1.5 KB a claim page), which every reader who searches
    downloads whole."""
    kept = [entry for entry in found if entry["location"].partition("#")[2] in {"", *anchors}]
    if not kept:
        return []
    text = " ".join(entry["text"] for entry in kept if entry["text"])
    return [{"location": url, "title": kept[0]["title"], "text": text}]


@dataclass
class IndexMemory:
    """One language's index entries by page address, kept from one build to the next: a dirty build
    of a live preview indexes only the pages it rebuilds, and the index must still hold them all.
    Each page's entries are kept as the JSON they are written as (a fraction of the memory of
    thousands of small dictionaries)."""

    entries: dict[str, str] = field(default_factory=dict)

    def add(self, page: str, found: Iterable[Entry]) -> None:
        self.entries[page] = ",".join(_json(entry) for entry in found)


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))  # as Material writes its index


def finish_index(site_dir: Path, memory: IndexMemory, theme_pages: Collection[str], pages: Collection[str]) -> None:
    """Complete the index Material wrote into ``site_dir``: take from it the entries of the
    hand-written pages it indexed in this build (``theme_pages``), then write every page's entries,
    in the order of ``pages`` (the addresses of this build's pages). No index, no search plugin."""
    path = site_dir / INDEX_PATH
    if not path.is_file():
        return
    index = json.loads(path.read_text(encoding="utf-8"))
    written: dict[str, list[Entry]] = {page: [] for page in theme_pages}
    for entry in index.pop("docs"):
        page = entry["location"].split("#", 1)[0]
        if page in written:
            written[page].append(entry)
    for page, found in written.items():
        memory.add(page, found)
    for gone in set(memory.entries) - set(pages):
        del memory.entries[gone]
    docs = ",".join(fragment for page in pages if (fragment := memory.entries.get(page)))
    # The same bytes as json.dumps({..., "docs": [...]}) with Material's separators.
    head = _json(index)[:-1]
    path.write_text(head + ("," if index else "") + '"docs":[' + docs + "]}", encoding="utf-8")
