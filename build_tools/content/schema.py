"""Export the JSON Schema of every record kind, for editors and for other tools."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from build_tools.content.kinds import RECORD_SCHEMAS

SCHEMA_DIR = "schema"
SCHEMAS: dict[str, type[BaseModel]] = RECORD_SCHEMAS


def schema_files() -> dict[str, str]:
    """File name → content of every schema file, exactly as committed."""
    files = {}
    for name, model in SCHEMAS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
        files[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return files


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in schema_files().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            written.append(path)
    return written


def stale_schemas(directory: Path) -> list[str]:
    return [
        name
        for name, content in schema_files().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != content
    ]
