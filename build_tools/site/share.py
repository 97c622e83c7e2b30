"""Share previews: the Open Graph and Twitter card tags of every page, and the images they point at.

A claim's image (1200×630 PNG) carries the claim, its verdict's label and colour, the conclusion
and the site's name; every other page uses one image of the site. Images are drawn with Pillow in
Roboto (shipped by the font-roboto package) and kept in ``.cache/share/`` under a digest of what
they show, so a rebuild draws only the images whose text changed. The file's name also carries a
digest of its bytes: an entry is used only if it is a regular file whose bytes match that name, so
a file swapped or linked into the cache is drawn again rather than published.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import font_roboto
from babel.core import get_global
from PIL import Image, ImageDraw, ImageFont

from build_tools.content.dataset import Dataset
from build_tools.content.model import Claim, SiteLanguage

WIDTH, HEIGHT = 1200, 630
SHARE_DIR = "assets/share"  # under each language's root
CACHE_DIR = ".cache/share"  # under the content root
_FONTS = Path(font_roboto.__file__).parent / "files"
_DRAWING_VERSION = "2"  # change it when the drawing changes, so cached images are redrawn
_INK, _MUTED, _PAPER = "#1a1a1a", "#555555", "#ffffff"


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


def og_locale(language: SiteLanguage) -> str:
    """The language's Open Graph locale (fr_FR, en_US, uk_UA), from CLDR's likely territories."""
    likely = str(get_global("likely_subtags").get(language.code, language.code))
    parts = likely.split("_")
    territory = next((part for part in parts[1:] if len(part) == 2 and part.isupper()), None)
    return f"{language.code}_{territory}" if territory else language.code


def claim_card(dataset: Dataset, claim: Claim, language: SiteLanguage) -> Card:
    verdict = dataset.verdicts[claim.verdict]
    code = language.code
    return Card(claim.summary[code], verdict.label[code], verdict.colour, claim.conclusion[code], language.site_name)


def site_card(dataset: Dataset, language: SiteLanguage) -> Card:
    colour = dataset.scale.verdicts[0].colour
    return Card(language.site_name, "", colour, language.site_description or "", language.site_name)


def share_images(dataset: Dataset, language: SiteLanguage, cache_root: Path) -> dict[str, Path]:
    """Path under the language's root → its PNG in the cache, for every claim and the site; only the
    images not in the cache are drawn. MkDocs copies the files: no image is held in memory."""
    cards = {
        f"{SHARE_DIR}/{claim_id}.png": claim_card(dataset, claim, language)
        for claim_id, claim in dataset.claims.items()
    }
    cards[f"{SHARE_DIR}/site.png"] = site_card(dataset, language)
    entries = _cache_entries(cache_root)
    return {path: _image(card, cache_root, entries) for path, card in cards.items()}


_ENTRY = re.compile(r"([0-9a-f]{64})-([0-9a-f]{64})\.png")


def _cache_entries(cache_root: Path) -> dict[str, Path]:
    """Card digest → the cached file said to show it: regular files only, links never."""
    entries: dict[str, Path] = {}
    try:
        with os.scandir(cache_root) as scan:
            for entry in scan:
                match = _ENTRY.fullmatch(entry.name)
                if match and entry.is_file(follow_symlinks=False):
                    entries[match.group(1)] = Path(entry.path)
    except OSError:  # no cache yet, or not a folder: every image is drawn
        pass
    return entries


_SIZE = struct.pack(">II", WIDTH, HEIGHT)  # a PNG's IHDR starts with its width and height
_MOST_BYTES = 2 * 1024 * 1024


def _trusted(path: Path) -> bool:
    """A cached image is used only if it is what the engine writes: a PNG of the card's size, not
    larger than any card, whose bytes match the digest in its name."""
    try:
        if path.stat().st_size > _MOST_BYTES:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    if not (data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and data[16:24] == _SIZE):
        return False
    return path.name.endswith(f"-{hashlib.sha256(data).hexdigest()}.png")


def _image(card: Card, cache_root: Path, entries: dict[str, Path]) -> Path:
    digest = card.digest()
    cached = entries.get(digest)
    if cached is not None and _trusted(cached):
        return cached
    image = draw(card)
    cache_root.mkdir(parents=True, exist_ok=True)
    path = cache_root / f"{digest}-{hashlib.sha256(image).hexdigest()}.png"
    fd, tmp = tempfile.mkstemp(dir=cache_root, prefix=".share-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(image)
    os.replace(tmp, path)  # replaces a link of that name too, not the file it points at
    return path


_MOST_PER_ROW = 120  # characters; more than the widest row of the narrowest letters holds


def _pieces(text: str, pen: ImageDraw.ImageDraw, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """The words of ``text``, a word wider than a row cut into pieces that fit."""
    pieces: list[str] = []
    for word in text.split():
        while pen.textlength(word, font=font) > width:
            fits, too_long = 1, len(word)  # the longest prefix that fits, found by halving
            while too_long - fits > 1:
                middle = (fits + too_long) // 2
                if pen.textlength(word[:middle], font=font) <= width:
                    fits = middle
                else:
                    too_long = middle
            pieces.append(word[:fits])
            word = word[fits:]
        pieces.append(word)
    return pieces


@cache
def _font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_FONTS / f"Roboto-{weight}.ttf"), size)


def draw(card: Card) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), _PAPER)
    pen = ImageDraw.Draw(image)
    margin = 70
    pen.rectangle((0, 0, WIDTH, 24), fill=card.colour)
    y = 70
    if card.label:
        label = _font("Bold", 40)
        box = pen.textbbox((0, 0), card.label, font=label)
        pen.rounded_rectangle((margin, y, margin + box[2] + 48, y + 70), radius=35, fill=card.colour)
        pen.text((margin + 24, y + 35), card.label, font=label, fill=_PAPER, anchor="lm")
        y += 110
    y = _paragraph(pen, card.title, _font("Bold", 54), margin, y, lines=3, fill=_INK) + 24
    _paragraph(pen, card.conclusion, _font("Regular", 36), margin, y, lines=3, fill=_MUTED)
    pen.text((margin, HEIGHT - 60), card.site_name, font=_font("Medium", 30), fill=card.colour, anchor="ls")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _paragraph(
    pen: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, x: int, y: int, *, lines: int, fill: str
) -> int:
    """Wrap ``text`` to the image's width, at most ``lines`` lines (the last one cut with '…'); the new y."""
    width = WIDTH - 2 * x
    rows: list[str] = []
    # Only what fits in ``lines`` rows is laid out: a long text (or one long word) costs no more.
    for word in _pieces(text[: lines * _MOST_PER_ROW], pen, font, width):
        candidate = f"{rows[-1]} {word}" if rows else word
        if rows and pen.textlength(candidate, font=font) <= width:
            rows[-1] = candidate
        else:
            rows.append(word)
    if len(rows) > lines:
        rows = rows[:lines]
        while rows[-1] and pen.textlength(rows[-1] + "…", font=font) > width:
            rows[-1] = rows[-1].rsplit(" ", 1)[0] if " " in rows[-1] else rows[-1][:-1]
        rows[-1] += "…"
    height = int(font.size * 1.25)
    for row in rows:
        pen.text((x, y), row, font=font, fill=fill)
        y += height
    return y
