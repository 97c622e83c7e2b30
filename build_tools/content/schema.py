"""Export the JSON Schema of every record kind, for editors and for other tools.

``schema/`` is written by the engine, so nothing there may lead elsewhere: a schema folder that is a
symbolic link, or a schema file that is a link out of the root (into ``.git/``, or to nothing), is a
located error and nothing is written. A link that stays inside the root is replaced by the file, never
written through.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from build_tools.content.confine import OutsideRoot, inside, replace_file
from build_tools.content.kinds import RECORD_SCHEMAS
from build_tools.problems import Problem

SCHEMA_DIR = "schema"
SCHEMAS: dict[str, type[BaseModel]] = RECORD_SCHEMAS


def schema_files() -> dict[str, str]:
    """File name → content of every schema file, exactly as committed."""
    files = {}
    for name, model in SCHEMAS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
        files[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return files


def schema_problems(root: Path) -> list[Problem]:
    """Why the schema files of ``root`` may be neither written nor read: the folder is a symbolic link
    or not a folder, or a file is a link out of the root (or to nothing) or not a regular file."""
    home = root.resolve()
    folder = home / SCHEMA_DIR
    if folder.is_symlink():
        return [
            Problem(
                SCHEMA_DIR,
                0,
                0,
                "link-in-the-way",
                "a symbolic link; the schema files are written into a folder of the content root: remove the link",
            )
        ]
    if not folder.exists():
        return []
    if not folder.is_dir():
        return [Problem(SCHEMA_DIR, 0, 0, "not-a-folder", "not a folder; remove it, the schema command makes it")]
    problems = []
    for name in schema_files():
        rel, path = f"{SCHEMA_DIR}/{name}", folder / name
        if path.is_symlink():
            try:
                inside(home, rel)
            except OutsideRoot as refused:
                message = refused.problem.message.removesuffix("; copy the file in")
                problems.append(
                    Problem(
                        rel, 0, 0, refused.problem.code, f"{message}; remove it, the schema command writes this file"
                    )
                )
        elif path.exists() and not path.is_file():
            problems.append(
                Problem(rel, 0, 0, "not-a-file", "not a regular file; remove it, the schema command writes this file")
            )
    return problems


def write_schemas(root: Path) -> tuple[list[str], list[Problem]]:
    """Write the schema files of ``root`` that are missing or out of date, each through a new file
    renamed over the old one; the paths written, or (and nothing written) why not."""
    problems = schema_problems(root)
    if problems:
        return [], problems
    folder = root.resolve() / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, content in schema_files().items():
        path = folder / name
        if path.is_symlink() or not path.is_file() or path.read_bytes() != content.encode("utf-8"):
            replace_file(path, content)
            written.append(f"{SCHEMA_DIR}/{name}")
    return written, []


def stale_schemas(directory: Path) -> list[str]:
    return [
        name
        for name, content in schema_files().items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != content
    ]
