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
and site; the palette alone carries the colour. A card copies, draws and compresses only the band
of rows its text can reach: its glyphs are stamped from bitmaps rendered once (``share_text``), and
the backdrop's rows above and below the band are compressed once per backdrop (``share_png``).
Wrapping is cached by the text it wraps, and word widths by word, since the same words come back
from card to card. Measured over the 2,000 cards of a synthetic root of 1,000 claims (one process,
CPU time, a shared 2-core machine): 1.4–1.8 ms a card from a cold start, 1.2–1.4 ms with the glyph
caches warm, 10.8 KB, the same pixels as drawing each row with Pillow (4.3–5.0 ms and 13.9 KB
before). Cards of long varied text (three rows of title and three of conclusion) take 4.1–4.5 ms
warm (9.6–10.2 before); the first contact with each pair of characters costs about 0.6 ms (the
check that it draws as its two glyphs, see ``share_text``), bounded by the alphabet, not the cards.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageColor, ImageDraw, ImageFont

from build_tools.site import share_png
from build_tools.site.share_text import Face as _Face
from build_tools.site.share_text import draw_row
from build_tools.site.share_text import font as _font
from build_tools.site.share_text import length as _length
from build_tools.site.share_text import word_length as _word_length

WIDTH, HEIGHT = 1200, 630
_DRAWING_VERSION = "4"  # change it when the drawing changes, so cached images are redrawn
_INK, _MUTED, _PAPER = "#1a1a1a", "#555555", "#ffffff"
_MARGIN = 70


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


_TITLE_FACE: _Face = ("Bold", 54)
_CONCLUSION_FACE: _Face = ("Regular", 36)
_BAND_STEP = 16  # the text band's edges are rounded to it, so a backdrop's parts are few and reused


def draw(card: Card) -> bytes:
    backdrop = _backdrop(card.label, card.site_name)
    titles = _rows(card.title, _TITLE_FACE, 3)
    conclusions = _rows(card.conclusion, _CONCLUSION_FACE, 3)
    y = backdrop.title_y
    conclusion_y = y + len(titles) * _row_height(_TITLE_FACE) + 24
    end = conclusion_y + len(conclusions) * _row_height(_CONCLUSION_FACE)
    # Only the rows the text can reach are copied, drawn and compressed. Roboto's glyphs reach at
    # most 0.1 em above a row's top (Ṧ, Ẳ) and 1.22 em below it (measured over every character of
    # U+0020–U+21FF at both sizes): a quarter of an em above and one and a half below hold them.
    lowest = max(_reach(titles, _TITLE_FACE, y), _reach(conclusions, _CONCLUSION_FACE, conclusion_y))
    top = (y - _TITLE_FACE[1] // 4) // _BAND_STEP * _BAND_STEP
    bottom = min(HEIGHT, -(-lowest // _BAND_STEP) * _BAND_STEP)
    band = backdrop.image.crop((0, top, WIDTH, bottom))
    # Glyphs drawn with the value _SHADES on paper (index 0) blend into 0…_SHADES: the title's
    # shades themselves, so the text needs no mapping. The conclusion, drawn the same way, then
    # takes its own shades: below the gap after the title, only its glyphs have those values.
    _paragraph(band, titles, _TITLE_FACE, y - top)
    _paragraph(band, conclusions, _CONCLUSION_FACE, conclusion_y - top)
    if conclusions:  # the box reaches half the gap above and below the rows, for accents and descenders
        box = (_MARGIN - 12, conclusion_y - 12 - top, WIDTH - _MARGIN + 12, min(bottom, end + 12) - top)
        band.paste(band.crop(box).point(_AS_CONCLUSION), box)
    return share_png.write(backdrop, band, top, _palette(card.colour))  # the indices, in the card's colours


@lru_cache(maxsize=32)  # a site has a few verdicts per language; each backdrop holds 0.75 MB
def _backdrop(label: str, site_name: str) -> share_png.Backdrop:
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
    return share_png.Backdrop(image, y)


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


def _row_height(face: _Face) -> int:
    return int(face[1] * 1.25)


def _reach(rows: Sequence[str], face: _Face, y: int) -> int:
    """How far down the glyphs of ``rows`` drawn from ``y`` may reach."""
    return y + (len(rows) - 1) * _row_height(face) + face[1] * 3 // 2 if rows else y


def _paragraph(band: Image.Image, rows: Sequence[str], face: _Face, y: int) -> None:
    """Draw ``rows`` on ``band`` from ``y`` down, in the title's shades: their coverage first (where
    glyphs touch it sums as Pillow sums a row's), then blended into the band at once."""
    if not rows:
        return
    top = max(0, y - face[1] // 4)
    coverage = Image.new("L", (WIDTH, max(1, min(band.height, _reach(rows, face, y)) - top)), 0)
    pen = ImageDraw.Draw(coverage)
    for number, row in enumerate(rows):
        draw_row(pen, (_MARGIN, y - top + number * _row_height(face)), row, face)
    ImageDraw.Draw(band).draw.draw_bitmap((0, top), coverage.im, _SHADES)


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
