"""Share previews: the Open Graph and Twitter card tags of every page, and the images they point at.

A claim's image (1200×630 PNG) carries the claim, its verdict's label and colour, the conclusion
and the site's name; every other page uses one image of the site. Images are drawn with Pillow in
Roboto (shipped by the font-roboto package) and kept in ``.cache/share/`` under a digest of what
they show, so a rebuild draws only the images whose text changed.
"""

from __future__ import annotations

import hashlib
import io
import os
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
_DRAWING_VERSION = "1"  # change it when the drawing changes, so cached images are redrawn
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
    return {path: _image(card, cache_root) for path, card in cards.items()}


def _image(card: Card, cache_root: Path) -> Path:
    cached = cache_root / f"{card.digest()}.png"
    if not cached.is_file():
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, prefix=".share-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(draw(card))
        os.replace(tmp, cached)
    return cached


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
    for word in text.split():
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
