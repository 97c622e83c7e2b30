"""Content stays inside its root: the one rule every reader of a content root goes through.

A pull request can add a symbolic link as easily as a file. A link that leads out of the root (to
a file of the build machine) or into its ``.git`` folder would publish what it points at, so each
read resolves the path first, and ``check`` walks every content folder for such links before
anything is built. Pipes, sockets and devices are refused too: reading one can block forever.

The engine's own writes follow two rules that never go through a link: a file the engine owns
(a schema, an export) is written as a new file beside it and renamed over it, which replaces a link
rather than following it; a file that must not exist yet (a new claim, a new root's skeleton) is
created exclusively, which fails on any name already there, a link to nothing included.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import tempfile
from contextlib import suppress
from pathlib import Path

from build_tools.problems import Problem

#: The folders of a content root that readers and MkDocs take files from.
CONTENT_FOLDERS = ("claims", "seeds", "data", "docs", "templates")
#: Inside the root, but never content: links into them are refused like links out of the root.
PRIVATE_FOLDERS = (".git",)
#: Where the engine keeps what it can compute again (share images, link results): written by builds
#: and link checks, so it must not lead out of the root either.
CACHE_FOLDER = ".cache"


class OutsideRoot(Exception):
    """A path that is not a regular file inside the content root; ``problem`` says why, located."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def inside(root: Path, rel: str) -> Path:
    """``root / rel`` resolved, if it is a regular file inside ``root`` and outside its private
    folders; otherwise ``OutsideRoot`` (a missing file is left to the caller's own open)."""
    # On strings, not Path objects: every read of a check goes through here, and a live preview
    # checks the whole root on every save (pathlib's parsing was most of the time a read took).
    home = os.path.realpath(root)
    path = os.path.join(home, rel)
    try:
        resolved = os.path.realpath(path, strict=True)
    except FileNotFoundError:
        if os.path.islink(path):
            raise OutsideRoot(Problem(rel, 0, 0, "broken-link", "symbolic link to nothing")) from None
        return Path(path)
    except OSError as exc:  # a loop of links (said as pathlib says it), a name too long
        reason = f"Symlink loop from {exc.filename!r}" if exc.errno == errno.ELOOP else str(exc)
        raise OutsideRoot(Problem(rel, 0, 0, "outside-root", f"cannot resolve the path: {reason}")) from None
    _refuse(home, rel, resolved)
    return Path(resolved)


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or in it (both absolute and normalized)."""
    return path == folder or path.startswith(folder if folder.endswith(os.sep) else folder + os.sep)


def _refuse(home: str, rel: str, resolved: str) -> None:
    if not _under(resolved, home):
        raise OutsideRoot(
            Problem(rel, 0, 0, "outside-root", "symbolic link to a place outside the content root; copy the file in")
        )
    # A link may lead from one content folder to another, never to the root's other files (an
    # untracked .env, a build's output, the engine's cache): those are not content.
    followed = resolved != os.path.normpath(os.path.join(home, rel))
    if followed and not any(_under(resolved, os.path.join(home, folder)) for folder in CONTENT_FOLDERS):
        raise OutsideRoot(
            Problem(rel, 0, 0, "outside-root", "symbolic link to a file of the root that is not content; copy it in")
        )
    for private in PRIVATE_FOLDERS:
        if _under(resolved, os.path.join(home, private)):
            raise OutsideRoot(
                Problem(rel, 0, 0, "outside-root", f"symbolic link into {private}/, which is not content")
            )
    mode = os.stat(resolved).st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise OutsideRoot(Problem(rel, 0, 0, "not-a-file", "not a regular file (a pipe, a socket or a device)"))


def cache_path(root: Path, rel: str) -> Path:
    """``root / rel`` (under ``CACHE_FOLDER``) for the engine to read and write, if no link on the
    way leads out of the root or into a private folder; otherwise ``OutsideRoot``. The path need
    not exist yet."""
    home = root.resolve()
    try:
        resolved = (home / rel).resolve()
    except (OSError, RuntimeError) as exc:
        raise OutsideRoot(Problem(rel, 0, 0, "outside-root", f"cannot resolve the path: {exc}")) from None
    if not resolved.is_relative_to(home) or any(resolved.is_relative_to(home / name) for name in PRIVATE_FOLDERS):
        raise OutsideRoot(
            Problem(rel, 0, 0, "outside-root", "the engine's cache leads out of the content root; remove the link")
        )
    return resolved


def cache_problems(root: Path) -> list[Problem]:
    """The cache folder and what it holds at its top (``share/``, ``links.json``), judged like a
    content folder's links; deeper files are not walked: the engine trusts them only by their
    digests, and writes nowhere deeper."""
    home = root.resolve()
    names = [CACHE_FOLDER]
    if (home / CACHE_FOLDER).is_dir() and not (home / CACHE_FOLDER).is_symlink():
        names += sorted(f"{CACHE_FOLDER}/{name}" for name in os.listdir(home / CACHE_FOLDER))
    problems = []
    for rel in names:
        try:
            path = cache_path(home, rel)
        except OutsideRoot as refused:
            problems.append(refused.problem)
            continue
        if rel in (CACHE_FOLDER, f"{CACHE_FOLDER}/share") and path.exists() and not path.is_dir():
            problems.append(
                Problem(rel, 0, 0, "not-a-folder", "the engine keeps its cache in this folder; remove the file")
            )
    return problems + _committed_cache(home)


def _committed_cache(home: Path) -> list[Problem]:
    """The cache is the engine's, never a contributor's: a pull request that commits files into it
    (a forged share image named after a card) is refused. Only where the root is a git work tree."""
    if not (home / ".git").exists():
        return []
    try:
        listed = subprocess.run(
            ["git", "-C", str(home), "ls-files", "-z", "--", CACHE_FOLDER],
            capture_output=True, timeout=30, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return []
    names = [name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
    if listed.returncode != 0 or not names:
        return []
    message = (
        f"{len(names)} file(s) of the engine's cache are committed; remove them (git rm -r --cached {CACHE_FOLDER})"
    )
    return [Problem(names[0], 0, 0, "committed-cache", message)]


def _odd_name(name: str) -> str | None:
    """What makes a file name unsafe to print or to publish: control characters (a newline in a name
    could forge a line of a report), or bytes that are not UTF-8."""
    if any(0xDC80 <= ord(char) <= 0xDCFF for char in name):
        return "bytes that are not UTF-8"
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in name):
        return "a control character"
    return None


def tree_problems(root: Path, folders: tuple[str, ...] = CONTENT_FOLDERS) -> list[Problem]:
    """A problem for every entry of ``folders`` (the folders themselves included) that leads out of
    the root, into a private folder, or to something that is not a file or folder. Links are not
    followed while walking, so a link to a folder is judged once, by where it leads."""
    home = root.resolve()
    problems: list[Problem] = []
    pending = [folder for folder in folders if os.path.lexists(home / folder)]
    while pending:
        rel = pending.pop()
        path = home / rel
        if odd := _odd_name(rel.rsplit("/", 1)[-1]):
            problems.append(Problem(rel, 0, 0, "file-name", f"the file name holds {odd}; rename it"))
            continue
        try:
            if path.is_symlink():
                inside(home, rel)
                continue
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode):
                pending += sorted((f"{rel}/{name}" for name in os.listdir(path)), reverse=True)
            elif not stat.S_ISREG(mode):
                raise OutsideRoot(Problem(rel, 0, 0, "not-a-file", "not a regular file (a pipe, a socket or a device)"))
        except OutsideRoot as refused:
            problems.append(refused.problem)
        except OSError as exc:
            problems.append(Problem(rel, 0, 0, "unreadable", f"cannot read: {exc.strerror}"))
    return sorted(problems, key=lambda problem: problem.path)


def replace_file(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) as ``path`` through a new file in the same folder, renamed over it:
    a symbolic link or another hard link at ``path`` is replaced, never written through, and no
    reader ever sees half a file. The new file gets the permissions a new file would."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


def create_file(path: Path, text: str) -> None:
    """Create ``path`` holding ``text`` (UTF-8), or ``FileExistsError`` if the name is taken by
    anything at all: a file, a folder, a link, a link to nothing."""
    with open(path, "x", encoding="utf-8") as stream:
        stream.write(text)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
