"""The blank lines and indentation the theme's templates leave between tags, folded away.

Material's templates are indented for their authors: a claim page of 22 KB carries 3 KB of
whitespace-only runs between one tag and the next, on every page of every language. Such a
run renders as one space at most (``white-space: normal`` and ``nowrap`` collapse it), so each one
that holds a line break becomes that line break alone: the page looks and reads the same, and its
source still has one tag per line. Where whitespace is kept as written (``pre``, ``textarea``, and
``code`` and ``kbd``, which the theme prints as written) or is not markup (``script``, ``style``), the
text is left exactly as it is.
"""

from __future__ import annotations

import re

# Where an element whose text must stay as written starts; it runs to its end tag.
_KEPT_TAGS = ("pre", "textarea", "code", "kbd", "script", "style")
_KEPT = re.compile(rf"<({'|'.join(_KEPT_TAGS)})\b", re.I)
_END = {tag: re.compile(rf"</{tag}\s*>", re.I) for tag in _KEPT_TAGS}
# Whitespace alone between two tags, with at least one line break in it.
_GAP = re.compile(r">[ \t\r\n]*\n[ \t\r\n]*<")


def compact_html(page: str) -> str:
    # One regular expression substitution per stretch between kept elements (0.16 ms for a claim
    # page): a single pattern telling gaps and kept elements apart in one pass took 1.2 ms.
    pieces: list[str] = []
    position = 0
    while (kept := _KEPT.search(page, position)) is not None:
        closing = _END[kept[1].lower()].search(page, kept.end())
        stop = closing.end() if closing else len(page)
        pieces.append(_fold(page, position, kept.start()))
        pieces.append(page[kept.start() : stop])
        position = stop
    pieces.append(_fold(page, position, len(page)))
    return "".join(pieces)


def _fold(page: str, start: int, stop: int) -> str:
    """``page[start:stop]`` with its gaps folded, a gap against a kept element included: the stretch
    is read with the character before it (a kept element's last ``>``) and after it (its ``<``)."""
    before, after = int(start > 0), int(stop < len(page))
    folded = _GAP.sub(">\n<", page[start - before : stop + after])
    return folded[before : len(folded) - after]
