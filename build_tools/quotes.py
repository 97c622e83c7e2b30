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
        return self.offsets[start], self.original[self.offsets[start] : self.offsets[end - 1] + 1]


def fold(text: str) -> str:
    return normalize(text).folded


def normalize(text: str) -> NormalizedText:
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        char = unicodedata.normalize("NFKC", char).translate(_EQUIVALENTS)
        if not char or char.isspace():
            pending_space = bool(chars)
            continue
        if char == '"':
            # Spacing around quotation marks differs between French and English typography.
            pending_space = False
            while chars and chars[-1] == " ":
                chars.pop()
                offsets.pop()
        elif pending_space and chars[-1] != '"':
            chars.append(" ")
            offsets.append(index - 1)
        pending_space = False
        for piece in char:
            chars.append(piece)
            offsets.append(index)
    return NormalizedText(text, "".join(chars), tuple(offsets))


def line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
