"""How a share image is drawn and written: rows stamped from cached glyphs, the PNG assembled from parts."""

from __future__ import annotations

import dataclasses
import io
import struct
import zlib

import pytest
from PIL import Image, ImageChops, ImageDraw

from build_tools.site import share, share_drawing, share_png, share_text

_ROWS = [
    "Le pont mesure 1 200 mètres, selon le ministre : une longueur",
    "La fiche du pont, publiée par le registre : office, affluent, flûte",  # ligatures, "ffi" too
    "урегулированию украинского — Вони дуже важливі",  # glyphs that touch where the row lands them
    "«Tout» — T T Ty Yo AV To Wa L’Yonne, “quoted” ‘x’ 7.5 % 4,1",  # kerning, across spaces too
    "Міст має довжину «Так» — Ґоґа; Ярослав, Їжак, ЄС, Щука! Ту Уа",
    "Η γέφυρα έχει μήκος «Λόγος» — “Λόγος” Τα Υα ΑΥ ΤΟ ΛΑ Ά Ύ",
    "Ωμέγα “quoted” Міст",  # scripts mixed: Raqm shapes each run apart
    "e\u0301te\u0301 \u0645\u0631\u062d\u0628\u0627 world",  # a combining accent; right to left
    "",
    "…",
]


@pytest.mark.parametrize("face", [("Bold", 54), ("Regular", 36)])
@pytest.mark.parametrize("row", _ROWS)
def test_a_row_stamped_from_glyphs_is_the_row_pillow_draws(row: str, face: tuple[str, int]) -> None:
    """The coverage, pixel for pixel: the card blends it into its shades as Pillow blends a row's."""
    size = (1200, 4 * face[1])
    whole = Image.new("L", size, 0)
    ImageDraw.Draw(whole).text((70, face[1]), row, font=share_text.font(*face), fill=255)
    stamped = Image.new("L", size, 0)
    share_text.draw_row(ImageDraw.Draw(stamped), (70, face[1]), row, face)
    assert ImageChops.difference(whole, stamped).getbbox() is None


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The chunks of ``png``, each one's CRC checked: read by hand, not by Pillow."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(png):
        (size,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + size]
        (crc,) = struct.unpack(">I", png[at + 8 + size : at + 12 + size])
        assert crc == zlib.crc32(kind + data), kind
        chunks.append((kind, data))
        at += 12 + size
    assert at == len(png)
    return chunks


_CARD = share.Card(
    "Le pont mesure 1 200 mètres, selon le ministre : une longueur que le registre ne donne pas.",
    "Plutôt exact",
    "#33691e",
    "Selon le registre, 1 180 mètres : un peu moins que les 1 200 annoncés.",
    "Démo",
)


@pytest.mark.parametrize(
    "card",
    [
        _CARD,
        dataclasses.replace(_CARD, conclusion=""),
        dataclasses.replace(_CARD, title="", conclusion=""),
        dataclasses.replace(_CARD, label="", title="Site", conclusion="x " * 400),
    ],
)
def test_the_png_is_one_standard_zlib_stream_of_unfiltered_rows(card: share.Card) -> None:
    """zlib (not Pillow) inflates the joined parts, checks their Adler-32, and finds every row whole,
    filter type 0, with the indices Pillow decodes."""
    png = share.draw(card)
    chunks = _chunks(png)
    assert [kind for kind, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]
    assert chunks[0][1] == struct.pack(">IIBBBBB", share.WIDTH, share.HEIGHT, 8, 3, 0, 0, 0)
    raw = zlib.decompress(chunks[2][1])  # raises on a wrong Adler-32 or a stream cut short
    row = share.WIDTH + 1
    assert len(raw) == share.HEIGHT * row
    assert all(raw[start] == 0 for start in range(0, len(raw), row))
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.mode == "P"
        indices = image.tobytes()  # a palette image's bytes are its indices
    assert indices == b"".join(raw[start + 1 : start + row] for start in range(0, len(raw), row))


def test_the_same_card_gives_the_same_bytes_with_the_backdrop_parts_cached_or_not() -> None:
    first = share.draw(_CARD)
    share_drawing._backdrop.cache_clear()
    assert share.draw(_CARD) == first


@pytest.mark.parametrize("split", [0, 1, 5552, 65521, 70000, 99999])
def test_checksums_combine_as_over_the_joined_bytes(split: int) -> None:
    data = bytes((n * 7919 + n // 251) % 256 for n in range(100_000))
    first, second = data[:split], data[split:]
    combined = share_png.adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(data)


def _drawn_whole_with_pillow(card: share.Card) -> bytes:
    """The card's palette indices drawn the plain way: every row by ImageDraw.text on the whole
    backdrop, nothing cut to a band."""
    backdrop = share_drawing._backdrop(card.label, card.site_name)
    image = backdrop.image.copy()
    pen = ImageDraw.Draw(image)
    y = backdrop.title_y
    for text, face, gap in ((card.title, ("Bold", 54), 24), (card.conclusion, ("Regular", 36), 0)):
        start = y
        for row in share_drawing._rows(text, face, 3):
            pen.text((70, y), row, font=share_text.font(*face), fill=share_drawing._SHADES)
            y += int(face[1] * 1.25)
        if face[0] == "Regular" and y > start:
            box = (58, start - 12, share.WIDTH - 58, min(share.HEIGHT, y + 12))
            image.paste(image.crop(box).point(share_drawing._AS_CONCLUSION), box)
        y += gap
    return image.tobytes()


@pytest.mark.parametrize(
    "card",
    [
        _CARD,
        dataclasses.replace(_CARD, title="ṦẲṎṺẴ ǕǙǞ Ǻ ÅÉÈÊ ṦẲṎṺẴ ǕǙǞ " * 4, conclusion="Ṧ ẲṎ ṺẴ ǕǙǞ ¸ ̦ ͖ qypgj " * 9),
        dataclasses.replace(_CARD, title="qypgj ‸ ͢ ᶚ " * 9, conclusion=""),
        dataclasses.replace(_CARD, label="", title="Ωμέγα “quoted” Міст office e\u0301te\u0301 " * 5),
    ],
)
def test_a_card_has_the_indices_of_its_rows_drawn_whole_by_pillow(card: share.Card) -> None:
    """The text band holds every glyph (accents above the rows, descenders below), and the rows
    stamped from glyphs are Pillow's rows."""
    with Image.open(io.BytesIO(share.draw(card))) as image:
        assert image.tobytes() == _drawn_whole_with_pillow(card)
