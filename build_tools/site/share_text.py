"""Drawing the rows of a share image's text from glyphs rendered once, as Pillow would draw them.

Pillow draws a row by laying it out (Raqm: each glyph's advance and its pair kerning), rasterising
every glyph at a whole pixel (the pen position rounded), summing the glyphs' coverage into a mask
of the row (a pixel two glyphs touch gets a + b·(255 − a)/255) and blending that mask into the
image. A glyph's bitmap depends on neither its neighbours nor where it lands, so it is rendered
once per face and character and blended into a coverage image with ink 255, at the pixel the
row's layout gives it: blending into coverage with ink 255 is that same sum, rounded the same way.
The caller then blends the coverage into the card once. The pen advances by each character's
advance and the kerning of each pair (measured once, the pair by its own length); characters that
Pillow draws otherwise together than apart (a ligature such as "fi" or "ffi", a combining accent)
are drawn together by Pillow, as a cluster cached by where in a pixel it starts. Rasterising was
five sixths of a card's glyph time (measured); the pixels are the ones drawing the row whole gives
(tests/test_share_drawing.py compares them).
"""

from __future__ import annotations

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


def draw_row(pen: ImageDraw.ImageDraw, xy: tuple[int, int], row: str, face: Face, ink: int = 255) -> None:
    """Draw ``row`` with its top-left at ``xy`` (the anchor "la" of ImageDraw.text) in ``ink``:
    exactly as ImageDraw.text on a coverage image (ink 255, where glyphs may touch), or on an image
    where they do not (another ink)."""
    x, y = xy
    if len(_scripts(row)) != 1:  # Raqm shapes each script's run apart, right to left ones reversed
        pen.text(xy, row, font=font(*face), fill=ink)
        return
    stamp = pen.draw.draw_bitmap
    position = 0  # the pen, in 64ths of a pixel from x
    words = row.split(" ")
    for number, word in enumerate(words):
        # The loop a card spends its glyph time in (a few thousand glyphs a card): kept flat.
        for offset, cluster, glyph in _placed(word, face):
            at = position + offset
            if glyph is None:  # a cluster: its mask holds where in a pixel it starts
                fraction = at % _ONE
                glyph, at = _cluster(cluster, face, fraction), at - fraction
                if glyph is None:
                    continue
            stamp((x + ((at + _ONE // 2) >> 6) + glyph[1], y + glyph[2]), glyph[0], ink)
        position += _advance(word, face) if word else 0
        if number + 1 < len(words):  # the space, with the kerning on each side of it
            before, after = word[-1:], words[number + 1][:1]
            position += _advance(" ", face)
            position += _kerning(before, " ", face) if before else 0
            position += _kerning(" ", after, face) if after else 0


def _stamp(pen: ImageDraw.ImageDraw, xy: tuple[int, int], piece: str, at: int, face: Face, ink: int) -> None:
    """Blend ``piece`` into ``pen``'s image at the pen position ``at`` (64ths) from ``xy``."""
    if len(piece) == 1:
        glyph = _glyph(piece, face)
    else:
        glyph = _cluster(piece, face, at % _ONE)
        at -= at % _ONE  # the cluster's mask holds the fraction
    if glyph is not None:
        mask, left, top = glyph
        pen.draw.draw_bitmap((xy[0] + _pixel(at) + left, xy[1] + top), mask, ink)


@lru_cache(maxsize=16384)  # a word's entry holds a tuple per glyph: about 1 KB
def _placed(word: str, face: Face) -> tuple[tuple[int, str, _Glyph | None], ...]:
    """The pieces of ``word`` that put ink on the card: each one's pen offset, and its glyph, or
    the cluster to draw (``None`` for its glyph)."""
    placed = []
    for piece, offset in _layout(word, face):
        glyph = _glyph(piece, face) if len(piece) == 1 else None
        if glyph is not None or len(piece) > 1:
            placed.append((offset, piece, glyph))
    return tuple(placed)


def _layout(word: str, face: Face) -> tuple[tuple[str, int], ...]:
    """The pieces ``word`` is drawn in, each with its pen offset (64ths): its characters, but those
    that do not draw as their pieces apart (see ``_joined``) together in one cluster, drawn by Pillow."""
    pieces = list(word)
    merged = True
    while merged:  # a pair, then a cluster and its neighbour ("f" and "fi" make the ligature "ffi")
        merged = False
        for number in range(len(pieces) - 1):
            pair = (pieces[number], pieces[number + 1])
            if _joined(pair, face):
                pieces[number : number + 2] = ["".join(pair)]
                merged = True
                break
    if all(len(piece) == 1 for piece in pieces):  # the pen moves by each advance and pair kerning
        offsets, offset = [], 0
        for number, character in enumerate(word):
            offsets.append((character, offset))
            offset += _advance(character, face)
            offset += _kerning(character, word[number + 1], face) if number + 1 < len(word) else 0
        return tuple(offsets)
    return _measured(tuple(pieces), face)


def _measured(pieces: tuple[str, ...], face: Face) -> tuple[tuple[str, int], ...]:
    """Each piece with its offset, measured as Raqm lays the pieces out together: where the text up
    to the piece's end ends, less the piece's own advance (a ligature's kerning is not a pair's)."""
    offsets, end = [], ""
    for piece in pieces:
        end += piece
        offsets.append((piece, _advance(end, face) - _advance(piece, face)))
    return tuple(offsets)


@lru_cache(maxsize=4096)
def _cluster(cluster: str, face: Face, fraction: int) -> _Glyph | None:
    """``cluster`` as Pillow draws it with its pen ``fraction`` (64ths) past a pixel; the mask is
    placed from that pixel, so it goes to the pixel ``_pixel`` gives for a whole position."""
    mask, (left, top) = font(*face).getmask2(cluster, "L", start=(fraction / _ONE, 0))
    return (mask, left, top) if mask.size[0] and mask.size[1] else None


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


@lru_cache(maxsize=16384)
def _joined(pair: tuple[str, str], face: Face) -> bool:
    """Whether the two pieces drawn by Pillow together differ from the pieces stamped apart."""
    size = face[1]
    canvas = (2 * size * (len(pair[0]) + len(pair[1]) + 1), 3 * size)
    whole = Image.new("L", canvas, 0)
    ImageDraw.Draw(whole).text((size, size), "".join(pair), font=font(*face), fill=255)
    apart = Image.new("L", canvas, 0)
    for piece, offset in _measured(pair, face):
        _stamp(ImageDraw.Draw(apart), (size, size), piece, offset, face, 255)
    return whole.tobytes() != apart.tobytes()
