"""A live preview keeps a listing page as it was only when nothing it shows changed: each page rendered
against the last version is the page a fresh render gives, and pages an edit does not reach are kept."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from build_tools.content.dataset import Dataset
from build_tools.content.model import Claim
from build_tools.content.resolve import check_root
from build_tools.site.listing_reuse import ClaimChanges, Fragments, ListingInputs, ReadClaims
from build_tools.site.pages import LanguagePages, Rendered, render_site
from build_tools.site.preview import Preview
from conftest import FIXTURES

LISTINGS = ("index.md", "claims/index.md", "article/index.md", "faq/index.md", "options/index.md")


@pytest.fixture
def dataset() -> Dataset:
    found = check_root(FIXTURES / "minimal").dataset
    assert found is not None
    return found


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _edited(dataset: Dataset, claim_id: str, summary: str) -> Dataset:
    claim = dataset.claims[claim_id]
    edited = claim.model_copy(update={"summary": {**claim.summary, "en": summary}})
    return replace(dataset, claims={**dataset.claims, claim_id: edited})


def _kept(before: dict[str, LanguagePages], after: dict[str, LanguagePages], code: str = "en") -> set[str]:
    return {uri for uri, page in after[code].pages.items() if before[code].pages.get(uri) is page}


def test_every_listing_page_is_kept_when_nothing_changed(dataset: Dataset) -> None:
    first = render_site(dataset)
    again = render_site(dataset, previous=Rendered(dataset, first))
    for code in dataset.language_codes:
        assert set(first[code].listing_inputs) <= _kept(first, again, code)
        assert set(LISTINGS) <= set(first[code].listing_inputs)
        for uri, read in again[code].listing_inputs.items():  # what it read now: no older version kept alive
            assert read.context == first[code].listing_inputs[uri].context
            assert read.context[1] is not first[code].listing_inputs[uri].context[1]


@pytest.mark.parametrize("claim_id", ["good-news", "bridge-length"])
def test_after_an_edit_every_page_is_what_a_fresh_render_gives(dataset: Dataset, claim_id: str) -> None:
    first = render_site(dataset)
    edited = _edited(dataset, claim_id, f"Edited {claim_id}.")
    after = render_site(edited, previous=Rendered(dataset, first))
    fresh = render_site(edited)
    for code in dataset.language_codes:
        assert after[code].pages == fresh[code].pages
    assert f"Edited {claim_id}." in after["en"].pages["claims/index.md"].after


def test_a_page_that_looks_a_claim_up_follows_it_and_the_others_are_kept(dataset: Dataset) -> None:
    # The options page lists good-news by its id (its template looks the claim up); the questions
    # and the timeline name bridge-length only.
    first = render_site(dataset)
    after = render_site(_edited(dataset, "good-news", "Edited good news."), previous=Rendered(dataset, first))
    assert "Edited good news." in after["en"].pages["options/index.md"].after
    kept = _kept(first, after)
    assert "options/index.md" not in kept and "claims/index.md" not in kept
    assert {"faq/index.md", "timeline/index.md", "sources/index.md", "methodology/index.md"} <= kept


def test_counting_the_claims_reads_them_all(dataset: Dataset) -> None:
    read = ReadClaims(dataset.claims)
    assert len(read) == 2 and read.everything
    looked_up = ReadClaims(dataset.claims)
    assert looked_up["good-news"] is dataset.claims["good-news"] and not looked_up.everything
    assert "nowhere" not in looked_up and looked_up.ids == {"good-news", "nowhere"}


def test_a_page_that_read_every_claim_follows_a_new_order(dataset: Dataset) -> None:
    reordered = dict(reversed(list(dataset.claims.items())))
    changes = ClaimChanges.between(dataset.claims, reordered)
    assert not changes.changed and not changes.same_order
    everything = ReadClaims(dataset.claims)
    list(everything)
    assert not changes.leave(ListingInputs.of((), everything), ())
    assert changes.leave(ListingInputs.of((), ReadClaims(dataset.claims)), ())


def test_the_claims_index_writes_again_only_the_card_of_the_edited_claim(dataset: Dataset) -> None:
    first = render_site(dataset)
    after = render_site(_edited(dataset, "good-news", "Edited good news."), previous=Rendered(dataset, first))
    before_cards = first["en"].listing_inputs["claims/index.md"].pieces
    cards = after["en"].listing_inputs["claims/index.md"].pieces
    assert set(cards) == set(before_cards) and len(cards) == len(dataset.claims)
    kept = {key[1] for key, card in cards.items() if isinstance(key, tuple) and before_cards[key] is card}
    assert kept == {"bridge-length"}
    assert after["en"].listing_inputs["claims/index.md"].every_claim  # the page still reads them all


def _memo_page(claims: dict[str, Claim], earlier: ListingInputs | None, changes: ClaimChanges | None) -> ListingInputs:
    """A page whose one memoized piece shows a claim it looks up by id, as a content root's template may."""
    template = Environment(autoescape=True).from_string(
        "{% macro piece(n) %}{{ n }}: {{ claims['good-news'].summary.en }}{% endmacro %}{{ memo(piece, 1) }}"
    )
    read = ReadClaims(claims)
    memo = Fragments(read, earlier.pieces if earlier else {}, changes)
    html = template.render(claims=read, memo=memo)
    return ListingInputs.of((html,), read, memo)


def test_a_kept_piece_follows_the_claims_it_looked_up(dataset: Dataset) -> None:
    first = _memo_page(dataset.claims, None, None)
    assert first.claim_ids == {"good-news"} and first.pieces[("piece", 1)].claim_ids == {"good-news"}
    same = _memo_page(dataset.claims, first, ClaimChanges.between(dataset.claims, dataset.claims))
    assert same.pieces[("piece", 1)] is first.pieces[("piece", 1)] and same.claim_ids == {"good-news"}
    edited = _edited(dataset, "good-news", "Edited good news.").claims
    after = _memo_page(edited, same, ClaimChanges.between(dataset.claims, edited))
    assert after.context == ("1: Edited good news.",)


def _listings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The folders of every listing of a theme's files that reaches the file system."""
    listed: list[tuple[str, ...]] = []
    original = FileSystemLoader.list_templates

    def counting(loader: FileSystemLoader) -> list[str]:
        listed.append(tuple(str(folder) for folder in loader.searchpath))
        return original(loader)

    monkeypatch.setattr(FileSystemLoader, "list_templates", counting)
    return listed


def test_the_installed_theme_is_listed_once(
    minimal_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = _listings(monkeypatch)
    preview = Preview(minimal_root, tmp_path / "site")
    assert not preview.build().problems
    assert listed
    listed.clear()
    _replace(minimal_root / "claims/bridge-length.yml", "en: The bridge is 1,200 metres long.", "en: Edited.")
    assert not preview.build().problems
    assert listed == []
    assert "Edited." in (tmp_path / "site/en/claims/bridge-length/index.html").read_text(encoding="utf-8")


def test_a_theme_folder_of_the_root_is_listed_every_time(
    minimal_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    overrides = minimal_root / "overrides"
    overrides.mkdir()
    (overrides / "main.html").write_text('{% extends "base.html" %}\n', encoding="utf-8")
    config = minimal_root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"),
        encoding="utf-8",
    )
    listed = _listings(monkeypatch)
    preview = Preview(minimal_root, tmp_path / "site")
    assert not preview.build().problems
    listed.clear()
    (overrides / "extra.css").write_text("p { margin: 0; }\n", encoding="utf-8")
    _replace(minimal_root / "claims/bridge-length.yml", "en: The bridge is 1,200 metres long.", "en: Edited.")
    assert not preview.build().problems
    assert listed and all(str(overrides) in folders for folders in listed)
    assert (tmp_path / "site/extra.css").is_file()  # what was added to it is in the site


def test_an_edited_introduction_shows_on_its_page_at_the_next_build(minimal_root: Path, tmp_path: Path) -> None:
    preview = Preview(minimal_root, tmp_path / "site")
    assert not preview.build().problems
    intro = minimal_root / "data/pages/home.en.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nA sentence added while previewing.\n", encoding="utf-8")
    assert not preview.build().problems
    home = (tmp_path / "site/en/index.html").read_text(encoding="utf-8")
    assert "A sentence added while previewing." in home
