"""Find a quote in its article the way a reader would, whatever the typography."""

from __future__ import annotations

import difflib
import re
import unicodedata
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
    """A text with typography folded, and for each folded character its offset in the original."""

    original: str
    folded: str
    offsets: tuple[int, ...]

    def find(self, quote: str) -> tuple[int, int] | None:
        """Offsets [start, end) of ``quote`` in the original text, or None."""
        needle = fold(quote)
        if not needle:
            return None
        at = self.folded.find(needle)
        if at < 0:
            return None
        end = at + len(needle) - 1
        return self.offsets[at], self.offsets[end] + 1

    def closest(self, quote: str) -> tuple[int, str]:
        """Offset in the original and text of the passage that best resembles ``quote``."""
        needle = fold(quote)
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
        return self.offsets[start], self.original[self.offsets[start] : self.offsets[end - 1] + 1]


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


def fold(text: str) -> str:
    return _SPACE_AROUND_QUOTE.sub('"', _SPACE.sub(" ", text.translate(_FOLD))).strip()


def normalize(text: str) -> NormalizedText:
    """``fold(text)``, with the offset in ``text`` of every character of the result."""
    mapped: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _FOLD[ord(char)]
        mapped.append(piece)
        origin.extend([index] * len(piece))
    folded_chars = "".join(mapped)
    chars: list[str] = []
    offsets: list[int] = []
    for token in _TOKENS.finditer(folded_chars):
        value, start = token.group(), token.start()
        if '"' in value:
            chars.append('"')
            offsets.append(origin[start + value.index('"')])
        elif value.isspace():
            chars.append(" ")
            offsets.append(origin[start])
        else:
            chars.append(value)
            offsets.extend(origin[start : token.end()])
    folded = "".join(chars)
    lead = len(folded) - len(folded.lstrip(" "))
    trail = len(folded.rstrip(" "))
    return NormalizedText(text, folded[lead:trail], tuple(offsets[lead:trail]))


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
