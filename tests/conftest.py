"""Shared helpers: a fresh copy of a fixture content root, and the CLI run in-process."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_tools.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def minimal_root(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/minimal (two claims, one seed)."""
    return copy_root(FIXTURES / "minimal", tmp_path / "root")


def copy_root(source: Path, target: Path) -> Path:
    """Copy a content root without its built site (as a fresh clone has it)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {"site"} & set(names) if Path(folder) == source else set()

    shutil.copytree(source, target, ignore=ignore)
    return target


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: str | Path) -> Run:
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run
