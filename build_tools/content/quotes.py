"""Find a quote in its article the way a reader would, whatever the typography."""

from __future__ import annotations

import difflib
import re
import unicodedata
from array import array
from collections import Counter
from dataclasses import dataclass

_EQUIVALENTS = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2039": '"',
        "\u203a": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2014": "-",
    }
)
_SPACE = re.compile(r"\s+")
_SPACE_AROUND_QUOTE = re.compile(r'\s*"\s*')


@dataclass(frozen=True)
class NormalizedText:
    """A text with typography folded, and for each folded character the offsets in the original of
    the start and the end of the characters it came from (a letter and its combining accents)."""

    original: str
    folded: str
    # Machine integers, not tuples of Python ints: 4 bytes an offset instead of 36, for every
    # character of every article, which a desk's archive of a thousand articles holds all at once.
    offsets: array[int]
    ends: array[int]

    def find(self, quote: str) -> tuple[int, int] | None:
        """Offsets [start, end) of ``quote`` in the original text, or None."""
        needle = fold(quote)
        if not needle:
            return None
        at = self.folded.find(needle)
        if at < 0:
            return None
        return self.offsets[at], self.ends[at + len(needle) - 1]

    def closest(self, quote: str) -> tuple[int, str]:
        """Offset in the original and text of the passage that best resembles ``quote``."""
        needle = fold(quote)
        if len(needle) * len(self.folded) > _MOST_COMPARED:
            start = self._anchored(needle)
        else:
            matcher = difflib.SequenceMatcher(None, self.folded, needle, autojunk=False)
            block = matcher.find_longest_match(0, len(self.folded), 0, len(needle))
            start = max(0, block.a - block.b)
        end = min(len(self.folded), start + len(needle))
        if start >= len(self.folded):
            return 0, ""
        # Widen to whole words, so the passage reads as text.
        while start > 0 and self.folded[start - 1] != " ":
            start -= 1
        while end < len(self.folded) and self.folded[end] != " ":
            end += 1
        return self.offsets[start], self.original[self.offsets[start] : self.ends[end - 1]]

    def _anchored(self, needle: str) -> int:
        """Where the passage starts, for a long quote or a long text: where pieces of the quote, each
        found where it first occurs in the text, say it starts. The longest common run would cost
        the product of their lengths (a minute for 2,000 characters against a megabyte); finding the
        pieces costs about their sum, once per piece."""
        starts: list[int] = []
        for at in range(0, max(1, len(needle) - _PIECE + 1), _PIECE):
            found = self.folded.find(needle[at : at + _PIECE])
            if found >= 0:
                starts.append(max(0, found - at))
        if not starts:
            return len(self.folded)  # no piece of the quote is in the text: no passage to show
        # The first start two pieces agree on (a piece found elsewhere by chance agrees with none;
        # pieces after a word the quote adds agree on a start shifted by it, so the first one counts).
        agreed = Counter(starts)
        return next((start for start in starts if agreed[start] > 1), starts[0])


# Beyond this many character pairs, the closest passage is found by anchoring pieces of the quote.
_MOST_COMPARED = 20_000_000
_PIECE = 24


class _FoldTable(dict[int, str]):
    """Per-character folding for ``str.translate``: compatibility forms, then typographic equivalents.
    Filled lazily, so each distinct character is normalised once per process."""

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code)).translate(_EQUIVALENTS)
        self[code] = folded
        return folded


_FOLD = _FoldTable()
# After folding: runs of white space, and white space around a quotation mark (French typography
# spaces them, English does not).
_TOKENS = re.compile(r'\s*"\s*|\s+|[^\s"]+')


# A letter followed by combining marks is folded as one: "e" + U+0301 and "é" fold alike (NFC and
# NFD spellings of one text match), which folding each character alone would not do.
_CLUSTER = re.compile("(?s).[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*")


def _fold_cluster(cluster: str) -> str:
    if len(cluster) == 1:
        return _FOLD[ord(cluster)]
    return unicodedata.normalize("NFKC", cluster).translate(_EQUIVALENTS)


def fold(text: str) -> str:
    if text.isascii():
        folded = text.translate(_FOLD)
    else:
        folded = "".join(_fold_cluster(cluster) for cluster in _CLUSTER.findall(text))
    return _SPACE_AROUND_QUOTE.sub('"', _SPACE.sub(" ", folded)).strip()


def normalize(text: str) -> NormalizedText:
    """``fold(text)``, with the offsets in ``text`` of where every character of the result starts and ends."""
    mapped: list[str] = []
    origin: list[int] = []
    origin_end: list[int] = []
    for cluster in _CLUSTER.finditer(text):
        piece = _fold_cluster(cluster.group())
        mapped.append(piece)
        origin.extend([cluster.start()] * len(piece))
        origin_end.extend([cluster.end()] * len(piece))
    folded_chars = "".join(mapped)
    chars: list[str] = []
    offsets: list[int] = []
    ends: list[int] = []
    for token in _TOKENS.finditer(folded_chars):
        value, start = token.group(), token.start()
        if '"' in value:
            at = start + value.index('"')
            chars.append('"')
            offsets.append(origin[at])
            ends.append(origin_end[at])
        elif value.isspace():
            chars.append(" ")
            offsets.append(origin[start])
            ends.append(origin_end[start])
        else:
            chars.append(value)
            offsets.extend(origin[start : token.end()])
            ends.extend(origin_end[start : token.end()])
    folded = "".join(chars)
    lead = len(folded) - len(folded.lstrip(" "))
    trail = len(folded.rstrip(" "))
    return NormalizedText(text, folded[lead:trail], array("I", offsets[lead:trail]), array("I", ends[lead:trail]))


def invisible_differences(quote: str, passage: str) -> list[str]:
    """Characters a reader cannot see (format controls, combining marks, unusual spaces) that the quote
    holds and the passage does not, named: why two texts that look identical do not match."""
    seen = set(passage)
    names = []
    for character in dict.fromkeys(quote):
        if character not in seen and unicodedata.category(character) in ("Cf", "Mn", "Zs", "Zl", "Zp", "Cc"):
            names.append(f"U+{ord(character):04X} {unicodedata.name(character, 'unnamed')}")
    return names


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
