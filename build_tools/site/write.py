"""Write generated files without needless churn, and replace a built site in one step."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def sync_tree(target: Path, files: Mapping[str, str], owned_dirs: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Make ``owned_dirs`` under ``target`` hold exactly ``files``.

    A file is written only when its content changed, and files no longer produced are deleted:
    rewriting unchanged pages would make ``mkdocs serve`` rebuild in a loop.
    Returns (written, deleted) paths relative to ``target``.
    """
    written: list[str] = []
    for rel, content in sorted(files.items()):
        path = target / rel
        data = content.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, data)
        written.append(rel)
    deleted: list[str] = []
    for owned in owned_dirs:
        folder = target / owned
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(target).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                deleted.append(rel)
    return written, deleted


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def staged_directory(final: Path) -> Iterator[Path]:
    """A fresh folder beside ``final``; on success it replaces ``final``, on failure it is removed
    and ``final`` is left exactly as it was."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.new-"))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, previous)
    os.replace(staging, final)
    shutil.rmtree(previous, ignore_errors=True)
