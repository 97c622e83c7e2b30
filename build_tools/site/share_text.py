"""Drawing a row of a share image's text from glyphs rendered once, as Pillow would draw the row.

Pillow draws a row by laying it out (Raqm: each glyph's advance and its pair kerning), then
rasterising every glyph at a whole pixel, ``PIXEL(pen)`` = the pen position rounded, and blending
the row's coverage into the image. A glyph's bitmap depends on neither its neighbours nor where it
lands, so it is rendered once per face and character and stamped at the pixel the row's layout
gives it: the pen advances by each character's advance and the kerning of each pair (both
measured once, the pair by the pair's own length), and by a word's measured width across a word.
Rasterising was five sixths of a card's glyph time (measured): a row now costs one small blend per
glyph. A word in which two characters do not draw as their two glyphs apart (a ligature such as
"fi", a combining accent, glyphs that touch) is drawn whole by Pillow at its exact position, so the
pixels are the ones drawing the row whole gives.
"""

from __future__ import annotations

import itertools
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import font_roboto
from PIL import Image, ImageDraw, ImageFont

if TYPE_CHECKING:  # Pillow names its core image type for type checkers only
    from PIL._imaging import ImagingCore

Face = tuple[str, int]  # Roboto's weight, and the size in pixels
_FONTS = Path(font_roboto.__file__).parent / "files"
_ONE = 64  # FreeType's positions are in 64ths of a pixel


@cache
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONTS / f"Roboto-{weight}.ttf"), size)


def length(font_: ImageFont.FreeTypeFont, text: str) -> float:
    return font_.getlength(text, "L")  # "L": measured as ImageDraw measures it for antialiased text


@lru_cache(maxsize=65536)  # the same words come back from card to card
def word_length(word: str, face: Face) -> float:
    return length(font(*face), word)


def _pixel(position: int) -> int:
    """A pen position (64ths) → the pixel Pillow puts the glyph's origin at (FreeType's rounding)."""
    return (position + _ONE // 2) >> 6


@lru_cache(maxsize=65536)
def _advance(text: str, face: Face) -> int:
    return round(word_length(text, face) * _ONE)  # lengths are whole 64ths: exact as floats


@lru_cache(maxsize=65536)
def _kerning(first: str, second: str, face: Face) -> int:
    return _advance(first + second, face) - _advance(first, face) - _advance(second, face)


_Glyph = tuple["ImagingCore", int, int]  # the coverage, and where it goes from the origin


@lru_cache(maxsize=4096)
def _glyph(character: str, face: Face) -> _Glyph | None:
    mask, (left, top) = font(*face).getmask2(character, "L")
    return (mask, left, top) if mask.size[0] and mask.size[1] else None


def draw_row(pen: ImageDraw.ImageDraw, xy: tuple[int, int], row: str, face: Face, ink: int) -> None:
    """Draw ``row`` with its top-left at ``xy`` (the anchor "la" of ImageDraw.text) in ``ink``."""
    x, y = xy
    if len(_scripts(row)) != 1:  # Raqm shapes each script's run apart, right to left ones reversed
        pen.text(xy, row, font=font(*face), fill=ink)
        return
    position = 0  # the pen, in 64ths of a pixel from x
    words = row.split(" ")
    for number, word in enumerate(words):
        if word:
            if _drawn_whole(word, face):
                _draw_whole(pen, x, y, position, word, face, ink)
            else:
                _draw_glyphs(pen, x, y, position, word, face, ink)
            position += _advance(word, face)
        if number + 1 < len(words):  # the space, with the kerning on each side of it
            before, after = word[-1:], words[number + 1][:1]
            position += _advance(" ", face)
            position += _kerning(before, " ", face) if before else 0
            position += _kerning(" ", after, face) if after else 0


def _draw_glyphs(pen: ImageDraw.ImageDraw, x: int, y: int, position: int, word: str, face: Face, ink: int) -> None:
    for number, character in enumerate(word):
        glyph = _glyph(character, face)
        if glyph is not None:
            mask, left, top = glyph
            pen.draw.draw_bitmap((x + _pixel(position) + left, y + top), mask, ink)
        position += _advance(character, face)
        if number + 1 < len(word):
            position += _kerning(character, word[number + 1], face)


def _draw_whole(pen: ImageDraw.ImageDraw, x: int, y: int, position: int, word: str, face: Face, ink: int) -> None:
    """Draw ``word`` as Pillow draws text at a fractional x: the glyphs land where the row puts them."""
    whole, fraction = divmod(position, _ONE)
    mask, (left, top) = font(*face).getmask2(word, "L", start=(fraction / _ONE, 0))
    pen.draw.draw_bitmap((x + whole + left, y + top), mask, ink)


_SCRIPTS = ("LATIN ", "GREEK ", "CYRILLIC ")  # Roboto's: other letters (or none) take Pillow's own way


def _scripts(row: str) -> set[str]:
    """The scripts of the row's letters ("?" for a letter of another script, or a combining mark)."""
    scripts: set[str] = set()
    for word in row.split(" "):
        scripts |= _word_scripts(word)
    return scripts


@lru_cache(maxsize=65536)
def _word_scripts(word: str) -> frozenset[str]:
    scripts: set[str] = set()
    for character in word:
        category = unicodedata.category(character)
        if category.startswith("L"):
            name = unicodedata.name(character, "")
            scripts.add(next((script for script in _SCRIPTS if name.startswith(script)), "?"))
        elif category.startswith("M") or unicodedata.bidirectional(character) in _RIGHT_TO_LEFT:
            scripts.add("?")
    return frozenset(scripts)


_RIGHT_TO_LEFT = {"R", "AL", "RLE", "RLO", "RLI", "AN"}


@lru_cache(maxsize=65536)
def _drawn_whole(word: str, face: Face) -> bool:
    return any(_joined(first, second, face) for first, second in itertools.pairwise(word))


@lru_cache(maxsize=16384)
def _joined(first: str, second: str, face: Face) -> bool:
    """Whether the pair drawn by Pillow differs from its two glyphs stamped apart."""
    size = face[1]
    canvas = (4 * size, 3 * size)
    whole = Image.new("L", canvas, 0)
    ImageDraw.Draw(whole).text((size, size), first + second, font=font(*face), fill=255)
    apart = Image.new("L", canvas, 0)
    _draw_glyphs(ImageDraw.Draw(apart), size, size, 0, first + second, face, 255)
    return whole.tobytes() != apart.tobytes()
