"""Replace a built site in one step: the new one is built beside it and swapped in only when complete.

The folder replaced is only ever one that a build made: a marker file says so, and a folder that
holds or lies inside the content is refused before anything is touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from build_tools.content.confine import CONTENT_FOLDERS, PRIVATE_FOLDERS

#: Written into every built site; a non-empty folder without it is someone's work, never replaced.
MARKER = ".factcheck-site"
MARKER_TEXT = "Built by build_tools. The next build replaces this whole folder.\n"


class UnsafeOutput(Exception):
    """An output path that would replace or overwrite content: a usage error, and nothing was touched."""


def refuse_unsafe_output(target: Path, root: Path, *, folder: bool = True) -> None:
    """Raise ``UnsafeOutput`` if writing ``target`` (a site folder, or with ``folder=False`` a single
    file) could lose content of ``root``."""
    if target.is_symlink():
        raise UnsafeOutput(f"{target} is a symbolic link; give the folder it points to, if that is meant")
    resolved, home = target.resolve(), root.resolve()
    if resolved == home:
        raise UnsafeOutput(f"{target} is the content root")
    if home.is_relative_to(resolved):
        raise UnsafeOutput(f"{target} contains the content root")
    for name in CONTENT_FOLDERS + PRIVATE_FOLDERS:
        content = (home / name).resolve()
        if resolved == content or resolved.is_relative_to(content):
            raise UnsafeOutput(f"{target} lies inside the content folder {name}/")
    if not folder:
        if resolved.exists() and not resolved.is_file():
            raise UnsafeOutput(f"{target} exists and is not a file")
        if resolved.exists() and resolved.suffix != ".json":  # an export is JSON; anything else is someone's file
            raise UnsafeOutput(f"{target} exists and is not a .json file")
        return
    if not resolved.exists():
        return
    if not resolved.is_dir():
        raise UnsafeOutput(f"{target} exists and is not a folder")
    if not (resolved / MARKER).is_file() and any(resolved.iterdir()):
        raise UnsafeOutput(
            f"{target} is not empty and no build made it (no {MARKER} in it); "
            "choose a new or empty folder, or remove this one yourself"
        )


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
