"""Replace a built site in one step: the new one is built beside it and swapped in only when complete.

The folder replaced is only ever one that a build made: a marker file says so, and a folder that
holds or lies inside the content is refused before anything is touched. The single files the
commands write (the export, the change summary, the benchmark report) are refused by the same rule,
and also when they are links or have other hard links, which could be another name of content.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from build_tools.content.confine import CONTENT_FOLDERS, PRIVATE_FOLDERS

#: Written into every built site; a non-empty folder without it is someone's work, never replaced.
MARKER = ".factcheck-site"
MARKER_TEXT = "Built by build_tools. The next build replaces this whole folder.\n"


class UnsafeOutput(Exception):
    """An output path that would replace or overwrite content: a usage error, and nothing was touched."""


def refuse_unsafe_output(target: Path, root: Path, *, folder: bool = True) -> Path:
    """``target`` resolved, or ``UnsafeOutput`` if writing it (a site folder, or with ``folder=False``
    the export, a single JSON file) could lose content of ``root``."""
    if not folder:
        return refuse_unsafe_file(target, root, accept=_json_file)
    resolved = _refuse_over_content(target, root, "folder")
    if not resolved.exists():
        return resolved
    if not resolved.is_dir():
        raise UnsafeOutput(f"{target} exists and is not a folder")
    if not (resolved / MARKER).is_file() and any(resolved.iterdir()):
        raise UnsafeOutput(
            f"{target} is not empty and no build made it (no {MARKER} in it); "
            "choose a new or empty folder, or remove this one yourself"
        )
    return resolved


def refuse_unsafe_file(target: Path, root: Path, *, accept: Callable[[Path], str | None] | None = None) -> Path:
    """Raise ``UnsafeOutput`` if writing the single file ``target`` could lose content of ``root`` or
    of any other content root: a path inside content, a symbolic link, a file with other hard links
    (another name of it may be content), something that is not a file, a folder that does not exist,
    or an existing file ``accept`` refuses (it says why). Returns the resolved path."""
    resolved = _refuse_over_content(target, root)
    if not resolved.parent.is_dir():
        there = os.path.lexists(resolved.parent)
        raise UnsafeOutput(f"the folder {target.parent} {'is not a folder' if there else 'does not exist'}")
    try:
        found = os.lstat(resolved)
    except FileNotFoundError:
        return resolved
    if not stat.S_ISREG(found.st_mode):
        raise UnsafeOutput(f"{target} exists and is not a file")
    if found.st_nlink > 1:
        raise UnsafeOutput(
            f"{target} has other hard links (another name of the same file, perhaps content); "
            "remove it first if it is yours"
        )
    if accept is not None and (refused := accept(resolved)) is not None:
        raise UnsafeOutput(f"{target} {refused}")
    return resolved


def append_file(path: Path, text: str) -> None:
    """Append ``text`` (UTF-8) to ``path``, made if missing, never through a symbolic link; if the file
    opened is not a regular file of one name, ``UnsafeOutput`` and nothing is written."""
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        handle = os.open(path, flags, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeOutput(f"{path} is a symbolic link") from None
        raise
    with os.fdopen(handle, "a", encoding="utf-8") as stream:
        found = os.fstat(stream.fileno())
        if not stat.S_ISREG(found.st_mode) or found.st_nlink > 1:
            raise UnsafeOutput(f"{path} is not a file of its own (it has other hard links, or is not a file)")
        stream.write(text)


def _json_file(path: Path) -> str | None:
    return None if path.suffix == ".json" else "exists and is not a .json file"  # anything else is someone's file


def _refuse_over_content(target: Path, root: Path, kind: str = "file") -> Path:
    """``target`` resolved, unless it is a symbolic link, the content root, holds it, or lies in a
    content or private folder of ``root`` or of another content root (a folder with a mkdocs.yml)."""
    if target.is_symlink():
        raise UnsafeOutput(f"{target} is a symbolic link; give the {kind} it points to, if that is meant")
    resolved, home = target.resolve(), root.resolve()
    if resolved == home:
        raise UnsafeOutput(f"{target} is the content root")
    if home.is_relative_to(resolved):
        raise UnsafeOutput(f"{target} contains the content root")
    for name in CONTENT_FOLDERS + PRIVATE_FOLDERS:
        content = (home / name).resolve()
        if resolved == content or resolved.is_relative_to(content):
            raise UnsafeOutput(f"{target} lies inside the content folder {name}/")
    for folder in (resolved, *resolved.parents):
        if folder.name in PRIVATE_FOLDERS:
            raise UnsafeOutput(f"{target} lies inside a {folder.name}/ folder")
        if folder.name in CONTENT_FOLDERS and _is_file(folder.parent / "mkdocs.yml"):
            raise UnsafeOutput(f"{target} lies inside the content folder {folder.name}/ of {folder.parent}")
    return resolved


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False


@contextmanager
def staged_directory(final: Path) -> Iterator[Path]:
    """A fresh folder beside ``final``; on success it replaces ``final``, on failure it is removed
    and ``final`` is left exactly as it was. The caller has refused unsafe targets first."""
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{final.name}.new-"))
    try:
        yield staging
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = final.parent / f".{final.name}.old-{os.getpid()}"
    if final.exists():
        os.replace(final, previous)
    os.replace(staging, final)
    shutil.rmtree(previous, ignore_errors=True)
