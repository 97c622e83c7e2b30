"""The hostile-input catalogue: one small content tree per case, beside the exact report it must get.

Each folder under tests/adversarial/ holds only the files that differ from tests/fixtures/minimal,
and expected.txt: what `check` prints on standard error, exactly (empty: the input is accepted).
A file named LARGE asks for a generated file ("PATH SIZE"), so that no large file is committed.
UPDATE_GOLDEN=1 rewrites the expected files; review the diff like code.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.cli import EXIT_INTERNAL
from conftest import FIXTURES, Run, copy_root

CASES = Path(__file__).parent / "adversarial"


def _tree(case: Path, target: Path) -> Path:
    root = copy_root(FIXTURES / "minimal", target)
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_dir() or rel.as_posix() == "expected.txt":
            continue
        if rel.as_posix() == "LARGE":
            name, size = path.read_text(encoding="utf-8").split()
            (root / name).write_bytes(b"a: " + b"x" * int(size) + b"\n")
            continue
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, root / rel)
    return root


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_hostile_input(case: str, tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = _tree(CASES / case, tmp_path / "root")
    run = cli("check", "--root", root)
    expected_file = CASES / case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(run.err, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert run.code != EXIT_INTERNAL, run.err  # check crashed instead of reporting a problem
    assert run.err == expected
    assert run.code == (1 if expected else 0)


def test_catalogue_is_complete() -> None:
    wanted = {
        "malformed-yaml",
        "tab-indentation",
        "duplicate-keys",
        "billion-laughs",
        "python-object-tag",
        "huge-file",
        "not-utf8",
        "byte-order-mark",
        "empty-file",
        "list-at-top",
        "wrong-types",
        "unknown-field",
        "id-with-path",
        "id-homoglyph",
        "id-not-file-name",
        "impossible-date",
        "future-date",
        "javascript-url",
        "data-url-in-markdown",
        "file-url",
        "raw-html-in-markdown",
        "quote-not-in-seed",
        "self-reference",
        "same-quote-twice",
        "dangling-reference",
        "related-cycle-is-allowed",
        "deep-nesting",
    }
    assert {p.name for p in CASES.iterdir() if p.is_dir()} == wanted
