"""Drawing one share image (1200×630 PNG): the verdict's colour band and label, the claim, the
conclusion and the site's name, in Roboto (shipped by the font-roboto package).

A card is white paper with three inks on it: the title's, the conclusion's and the verdict's colour
(the label is paper-white glyphs on that colour). Every pixel therefore lies between the paper and
one ink, so the card is drawn directly in palette indices: index 0 is the paper and each ink has
``_SHADES`` shades towards it, the antialiased edge of a glyph taking the nearest one (at most
1/30 of the way between paper and ink from an exact blend: 8/255 for the darkest ink). No colour
is quantised or dithered, and the image is written as a palette PNG: with the cached backdrop
below, a sixth of the time and under half the bytes of the full-colour drawing (measured), with
the same look (tests/golden/share-card.png, drawn the full-colour way, is the reference).

What does not depend on the claim (the band, the label and the site's name) is drawn once per label
and site and copied for each card; the palette alone carries the colour. Wrapping is cached by the
text it wraps, and word widths by word, since the same words come back from card to card.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import font_roboto
from PIL import Image, ImageColor, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
_FONTS = Path(font_roboto.__file__).parent / "files"
_DRAWING_VERSION = "3"  # change it when the drawing changes, so cached images are redrawn
_INK, _MUTED, _PAPER = "#1a1a1a", "#555555", "#ffffff"
_MARGIN = 70
_Face = tuple[str, int]  # Roboto's weight, and the size in pixels
_COMPRESS_LEVEL = 3  # zlib levels 1 to 3 take the same time on a card (measured); 3 packs it 14 % smaller


@dataclass(frozen=True)
class Card:
    """What one share image shows."""

    title: str
    label: str  # the verdict's label, or the site's description for the site image
    colour: str
    conclusion: str
    site_name: str

    def digest(self) -> str:
        parts = (_DRAWING_VERSION, self.title, self.label, self.colour, self.conclusion, self.site_name)
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


# The palette: paper, then each ink's shades from the lightest to the ink itself.
_SHADES = 15
_PAPER_INDEX = 0
_TITLE, _CONCLUSION, _COLOUR = 0, 1, 2  # the inks, in the palette's order


def _index(ink: int, shade: int) -> int:
    """The palette index of ``shade`` (0 the paper … ``_SHADES`` the ink itself) of ``ink``."""
    return _PAPER_INDEX if shade == 0 else 1 + ink * _SHADES + shade - 1


def _shades(ink: int, *, on_ink: bool = False) -> list[int]:
    """A glyph pixel's coverage (0–255) → its palette index: the shade of ``ink`` on paper, or, for
    paper-white glyphs on the ink (``on_ink``), the shade of paper on it."""
    table = []
    for coverage in range(256):
        shade = round(coverage * _SHADES / 255)
        table.append(_index(ink, _SHADES - shade if on_ink else shade))
    return table


# The title's shade → the conclusion's; the other indices (paper, the verdict's colour) stay.
_AS_CONCLUSION = [_index(_CONCLUSION, value) if value <= _SHADES else value for value in range(256)]
_COLOUR_SHADES = _shades(_COLOUR)
_LABEL_SHADES = _shades(_COLOUR, on_ink=True)
_COVERED = [0] + [255] * 255  # where a glyph touches the pixel at all


@lru_cache(maxsize=64)
def _palette(colour: str) -> bytes:
    paper = ImageColor.getrgb(_PAPER)[:3]
    values = list(paper)
    for ink in (_INK, _MUTED, colour):
        rgb = ImageColor.getrgb(ink)[:3]
        for shade in range(1, _SHADES + 1):
            values += [round(p + (i - p) * shade / _SHADES) for p, i in zip(paper, rgb, strict=True)]
    return bytes(values)


@cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONTS / f"Roboto-{weight}.ttf"), size)


def draw(card: Card) -> bytes:
    backdrop, y = _backdrop(card.label, card.site_name)
    image = backdrop.copy()
    pen = ImageDraw.Draw(image)
    # Glyphs drawn with the value _SHADES on paper (index 0) blend into 0…_SHADES: the title's
    # shades themselves, so the text needs no mapping. The conclusion, drawn the same way, then
    # takes its own shades: below the gap after the title, only its glyphs have those values.
    y = _paragraph(pen, card.title, ("Bold", 54), y, lines=3) + 24
    end = _paragraph(pen, card.conclusion, ("Regular", 36), y, lines=3)
    if end > y:  # the box reaches half the gap above and below the rows, for accents and descenders
        conclusion = (_MARGIN - 12, y - 12, WIDTH - _MARGIN + 12, min(HEIGHT, end + 12))
        image.paste(image.crop(conclusion).point(_AS_CONCLUSION), conclusion)
    image.putpalette(_palette(card.colour))  # the indices become a palette image, in the card's colours
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=_COMPRESS_LEVEL)
    return out.getvalue()


@lru_cache(maxsize=32)  # a site has a few verdicts per language; each backdrop holds 0.75 MB
def _backdrop(label: str, site_name: str) -> tuple[Image.Image, int]:
    """The palette indices of what a card shows besides its claim, and where its title starts."""
    image = Image.new("L", (WIDTH, HEIGHT), _PAPER_INDEX)
    pen = ImageDraw.Draw(image)
    full_colour = _index(_COLOUR, _SHADES)
    pen.rectangle((0, 0, WIDTH, 24), fill=full_colour)
    y = 70
    if label:
        font = _font("Bold", 40)
        box = pen.textbbox((0, 0), label, font=font)
        pen.rounded_rectangle((_MARGIN, y, _MARGIN + box[2] + 48, y + 70), radius=35, fill=full_colour)
        _stamp(image, [((_MARGIN + 24, y + 35), label)], font, _LABEL_SHADES, anchor="lm")
        y += 110
    _stamp(image, [((_MARGIN, HEIGHT - 60), site_name)], _font("Medium", 30), _COLOUR_SHADES, anchor="ls")
    return image, y


def _stamp(
    image: Image.Image,
    texts: Sequence[tuple[tuple[int, int], str]],
    font: ImageFont.FreeTypeFont,
    shades: list[int],
    anchor: str = "la",
) -> None:
    """Draw ``texts`` (each at its position) on ``image`` in ``shades``: rendered as coverage on a
    strip as wide as the image, turned into palette indices, and pasted where a glyph covers."""
    size = int(font.size)
    # An em above the highest anchor and two below the lowest hold accents and descenders.
    top = max(0, min(y for (_, y), _ in texts) - size)
    bottom = min(HEIGHT, max(y for (_, y), _ in texts) + 2 * size)
    if bottom <= top:
        return
    coverage = Image.new("L", (WIDTH, bottom - top), 0)
    pen = ImageDraw.Draw(coverage)
    for (x, y), text in texts:
        pen.text((x, y - top), text, font=font, fill=255, anchor=anchor)
    image.paste(coverage.point(shades), (0, top), coverage.point(_COVERED))


def _paragraph(pen: ImageDraw.ImageDraw, text: str, face: _Face, y: int, *, lines: int) -> int:
    """Draw ``text`` wrapped to the card's width, at most ``lines`` rows, in the title's shades; the
    y below it."""
    font = _font(*face)
    height = int(face[1] * 1.25)
    for row in _rows(text, face, lines):
        pen.text((_MARGIN, y), row, font=font, fill=_SHADES)
        y += height
    return y


_MOST_PER_ROW = 120  # characters; more than the widest row of the narrowest letters holds


@lru_cache(maxsize=4096)
def _rows(text: str, face: _Face, lines: int, room: float = WIDTH - 2 * _MARGIN) -> tuple[str, ...]:
    """``text`` wrapped to rows of at most ``room`` pixels, at most ``lines`` rows, the last one cut
    with '…'."""
    font = _font(*face)
    space = _word_length(" ", face)
    # A row is as wide as its words and spaces give or take the kerning across each space, at most
    # 0.06 em in Roboto (measured over Latin, Greek and Cyrillic): only a row closer than twice that
    # to the edge is measured whole, so the rows are the ones measuring every row would give.
    slack = face[1] / 8
    rows: list[str] = []
    widths: list[float] = []  # each row's width, from its words'
    # Only what fits in ``lines`` rows is laid out: a long text (or one long word) costs no more.
    for word in _pieces(text[: lines * _MOST_PER_ROW], face, room):
        width = _word_length(word, face)
        if rows:
            joined = widths[-1] + space + width
            margin = slack * (rows[-1].count(" ") + 1)
            if joined <= room - margin or (joined <= room + margin and _length(font, f"{rows[-1]} {word}") <= room):
                rows[-1], widths[-1] = f"{rows[-1]} {word}", joined
                continue
        rows.append(word)
        widths.append(width)
    if len(rows) > lines:
        rows = rows[:lines]
        while rows[-1] and _length(font, rows[-1] + "…") > room:
            rows[-1] = rows[-1].rsplit(" ", 1)[0] if " " in rows[-1] else rows[-1][:-1]
        rows[-1] += "…"
    return tuple(rows)


def _length(font: ImageFont.FreeTypeFont, text: str) -> float:
    return font.getlength(text, "L")  # "L": measured as ImageDraw measures it for antialiased text


@lru_cache(maxsize=65536)  # the same words come back from card to card
def _word_length(word: str, face: _Face) -> float:
    return _length(_font(*face), word)


def _pieces(text: str, face: _Face, room: float) -> list[str]:
    """The words of ``text``, a word wider than a row cut into pieces that fit."""
    font = _font(*face)
    pieces: list[str] = []
    for word in text.split():
        if _word_length(word, face) > room:
            while _length(font, word) > room:
                fits, too_long = 1, len(word)  # the longest prefix that fits, found by halving
                while too_long - fits > 1:
                    middle = (fits + too_long) // 2
                    if _length(font, word[:middle]) <= room:
                        fits = middle
                    else:
                        too_long = middle
                pieces.append(word[:fits])
                word = word[fits:]
        pieces.append(word)
    return pieces
