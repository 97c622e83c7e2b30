"""Resolving a content root: references between records, the dataset handed to the site, the preview's cache.

`test_check.py` drives the same checks through the command; these call `check_root` itself, so that the content
core's own tests see what it returns (mutation testing tries a core mutant against the tests that build no site).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.content.load import load_yaml_file
from build_tools.content.resolve import LoadCache, check_root
from conftest import TODAY

B = "claims/bridge-length.yml"


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the edit must match exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _reported(root: Path) -> list[str]:
    return [problem.as_text() for problem in check_root(root, TODAY).problems]


CASES = [
    (
        "unknown claim among the key findings",
        "data/site.yml",
        "- bridge-length",
        "- bridge-lenght",
        ["data/site.yml:9:3: error: no claim with id 'bridge-lenght'; did you mean 'bridge-length'? [unknown-claim]"],
    ),
    (
        "unknown claim in a scenario",
        "data/options.yml",
        "claims: [good-news]",
        "claims: [good-newz]",
        ["data/options.yml:12:14: error: no claim with id 'good-newz'; did you mean 'good-news'? [unknown-claim]"],
    ),
    (
        "unknown verdict in the history",
        B,
        "    verdict: accurate\n",
        "    verdict: acurate\n",
        [f"{B}:31:14: error: no verdict with id 'acurate'; did you mean 'accurate'? [unknown-verdict]"],
    ),
    (
        "a translation into a language the site does not have",
        B,
        'quote_translation: {en: "the bridge is 1,200 metres long"}',
        'quote_translation: {en: "the bridge is 1,200 metres long", de: "die Brücke"}',
        [f"{B}:5:60: error: 'de' is not a language of the site [unknown-language]"],
    ),
    (
        "a translation into the article's own language",
        B,
        'quote_translation: {en: "the bridge is 1,200 metres long"}',
        'quote_translation: {en: "the bridge is 1,200 metres long", fr: "le pont"}',
        [f"{B}:5:60: error: 'fr' is the article's own language [unknown-language]"],
    ),
]


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_unresolved_reference_is_located(
    minimal_root: Path, rel: str, old: str, new: str, expected: list[str]
) -> None:
    _edit(minimal_root, rel, old, new)
    assert _reported(minimal_root) == expected


def test_an_accurate_verdict_without_any_origin_says_so(minimal_root: Path) -> None:
    _edit(minimal_root, B, "    stance: supports\n", "    stance: context\n")
    _edit(minimal_root, B, "verdict: mostly-accurate\nrationale", "verdict: accurate\nrationale")
    review = '  - date: "2025-01-12"\n    verdict: accurate\n    note: {fr: Revu., en: Reviewed.}\n'
    _edit(
        minimal_root, B, "      en: The exact length is 1,180 m.\n", "      en: The exact length is 1,180 m.\n" + review
    )
    assert _reported(minimal_root) == [
        f"{B}:19:3: warning: 'accurate' rests on fewer than two independent origins (none among the sources that "
        "support or contradict it); cite a second where one exists (pages that republish one agency's story count "
        "once) [single-origin]"
    ]


def test_a_broken_site_file_is_reported_alone(minimal_root: Path) -> None:
    # Without the site's languages, no record's translations can be checked: none is reported missing or extra.
    _edit(minimal_root, "data/site.yml", "- code: en\n", "- code: EN\n")
    assert _reported(minimal_root) == [
        "data/site.yml:5:9: error: 'languages[1].code' is 'EN'; expected a two-letter language code such as 'fr' "
        "or 'en' [bad-format]"
    ]


def test_a_broken_seed_does_not_hide_the_next_one(minimal_root: Path) -> None:
    (minimal_root / "seeds/aaa.yml").write_text("id: aaa\n", encoding="utf-8")
    (minimal_root / "seeds/aaa.txt").write_text("Texte.\n", encoding="utf-8")
    reported = _reported(minimal_root)
    assert reported and all(line.startswith("seeds/aaa.yml:") for line in reported)


def test_the_dataset_holds_every_record_of_the_root(minimal_root: Path) -> None:
    dataset = check_root(minimal_root, TODAY).dataset
    assert dataset is not None
    listed = {name: load_yaml_file(minimal_root, f"data/{name}.yml")[0] for name in ("timeline", "faq", "options")}
    assert dataset.timeline is not None and dataset.faq is not None and dataset.options is not None
    assert [e.id for e in dataset.timeline.events] == [e["id"] for e in listed["timeline"].data["events"]]  # type: ignore[union-attr]
    assert [q.id for q in dataset.faq.questions] == [q["id"] for q in listed["faq"].data["questions"]]  # type: ignore[union-attr]
    assert [s.id for s in dataset.options.scenarios] == ["option-good"]
    # Where the scenario's quote stands in its article.
    start, end = dataset.scenario_spans["option-good"]
    assert dataset.seeds["demo"].text.original[start:end] == "c’est « une bonne nouvelle » pour la région"


def test_the_preview_s_cache_reuses_unchanged_files_and_reads_changed_ones(minimal_root: Path) -> None:
    cache = LoadCache()
    first = check_root(minimal_root, TODAY, cache).dataset
    again = check_root(minimal_root, TODAY, cache).dataset
    assert first is not None and again is not None
    assert again.claims["bridge-length"] is first.claims["bridge-length"]  # not parsed again
    assert again.seeds["demo"].text is first.seeds["demo"].text  # not normalized again
    _edit(minimal_root, B, "en: The bridge is 1,200 metres long.", "en: The bridge is long.")
    edited = check_root(minimal_root, TODAY, cache).dataset
    assert edited is not None
    assert edited.claims["bridge-length"].summary["en"] == "The bridge is long."
    assert edited.claims["good-news"] is first.claims["good-news"]
