"""The open-data export keeps its documented field names."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from build_tools.content.resolve import check_root
from build_tools.site.export import export_data, export_json
from conftest import FIXTURES, Run


def test_export_names_are_stable(minimal_root: Path, cli: Callable[..., Run], tmp_path: Path) -> None:
    out = tmp_path / "claims.json"
    assert cli("export", "--root", minimal_root, "-o", out).code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    claim = next(c for c in data["claims"] if c["id"] == "bridge-length")
    assert {"id", "seed", "quote", "summary", "verdict", "rationale", "sources"} <= set(claim)
    assert claim["summary"] == {"fr": "Le pont mesure 1 200 mètres.", "en": "The bridge is 1,200 metres long."}
    assert {"url", "title", "publisher", "date", "quote"} <= set(claim["sources"][0])
    verdicts = {v["id"]: v for v in data["verdicts"]}
    assert verdicts["accurate"]["label"] == {"fr": "Exact", "en": "Accurate"}
    assert verdicts["accurate"]["rating_value"] == 5 and verdicts["accurate"]["checkable"] is True
    assert verdicts["not-checkable"]["rating_value"] is None and verdicts["not-checkable"]["checkable"] is False


def test_export_refuses_invalid_content(minimal_root: Path, cli: Callable[..., Run]) -> None:
    (minimal_root / "claims/good-news.yml").write_text("id: [\n", encoding="utf-8")
    run = cli("export", "--root", minimal_root)
    assert run.code == 1 and run.out == ""
    assert run.err.splitlines() == [
        "claims/good-news.yml:2:1: error: invalid YAML: did not find expected node content (while parsing a flow "
        "node) [yaml-syntax]",
        "1 error(s); nothing was written",
    ]


def test_the_two_forms_of_the_dump() -> None:
    """Indented for people, one line for programs; both UTF-8 as written (no \\u escapes), one final newline,
    and the same data: the documented top-level names, seeds in id order."""
    dataset = check_root(FIXTURES / "minimal").dataset
    assert dataset is not None
    pretty, compact = export_json(dataset), export_json(dataset, pretty=False)
    assert json.loads(pretty) == json.loads(compact) == export_data(dataset)
    assert pretty.startswith('{\n  "format_version": 3,\n  "seeds": [\n    {\n      "id": ')
    assert compact.startswith('{"format_version":3,"seeds":[{"id":') and compact.count("\n") == 1
    assert pretty.endswith("}\n") and not pretty.endswith("\n\n") and compact.endswith("}\n")
    assert "mètres" in pretty and "mètres" in compact
    data = export_data(dataset)
    assert list(data) == [
        "format_version",
        "seeds",
        "verdicts",
        "best_rating",
        "worst_rating",
        "topics",
        "publishers",
        "claims",
    ]
    assert (data["best_rating"], data["worst_rating"]) == (dataset.scale.best_rating, dataset.scale.worst_rating)
    assert [seed["id"] for seed in data["seeds"]] == sorted(dataset.seeds)
    assert [topic["id"] for topic in data["topics"]] == list(dataset.topics)
    assert [claim["id"] for claim in data["claims"]] == list(dataset.claims)
