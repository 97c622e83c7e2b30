"""The schema cannot drift: committed JSON Schema files, field documentation and editor modelines."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from build_tools.content.schema import SCHEMA_DIR, SCHEMAS, stale_schemas
from conftest import REPO


def test_committed_schema_files_are_current() -> None:
    assert stale_schemas(REPO / SCHEMA_DIR) == [], "run: python -m build_tools schema"


def _records(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[type[BaseModel]]:
    seen.add(model)
    for field in model.model_fields.values():
        for candidate in _nested(field.annotation):
            if candidate not in seen:
                _records(candidate, seen)
    return seen


def _nested(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [found for arg in getattr(annotation, "__args__", ()) for found in _nested(arg)]


def test_every_field_is_documented() -> None:
    records: set[type[BaseModel]] = set()
    for model in SCHEMAS.values():
        _records(model, records)
    undocumented = [
        f"{model.__name__}.{name}"
        for model in records
        for name, field in model.model_fields.items()
        if not field.description
    ]
    assert undocumented == []


def test_every_content_file_names_its_schema() -> None:
    files = sorted((REPO / "claims").glob("*.yml")) + sorted((REPO / "seeds").glob("*.yml"))
    files += sorted((REPO / "data").glob("*.yml"))
    missing = []
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = f"# yaml-language-server: $schema=../schema/{_schema_name(path)}.schema.json"
        if first != expected:
            missing.append(str(path.relative_to(REPO)))
    assert missing == []


def _schema_name(path: Path) -> str:
    return {"claims": "claim", "seeds": "seed"}.get(path.parent.name, path.stem)
