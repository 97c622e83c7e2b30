"""Publishers as data (data/publishers.yml): sources name outlets by id, origins are counted by whose
reporting a page carries, and readers see which outlets are state-affiliated and who says so.

The outlets here are made up; example.org is the domain reserved for examples."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.content.dataset import Dataset
from build_tools.content.resolve import check_root
from build_tools.site.export import export_json
from build_tools.site.pages import render_site
from conftest import FIXTURES, Run, copy_root

REGISTRY = """\
publishers:
  - id: alpha
    name: Agence Alpha
    country: FR
    kind: wire-agency
  - id: state-wire
    name: State Wire
    country: RU
    kind: wire-agency
    state_affiliated:
      url: https://example.org/press-freedom/state-wire
      publisher: Press Freedom Watch
      quote: State Wire is owned by the government.
      language: en
  - id: gazette
    name: La Gazette
    country: BE
    kind: newspaper
  - id: registre
    name: Registre des ouvrages
    country: FR
    kind: government
  - id: ministere
    name: Ministère
    country: null
    kind: government
"""

SOURCES = """\
sources:
  - title: Fiche du pont
    publisher: registre
    date: "2024-12-01"
    url: https://example.org/bridge
    quote: "Longueur : 1 180 m"
    language: fr
    stance: supports
  - title: Le pont, selon Alpha
    publisher: gazette
    agency: alpha
    date: "2024-12-02"
    url: https://example.org/gazette/bridge
    quote: "1 180 mètres"
    language: fr
    stance: supports
  - title: Alpha on the bridge
    publisher: alpha
    date: "2024-12-02"
    url: https://example.org/alpha/bridge
    quote: "1,180 metres"
    language: en
    stance: supports
  - title: Three wires
    publisher: gazette
    agency: [state-wire, alpha]
    date: "2024-12-03"
    url: https://example.org/gazette/wires
    quote: "1 180 m"
    language: fr
    stance: contradicts
  - title: Background
    publisher: ministere
    date: "2024-12-03"
    url: https://example.org/background
    quote: "Le pont"
    language: fr
    stance: context
"""


def _root(tmp_path: Path, registry: str = REGISTRY, sources: str = SOURCES) -> Path:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / "data/publishers.yml").write_text(registry, encoding="utf-8")
    claim = root / "claims/bridge-length.yml"
    text = claim.read_text(encoding="utf-8")
    start, end = text.index("sources:\n"), text.index("reviewed_on:")
    claim.write_text(text[:start] + sources + text[end:], encoding="utf-8")
    for path in (root / "data/timeline.yml",):
        path.write_text(
            path.read_text(encoding="utf-8")
            .replace("publisher: Registre des ouvrages", "publisher: registre")
            .replace("publisher: Ministère", "publisher: ministere"),
            encoding="utf-8",
        )
    return root


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    found = check_root(_root(tmp_path))
    assert found.dataset is not None, found.problems
    return found.dataset


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _page(dataset: Dataset, page: str, lang: str) -> str:
    generated = render_site(dataset)[lang].pages[page]
    return generated.before + generated.after


def test_origins_are_counted_by_whose_reporting_a_page_carries(dataset: Dataset) -> None:
    # Five sources: the register; the Gazette republishing Alpha; Alpha itself; the Gazette rewriting
    # State Wire and Alpha; a context source, which is no origin. Three origins, whoever printed them.
    origins = dataset.publishers.origins(dataset.claims["bridge-length"])
    assert [(o.name, o.state_affiliated) for o in origins] == [
        ("Agence Alpha", False),
        ("Registre des ouvrages", False),
        ("State Wire", True),
    ]
    line = re.search(r'<p class="fc-origins">(.*?)</p>', _page(dataset, "claims/bridge-length.md", "en"))
    assert line is not None
    assert _text(line.group(1)) == (
        "3 independent origins: Agence Alpha, Registre des ouvrages, State Wire; "
        "state-affiliated among them: State Wire"
    )


def test_a_source_names_its_publisher_and_the_agencies_it_republishes(dataset: Dataset) -> None:
    html = _page(dataset, "claims/bridge-length.md", "fr")
    metas = [_text(meta) for meta in re.findall(r'<p class="fc-source__meta">(.*?)</p>', html)]
    assert [meta.split(" · ")[0] for meta in metas] == [
        "Registre des ouvrages",
        "La Gazette, reprenant Agence Alpha",
        "Agence Alpha",
        "La Gazette, reprenant State Wire (affilié à un État), Agence Alpha",
        "Ministère",
    ]
    assert "gazette" not in _text(html).split()  # ids never reach readers


def test_the_sources_page_says_who_each_outlet_is_and_who_calls_it_state_affiliated(dataset: Dataset) -> None:
    html = _page(dataset, "sources/index.md", "fr")
    groups = re.split(r'<h2 class="fc-publisher">', html)[1:]
    heads = {_text(group.split("</h2>")[0]): group for group in groups}
    assert list(heads) == ["Agence Alpha", "La Gazette", "Ministère", "Registre des ouvrages", "State Wire"]
    assert _text(re.findall(r'<p class="fc-outlet">(.*?)</p>', heads["La Gazette"])[0]) == "journal · Belgique"
    assert _text(re.findall(r'<p class="fc-outlet">(.*?)</p>', heads["Ministère"])[0]) == "institution publique"
    state = heads["State Wire"]
    assert _text(re.findall(r'<p class="fc-outlet">(.*?)</p>', state)[0]) == (
        "agence de presse · Russie · affilié à un État (source de cette mention : Press Freedom Watch)"
    )
    assert 'href="https://example.org/press-freedom/state-wire"' in state
    assert '<blockquote class="fc-attribution" lang="en"><p>State Wire is owned by the government.</p>' in state
    # An agency with no page of its own among the sources is still listed, with who carries its reporting.
    assert _text(re.findall(r'<p class="fc-republished">(.*?)</p>', state)[0]) == (
        "Ses informations, reprises par La Gazette"
    )
    assert '<ul class="fc-sources">' not in state
    # Alpha publishes a page and is republished: both are shown.
    assert (
        "reprises par La Gazette" in _text(heads["Agence Alpha"])
        and "example.org/alpha/bridge" in heads["Agence Alpha"]
    )


def test_the_open_data_carry_the_registry(dataset: Dataset) -> None:
    data = json.loads(export_json(dataset))
    assert [p["id"] for p in data["publishers"]] == ["alpha", "state-wire", "gazette", "registre", "ministere"]
    assert data["publishers"][1]["state_affiliated"]["publisher"] == "Press Freedom Watch"
    wires = next(s for s in data["claims"][0]["sources"] if s["url"].endswith("/wires"))
    assert wires["agency"] == ["state-wire", "alpha"]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "publisher: gazette\n    agency: alpha",
            "publisher: gazete\n    agency: alpha",
            "claims/bridge-length.yml:27:16: error: no publisher with id 'gazete'; did you mean 'gazette'? "
            "[unknown-publisher]",
        ),
        (
            "publisher: gazette\n    agency: alpha",
            "publisher: gazette\n    agency: ' AGENCE  alpha'",
            "claims/bridge-length.yml:28:13: error: ' AGENCE  alpha' is the name of the publisher 'alpha' in "
            "data/publishers.yml; write its id, 'alpha' [unknown-publisher]",
        ),
        (
            "agency: [state-wire, alpha]",
            "agency: [state-wire, Reuters]",
            "claims/bridge-length.yml:43:26: error: no publisher with id 'Reuters'; add it to data/publishers.yml "
            "[unknown-publisher]",
        ),
    ],
)
def test_with_a_registry_sources_name_outlets_by_id(
    tmp_path: Path, cli: Callable[..., Run], old: str, new: str, expected: str
) -> None:
    root = _root(tmp_path, sources=SOURCES.replace(old, new, 1))
    run = cli("check", "--root", root)
    assert (run.code, run.err) == (1, expected + "\n1 error(s); nothing was written\n")


def test_a_timeline_source_is_held_to_the_registry_too(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = _root(tmp_path)
    timeline = root / "data/timeline.yml"
    timeline.write_text(timeline.read_text(encoding="utf-8").replace("publisher: ministere", "publisher: Ministry"))
    run = cli("check", "--root", root)
    assert run.code == 1 and "data/timeline.yml:30:20: error: no publisher with id 'Ministry'" in run.err


def test_one_outlet_has_one_record(tmp_path: Path, cli: Callable[..., Run]) -> None:
    registry = REGISTRY + (
        "  - id: alpha\n    name: Alpha bis\n    country: FR\n    kind: newspaper\n"
        "  - id: gazette-2\n    name: ' LA  GAZETTE'\n    country: BE\n    kind: newspaper\n"
    )
    run = cli("check", "--root", _root(tmp_path, registry=registry))
    assert run.err.splitlines()[:2] == [
        "data/publishers.yml:27:9: error: id 'alpha' is used twice [duplicate-id]",
        "data/publishers.yml:32:11: error: ' LA  GAZETTE' is already the name of 'gazette'; one outlet has one "
        "record [duplicate-publisher]",
    ]


def test_a_state_label_needs_the_page_that_gives_it(tmp_path: Path, cli: Callable[..., Run]) -> None:
    registry = REGISTRY.replace("      quote: State Wire is owned by the government.\n", "")
    run = cli("check", "--root", _root(tmp_path, registry=registry))
    assert "data/publishers.yml:11:7: error: missing required field 'publishers[1].state_affiliated.quote'" in run.err


def test_a_single_origin_is_named_by_its_outlet(tmp_path: Path, cli: Callable[..., Run]) -> None:
    # An "accurate" verdict resting on one agency's story, printed twice, draws the method's warning.
    sources = SOURCES.split("  - title: Alpha on the bridge")[0].replace("publisher: registre", "publisher: gazette")
    sources = sources.replace("publisher: gazette\n    date", "publisher: gazette\n    agency: alpha\n    date", 1)
    root = _root(tmp_path, sources=sources)
    claim = root / "claims/bridge-length.yml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("verdict: mostly-accurate", "verdict: accurate"))
    run = cli("check", "--root", root)
    assert "rests on fewer than two independent origins (Agence Alpha)" in run.err, run.err


def test_the_sources_page_lists_what_since_notes_cite(dataset: Dataset) -> None:
    from dataclasses import replace

    from build_tools.content.model import SinceNote, Source

    later = Source(
        title="Later",
        publisher="gazette",
        date="2025-01-10",
        url="https://example.org/gazette/later",
        quote="Plus tard",
        language="fr",
        stance="context",
    )
    claim = dataset.claims["bridge-length"]
    note = SinceNote(date="2025-01-10", text={"fr": "Ensuite.", "en": "Then."}, sources=[later])
    changed = replace(dataset, claims={**dataset.claims, claim.id: claim.model_copy(update={"since": [note]})})
    html = _page(changed, "sources/index.md", "en")
    assert "https://example.org/gazette/later" in html
