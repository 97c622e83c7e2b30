"""Exact answers of the renderers where mutation testing (MUTATION.md) found that a change went unnoticed.

No test here builds a site: each runs in a fraction of a second, so a mutant they catch dies early."""

from __future__ import annotations

import base64
import hashlib
import io
import itertools
import logging
import multiprocessing
import os
import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from build_tools.content.model import SiteLanguage
from build_tools.content.resolve import check_root
from build_tools.site import build, opendata, share, share_drawing, share_text, static
from build_tools.site.pages import RenderOptions
from build_tools.site.state import SiteState
from conftest import FIXTURES, copy_root

# -- share previews -----------------------------------------------------------------------------


def _language(code: str) -> SiteLanguage:
    return SiteLanguage(code=code, name="Name", site_name="Site")


@pytest.mark.parametrize(
    ("code", "locale"),
    [("fr", "fr_FR"), ("en", "en_US"), ("uk", "uk_UA"), ("eo", "eo"), ("ia", "ia"), ("qq", "qq")],
)
def test_og_locale_is_the_likely_territory_or_the_bare_language(code: str, locale: str) -> None:
    """Esperanto and Interlingua have no territory (CLDR says 001, the world); an unknown code stays bare."""
    assert share.og_locale(_language(code)) == locale


def test_the_site_image_is_drawn_in_the_best_verdict_s_colour() -> None:
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    assert len({verdict.colour for verdict in dataset.scale.verdicts[:2]}) == 2
    language = dataset.languages[0]
    assert language.site_description is None
    card = share.site_card(dataset, language)
    assert card == share.Card(language.site_name, "", dataset.scale.verdicts[0].colour, "", language.site_name)


class _Pen(ImageDraw.ImageDraw):
    """Measures text as Pillow does, and records each row instead of drawing it."""

    def __init__(self) -> None:
        super().__init__(Image.new("RGB", (1, 1)))
        self.rows: list[tuple[Any, ...]] = []

    def text(self, xy: Any, text: Any, *args: Any, **kwargs: Any) -> None:
        self.rows.append((xy, text, kwargs.get("font"), kwargs.get("fill")))


_BOLD = share_text.font("Bold", 54)
_WIDTH = share.WIDTH - 2 * 70  # the text's width in a card, between its 70-pixel margins
_ROW = int(54 * 1.25)  # the line height of a 54-pixel font


def _wrapped(pen: _Pen, text: str, *, lines: int) -> tuple[list[str], int]:
    """The rows of a title from 100 down, and the y below them (where each row is drawn is tested in
    test_share_drawing.py, against the rows drawn whole by Pillow)."""
    rows = list(share_drawing._rows(text, ("Bold", 54), lines))
    return rows, 100 + len(rows) * _ROW


def _fits(pen: _Pen, text: str) -> bool:
    return pen.textlength(text, font=_BOLD) <= _WIDTH


def test_a_short_title_is_one_row() -> None:
    assert _wrapped(_Pen(), "Short title", lines=3) == (["Short title"], 100 + _ROW)


LONG = (
    "The regional council says the new bridge over the river will carry twelve thousand vehicles a day from next "
    "spring onward and relieve the old town centre"
)


def test_a_title_wraps_at_the_widest_row_that_fits() -> None:
    pen = _Pen()
    rows, _ = _wrapped(pen, LONG, lines=10)
    assert " ".join(rows) == LONG and len(rows) == 4
    assert all(_fits(pen, row) for row in rows)
    assert all(not _fits(pen, f"{row} {after.split()[0]}") for row, after in itertools.pairwise(rows))


def test_a_title_of_exactly_the_rows_allowed_is_not_cut() -> None:
    rows, _ = _wrapped(_Pen(), LONG, lines=4)
    assert len(rows) == 4 and not rows[-1].endswith("…")


def test_a_long_title_is_cut_after_whole_words_with_an_ellipsis() -> None:
    pen = _Pen()
    full, _ = _wrapped(_Pen(), LONG, lines=10)
    rows, end = _wrapped(pen, LONG, lines=3)
    assert rows[:2] == full[:2] and end == 100 + 3 * _ROW
    words = full[2].split(" ")
    assert not _fits(pen, full[2] + "…")  # the third row must lose a word to take the ellipsis
    kept = max(n for n in range(1, len(words)) if _fits(pen, " ".join(words[:n]) + "…"))
    assert rows[2] == " ".join(words[:kept]) + "…"


@pytest.mark.parametrize("length", [60, 61])
def test_a_word_wider_than_the_card_is_cut_by_letters(length: int) -> None:
    pen = _Pen()
    rows, _ = _wrapped(pen, "A" * length + " " + "B" * 60, lines=1)
    [row] = rows
    kept = len(row) - 1
    assert row == "A" * kept + "…" and _fits(pen, row) and not _fits(pen, "A" * (kept + 1) + "…")


def _rows_between_margins(text: str, exact: str, *, lines: int) -> list[str]:
    """The rows of ``text`` laid out in exactly the width of ``exact``."""
    return list(share_drawing._rows(text, ("Bold", 54), lines, _Pen().textlength(exact, font=_BOLD)))


def test_a_row_exactly_as_wide_as_the_space_fits() -> None:
    assert _rows_between_margins("river year", "river year", lines=3) == ["river year"]
    assert _rows_between_margins("claim year checked", "claim year…", lines=1) == ["claim year…"]


def test_the_drawing_changes_only_with_its_version() -> None:
    """Cached images are named by a digest of their card and of the drawing's version: a change to the
    drawing that keeps the version would leave every cache serving the old images. So the drawing of two
    cards (with a verdict, and the site's, without one) is pinned for each version."""
    claim = share.Card(LONG, "Mostly accurate", "#33691e", f"According to the register, {LONG}; {LONG}.", "Checks")
    site = share.Card("Checks", "", "#1b5e20", "Every claim, checked against its sources.", "Checks")
    pixels = {}
    for name, card in (("claim", claim), ("site", site)):
        with Image.open(io.BytesIO(share.draw(card))) as image:
            assert (image.format, image.mode, image.size) == ("PNG", "P", (share.WIDTH, share.HEIGHT))
            pixels[name] = hashlib.sha256(image.convert("RGB").tobytes()).hexdigest()[:16]
    assert (share_drawing._DRAWING_VERSION, pixels) == ("4", DRAWN)


DRAWN = {"claim": "714cdcddd9a1e387", "site": "7c6fdbdc85fea056"}


def test_share_images_are_drawn_once_and_written_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each image is written beside its final name and renamed into place (a rename is atomic only within
    one folder), in a cache folder made on demand; a second call draws nothing."""
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    language = dataset.languages[0]
    renames: list[tuple[Path, Path]] = []
    replace = os.replace

    def recording(source: Any, target: Any) -> None:
        renames.append((Path(source), Path(target)))
        replace(source, target)

    monkeypatch.setattr(os, "replace", recording)
    cache = tmp_path / "cache" / "share"
    images = share.share_images(dataset, language, cache)
    assert sorted(images) == sorted(
        [f"assets/share/{claim}.png" for claim in dataset.claims] + ["assets/share/site.png"]
    )
    cards = [share.claim_card(dataset, claim, language) for claim in dataset.claims.values()]
    cards.append(share.site_card(dataset, language))
    assert sorted(images.values()) == sorted(
        cache / f"{card.digest()}-{hashlib.sha256(share.draw(card)).hexdigest()}.png" for card in cards
    )
    assert sorted(path.name for path in cache.iterdir()) == sorted(path.name for path in images.values())
    assert all(path.read_bytes() == share.draw(card) for path, card in zip(images.values(), cards, strict=True))
    assert len(renames) == len(cards) and all(source.parent == target.parent for source, target in renames)

    def never(card: share.Card) -> bytes:
        raise AssertionError("drawn again")

    monkeypatch.setattr(share, "draw", never)
    assert share.share_images(dataset, language, cache) == images


# -- build -----------------------------------------------------------------------------------------


def _epoch(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def test_the_build_date_is_the_newest_of_publication_correction_and_review() -> None:
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    assert build.content_epoch(dataset) == _epoch("2025-01-12")
    claim = dataset.claims["bridge-length"]
    entry = claim.history[0]
    for history, reviewed, newest in [
        ([entry, entry.model_copy(update={"date": "2025-03-01"}), claim.history[-1]], "2025-01-12", "2025-01-12"),
        ([*claim.history, entry.model_copy(update={"date": "2025-03-02"})], "2025-01-12", "2025-03-02"),
        (claim.history, "2025-03-03", "2025-03-03"),
    ]:
        changed = claim.model_copy(update={"history": history, "reviewed_on": reviewed})
        assert build.content_epoch(replace(dataset, claims={claim.id: changed})) == _epoch(newest)
    seed = next(iter(dataset.seeds.values()))
    later = replace(seed, meta=seed.meta.model_copy(update={"published": "2025-04-01"}))
    assert build.content_epoch(replace(dataset, seeds={seed.meta.id: later})) == _epoch("2025-04-01")
    assert build.content_epoch(replace(dataset, seeds={}, claims={})) == 0


def test_the_build_date_is_given_only_when_none_is(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACTCHECK_TEST_EPOCH", raising=False)
    with build._environment("FACTCHECK_TEST_EPOCH", "1"):
        assert os.environ["FACTCHECK_TEST_EPOCH"] == "1"
    assert "FACTCHECK_TEST_EPOCH" not in os.environ
    monkeypatch.setenv("FACTCHECK_TEST_EPOCH", "given")
    with build._environment("FACTCHECK_TEST_EPOCH", "1"):
        assert os.environ["FACTCHECK_TEST_EPOCH"] == "given"
    assert os.environ["FACTCHECK_TEST_EPOCH"] == "given"


def test_mkdocs_warnings_are_collected_while_building_only() -> None:
    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with build.collected_warnings() as collector:
            logging.getLogger("mkdocs.plugins").warning("broken %s", "link")
            logger.error("theme")
            logger.info("just saying")
            logging.getLogger("elsewhere").warning("not MkDocs")
        logger.warning("after the build")
    finally:
        logger.setLevel(level)
    assert collector.messages == ["broken link", "theme"]


def test_a_language_build_that_sends_nothing_is_a_failure() -> None:
    receive, send = multiprocessing.Pipe(duplex=False)
    send.send((False, ("one", "two")))
    send.close()
    assert build._result(receive) == (False, ["one", "two"])
    # Nothing sent: the process ended without saying why, which is a defect, not the content's fault.
    assert build._result(receive) == (True, ["a language build ended without a result"])


def test_a_configuration_without_the_plugin_or_without_a_file_is_refused(tmp_path: Path) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")  # a broken build writes nothing into the fixture
    dataset = check_root(root).dataset
    assert dataset is not None
    missing = tmp_path / "elsewhere.yml"
    with pytest.raises(build.BuildFailed, match=f"^no MkDocs configuration at {re.escape(str(missing))}$"):
        build.build_site(dataset, tmp_path / "site", missing)
    (root / "mkdocs.yml").unlink()
    with pytest.raises(build.BuildFailed, match=f"^no MkDocs configuration at {re.escape(str(root))}/mkdocs.yml$"):
        build.build_site(dataset, tmp_path / "site")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Checks\n", encoding="utf-8")
    state, language = SiteState.of(dataset, RenderOptions()), dataset.languages[0]
    receive, send = multiprocessing.Pipe(duplex=False)
    build._build_language(state, language, config, tmp_path / "out", send)
    assert receive.recv() == (  # not a crash: MkDocs' error, then the warnings it logged
        False,
        [
            "Aborted with a configuration error!",
            f"Config value 'docs_dir': The path '{tmp_path / 'docs'}' isn't an existing directory.",
        ],
    )
    (tmp_path / "docs").mkdir()
    receive, send = multiprocessing.Pipe(duplex=False)
    build._build_language(state, language, config, tmp_path / "out", send)
    assert receive.recv() == (False, ["mkdocs.yml does not list the 'factcheck' plugin"])


# -- static ----------------------------------------------------------------------------------------


def test_each_verdict_gets_its_colour_and_its_icon() -> None:
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    first = dataset.scale.verdicts[0]
    scale = dataset.scale.model_copy(
        update={"verdicts": [*dataset.scale.verdicts, first.model_copy(update={"id": "x", "icon": "no-such-icon"})]}
    )
    lines = static.verdict_css(replace(dataset, scale=scale)).splitlines()
    for verdict in scale.verdicts:
        at = f'[data-verdict="{verdict.id}"]'
        assert (
            f".fc-badge{at}, .fc-mark{at}, .fc-card{at}, .fc-meter__step{at} {{ --fc-colour: {verdict.colour}; }}"
            in lines
        )
        icons = [line for line in lines if line.startswith(f".fc-badge{at} .fc-icon {{ -webkit-mask-image: url(")]
        if verdict.id == "x":
            assert icons == []  # an icon mkdocs-material does not have: the badge shows none
            continue
        [icon] = icons
        svg = base64.b64decode(icon.split("base64,")[1].split('"')[0]).decode("utf-8")
        assert svg == static.icon_svg(verdict.icon) and svg.startswith("<svg")


def test_the_build_date_does_not_depend_on_the_time_zone(time_zone: pytest.MonkeyPatch) -> None:
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    for zone in ("Etc/GMT-14", "Etc/GMT+12"):  # UTC+14 and UTC-12
        time_zone.setenv("TZ", zone)
        time.tzset()
        assert build.content_epoch(dataset) == _epoch("2025-01-12")


def test_a_site_of_several_languages_is_built_in_parallel_unless_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = check_root(copy_root(FIXTURES / "minimal", tmp_path / "root")).dataset
    assert dataset is not None
    parallel: list[Path] = []
    monkeypatch.setattr(build, "_build_in_parallel", lambda state, config, staging, languages: parallel.append(staging))
    monkeypatch.setattr(build, "build_language", lambda *args, **kwargs: None)
    build.build_site(dataset, tmp_path / "site")
    assert len(parallel) == 1
    build.build_site(dataset, tmp_path / "site", parallel=False)
    assert len(parallel) == 1


def test_mkdocs_failing_says_why_with_what_it_logged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.exceptions import Abort

    dataset = check_root(copy_root(FIXTURES / "minimal", tmp_path / "root")).dataset
    assert dataset is not None

    def failing(*logged: str) -> None:
        def fail(*args: object, **kwargs: object) -> None:
            for message in logged:
                logging.getLogger("mkdocs.commands.build").warning(message)
            raise Abort("Aborted with 2 warnings in strict mode!")

        monkeypatch.setattr(build, "build_language", fail)

    failing("first", "second")
    with pytest.raises(build.BuildFailed) as raised:
        build.build_site(dataset, tmp_path / "site", parallel=False)
    assert str(raised.value) == "MkDocs failed: Aborted with 2 warnings in strict mode!\nfirst\nsecond"
    failing()
    with pytest.raises(build.BuildFailed) as raised:
        build.build_site(dataset, tmp_path / "site", parallel=False)
    assert str(raised.value) == "MkDocs failed: Aborted with 2 warnings in strict mode!"


# -- open data -------------------------------------------------------------------------------------


def test_the_claim_s_author_comes_from_the_claimants_registry() -> None:
    from build_tools.content.model import Claimant, Seed

    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    minister = Claimant(
        id="minister",
        kind="person",
        name={"fr": "Le ministre", "en": "The minister"},
        same_as=["https://example.org/people/minister"],
    )
    article = Claimant(id="the-article", kind="article", name={"fr": "L'article", "en": "The article"})
    seed = dataset.seeds["demo"]
    published = seed.meta.model_copy(update={"url": "https://news.example.org/a/1", "publisher": "News"})
    dataset = replace(dataset, claimants={"minister": minister, "the-article": article})
    claim = dataset.claims["bridge-length"]

    def author(ref: str, meta: Seed = seed.meta) -> object:
        with_meta = replace(dataset, seeds={"demo": replace(seed, meta=meta)})
        review = opendata.claim_review(with_meta, claim.model_copy(update={"claimant_ref": ref}), "en", None, "D")
        return review["itemReviewed"].get("author")

    assert author("minister") == {
        "@type": "Person",
        "name": "The minister",
        "sameAs": ["https://example.org/people/minister"],
    }
    assert author("the-article", published) == {
        "@type": "Organization",
        "name": "News",
        "url": "https://news.example.org/",
    }
    assert author("the-article") is None  # the article's publisher is unknown
    assert author("nobody") is None


def test_claim_review_holds_the_record_and_its_article() -> None:
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    seed = dataset.seeds["demo"]
    addressed = replace(seed, meta=seed.meta.model_copy(update={"url": "https://example.org/article"}))
    dataset = replace(dataset, seeds={"demo": addressed})
    page = "https://example.org/en/claims/bridge-length/"
    review = opendata.claim_review(dataset, dataset.claims["bridge-length"], "en", page, "Demo")
    assert review == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "inLanguage": "en",
        "claimReviewed": "The bridge is 1,200 metres long.",
        "datePublished": "2025-01-11",  # the first history entry
        "dateModified": "2025-01-12",  # the last
        "author": {"@type": "Organization", "name": "Demo"},
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "Mostly accurate",
            "ratingValue": 4,
            "bestRating": 5,
            "worstRating": 1,
        },
        "itemReviewed": {
            "@type": "Claim",
            "datePublished": "2025-01-09",  # claimed_on
            "appearance": {
                "@type": "CreativeWork",
                "headline": "Article de démonstration",
                "datePublished": "2025-01-10",
                "inLanguage": "fr",
                "url": "https://example.org/article",
            },
        },
        "url": page,
    }
    # A claim without its own date is dated by its article; an article of unknown address has none.
    unrated = opendata.claim_review(
        replace(dataset, seeds={"demo": seed}), dataset.claims["good-news"], "fr", None, "D"
    )
    assert unrated["itemReviewed"]["datePublished"] == "2025-01-10"
    assert "url" not in unrated["itemReviewed"]["appearance"] and "url" not in unrated
