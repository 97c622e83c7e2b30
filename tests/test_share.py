"""Share previews, read the way a social network's crawler reads them."""

from __future__ import annotations

import dataclasses
import io
import os
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image, ImageChops, ImageStat

from build_tools.site import share, share_drawing, share_text
from build_tools.tools import share_timing
from conftest import FIXTURES, SITE_URL, Run, copy_root
from conftest import SHARED_PAGES as PAGES


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        key = found.get("property") or found.get("name") or ""
        if tag == "meta" and key.startswith(("og:", "twitter:")):
            self.tags.append((key, found.get("content") or ""))


def _meta(html: str) -> dict[str, list[str]]:
    parser = _Meta()
    parser.feed(html)
    out: dict[str, list[str]] = {}
    for key, value in parser.tags:
        out.setdefault(key, []).append(value)
    return out


@pytest.mark.parametrize(
    ("prefix", "locale", "others"), [("", "fr_FR", ["en_US", "uk_UA"]), ("uk/", "uk_UA", ["fr_FR", "en_US"])]
)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_has_share_tags_in_its_language(
    shared_site: Path, page: str, prefix: str, locale: str, others: list[str]
) -> None:
    meta = _meta((shared_site / prefix / page / "index.html").read_text(encoding="utf-8"))
    assert meta["og:locale"] == [locale] and meta["og:locale:alternate"] == others
    assert meta["og:url"] == [f"{SITE_URL}{prefix}{page}"]
    assert meta["twitter:card"] == ["summary_large_image"]
    assert meta["og:title"][0] and meta["og:description"][0] and meta["og:title"] == meta["twitter:title"]
    [image] = meta["og:image"]
    assert image.startswith(SITE_URL) and meta["twitter:image"] == [image]
    with Image.open(shared_site / urlsplit(image).path.removeprefix(urlsplit(SITE_URL).path)) as png:
        assert (png.format, png.size) == ("PNG", (1200, 630))
    expected = (
        "bridge-length" if page == "claims/bridge-length/" else "good-news" if page == "claims/good-news/" else "site"
    )
    assert image.endswith(f"assets/share/{expected}.png")


def test_a_claim_description_carries_verdict_and_conclusion(shared_site: Path) -> None:
    meta = _meta((shared_site / "en/claims/bridge-length/index.html").read_text(encoding="utf-8"))
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == ["The bridge is 1,200 metres long."]
    assert meta["og:description"] == [
        "Mostly accurate — According to the register, 1,180 metres: a little less than the 1,200 stated."
    ]


def test_images_differ_by_language_and_claim(shared_site: Path) -> None:
    images = [shared_site / p / "assets/share/bridge-length.png" for p in ("", "en/", "uk/")]
    images.append(shared_site / "assets/share/good-news.png")
    assert len({path.read_bytes() for path in images}) == 4


def test_a_rebuild_draws_only_what_changed(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    drawn: list[str] = []
    original = share.draw

    def counting(card: share.Card) -> bytes:
        drawn.append(card.title)
        return original(card)

    monkeypatch.setattr(share, "draw", counting)
    assert cli("build", "--root", root, "--no-parallel").code == 0
    assert len(drawn) == 6  # two claims and the site, in two languages
    first = (root / "site/assets/share/bridge-length.png").read_bytes()
    drawn.clear()
    assert cli("build", "--root", root, "--no-parallel").code == 0
    assert drawn == []
    assert (root / "site/assets/share/bridge-length.png").read_bytes() == first
    claim = root / "claims/good-news.yml"
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("It is good news for the region.", "Good news, it says.")
    )
    assert cli("build", "--root", root, "--no-parallel").code == 0
    assert drawn == ["Good news, it says."]


@pytest.mark.parametrize(
    ("path", "title"),
    [("article/", "L'article annoté"), ("en/claims/", "Fact-checked claims"), ("uk/faq/", "Часті питання")],
)
def test_titles_are_escaped_once(shared_site: Path, path: str, title: str) -> None:
    """A crawler reads the title as the reader sees it, not an entity left over from a second escaping."""
    meta = _meta((shared_site / path / "index.html").read_text(encoding="utf-8"))
    assert meta["og:title"] == [title] and meta["twitter:title"] == [title]


# The card of tests/golden/share-card.png, drawn by the engine before its images became palette PNGs
# (full colour, Pillow's default compression): a label, a title on three rows, a conclusion cut.
GOLDEN = Path(__file__).parent / "golden" / "share-card.png"
GOLDEN_CARD = share.Card(
    "Le pont mesure 1 200 mètres, selon le ministre : une longueur que le registre des ouvrages ne donne pas"
    " tout à fait.",
    "Plutôt exact",
    "#33691e",
    "Selon le registre, 1 180 mètres : un peu moins que les 1 200 annoncés. La fiche du pont, publiée par le"
    " registre des ouvrages, donne la longueur exacte au mètre près, et elle est la seule source citée.",
    "Démo",
)


def _difference(card: share.Card) -> Image.Image:
    with Image.open(io.BytesIO(share.draw(card))) as drawn, Image.open(GOLDEN) as golden:
        assert drawn.size == golden.size == (share.WIDTH, share.HEIGHT)
        return ImageChops.difference(drawn.convert("RGB"), golden.convert("RGB"))


def test_a_card_looks_as_it_did() -> None:
    """Only the shading of the glyphs' edges may move, by a few levels: the layout, the colours and the
    paper are today's (a colour changed or a text moved by one pixel is far outside these bounds)."""
    difference = ImageStat.Stat(_difference(GOLDEN_CARD))
    worst = max(high for _, high in difference.extrema)
    mean = max(difference.mean)
    assert worst <= 10 and mean <= 0.15, (worst, mean)


def test_the_golden_comparison_sees_another_colour() -> None:
    next_verdict = dataclasses.replace(GOLDEN_CARD, colour="#1b5e20")
    difference = ImageStat.Stat(_difference(next_verdict))
    assert max(high for _, high in difference.extrema) > 10


def _wrapped_by_measuring_rows(text: str, weight: str, size: int) -> tuple[str, ...]:
    """The rows of a title, every candidate row measured whole (as the engine first wrapped them)."""
    font = share_text.font(weight, size)
    rows: list[str] = []
    for word in text.split():
        candidate = f"{rows[-1]} {word}" if rows else word
        if rows and font.getlength(candidate, "L") <= share.WIDTH - 140:
            rows[-1] = candidate
        else:
            rows.append(word)
    return tuple(rows)


@pytest.mark.parametrize("word", ["T", "Ty", "«T»", "Lorem", "Жук"])
def test_rows_are_the_ones_measuring_each_row_gives(word: str) -> None:
    """Rows are fitted from cached word widths, but the kerning across spaces ("T T") adds up along a
    row: every row must still break where measuring it whole breaks it."""
    for count in range(1, 60):
        text = " ".join([word] * count)
        assert share_drawing._rows(text, ("Bold", 54), 99) == _wrapped_by_measuring_rows(text, "Bold", 54)


def test_many_missing_images_are_drawn_by_worker_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workers draw what this process would, byte for byte, and only the cards not in the cache."""
    drawers = tmp_path / "drawers"
    original = share.draw

    def recording(card: share.Card) -> bytes:
        with drawers.open("a", encoding="utf-8") as out:
            out.write(f"{os.getpid()}\n")
        return original(card)

    monkeypatch.setattr(share, "draw", recording)
    monkeypatch.setattr(share, "_WORKER_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    cards = {f"{n}": dataclasses.replace(GOLDEN_CARD, title=f"Claim {n}") for n in range(6)}
    cache = tmp_path / "cache"
    images = share._images(cards, cache)
    pids = drawers.read_text(encoding="utf-8").split()
    assert len(pids) == 6 and os.getpid() not in {int(pid) for pid in pids}
    assert {key: path.read_bytes() for key, path in images.items()} == {
        key: original(card) for key, card in cards.items()
    }
    drawers.unlink()
    assert share._images(cards, cache) == images and not drawers.exists()


def test_a_parallel_build_draws_the_images_once_before_the_languages_build(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawn in the building process (across the cores when many), not in each language's own: and a
    second build draws none, rewrites no file of the cache and reads none of it twice."""
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    drawn: list[str] = []
    original = share.draw

    def counting(card: share.Card) -> bytes:
        drawn.append(card.title)
        return original(card)

    monkeypatch.setattr(share, "draw", counting)
    assert cli("build", "--root", root).code == 0
    assert len(drawn) == 6  # two claims and the site, in two languages, all drawn here
    cache = root / share.CACHE_DIR
    files = {path.name: path.stat().st_ino for path in cache.iterdir()}
    assert len(files) == 6
    read: list[Path] = []
    trusted = share._trusted

    def reading(path: Path) -> bool:
        read.append(path)
        return trusted(path)

    monkeypatch.setattr(share, "_trusted", reading)
    assert cli("build", "--root", root).code == 0
    assert len(drawn) == 6
    # Listing the cache before the languages build reads none of it: each language's build checks its
    # own entries once, the first language's here (this process builds it), the others' in theirs.
    assert len(read) == len(set(read)) == 3
    assert {path.name: path.stat().st_ino for path in cache.iterdir()} == files


def test_the_hand_run_measurement_draws_every_claim_in_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert share_timing.main(["2", "--rounds", "1"]) == 0
    printed = capsys.readouterr().out
    pattern = r"4 images, 1 rounds: CPU ms per image [0-9.]+ \(median [0-9.]+\); bytes per image: .*\n"
    assert re.fullmatch(pattern, printed)


def _refused(*args: object, **kwargs: object) -> None:
    raise OSError(18, "Invalid cross-device link")


def _cache_entry(root: Path, image: Path) -> Path:
    [entry] = [path for path in (root / share.CACHE_DIR).iterdir() if path.read_bytes() == image.read_bytes()]
    return entry


def test_cached_images_are_linked_into_the_site_and_never_written_through(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    from build_tools.site.preview import Preview

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root, "--no-parallel").code == 0
    image = root / "site/en/assets/share/good-news.png"
    entry = _cache_entry(root, image)
    assert image.stat().st_ino == entry.stat().st_ino  # one file, two names: nothing copied
    preview_site = tmp_path / "preview"
    preview = Preview(root, preview_site)
    assert not preview.build().problems
    served = preview_site / "en/assets/share/good-news.png"
    assert served.stat().st_ino == entry.stat().st_ino
    before = entry.read_bytes()
    claim = root / "claims/good-news.yml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("It is good news for the region.", "Good news."))
    assert not preview.build().problems
    assert entry.read_bytes() == before  # the new image replaced the link, not the bytes behind it
    assert served.read_bytes() != before and _cache_entry(root, served).stat().st_ino == served.stat().st_ino


def test_cached_images_are_copied_where_links_are_refused(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("build_tools.site.adapter.os.link", _refused)
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root, "--no-parallel").code == 0
    image = root / "site/en/assets/share/good-news.png"
    assert image.stat().st_nlink == 1
    assert image.read_bytes() == _cache_entry(root, image).read_bytes()


@pytest.mark.parametrize("links", [True, False])
def test_a_preview_shows_the_image_again_when_an_edit_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, links: bool
) -> None:
    from build_tools.site.preview import Preview

    if not links:
        monkeypatch.setattr("build_tools.site.adapter.os.link", _refused)
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    preview = Preview(root, tmp_path / "preview")
    assert not preview.build().problems
    served = tmp_path / "preview/en/assets/share/good-news.png"
    first = served.read_bytes()
    claim = root / "claims/good-news.yml"
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace("It is good news for the region.", "Good news."), encoding="utf-8")
    assert not preview.build().problems
    assert served.read_bytes() != first
    claim.write_text(text, encoding="utf-8")  # undone: the first image is in the cache, older than the site's
    assert not preview.build().problems
    assert served.read_bytes() == first
