"""The hostile-input catalogue: one small content tree per case, beside the exact report it must get.

Each folder under tests/adversarial/ holds only the files that differ from tests/fixtures/minimal,
and expected.txt: what `check` prints on standard error, exactly (empty: the input is accepted).
A few files of a case are instructions rather than content:

- LARGE asks for a generated file ("PATH SIZE"), so that no large file is committed;
- LINKS makes symbolic links, one "PATH TARGET" per line (replacing what PATH was); a TARGET of
  {outside} is a file of the build machine outside the root, {outside_dir} a folder holding it;
- COMMAND runs another command instead of `check`: its expected exit status, then its arguments, on
  one line ({root} is the root).

Whatever the command, every file of the content root must be exactly as it was afterwards: a hostile
input is reported, never allowed to lose work. UPDATE_GOLDEN=1 rewrites the expected files; review
the diff like code.
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


INSTRUCTIONS = ("expected.txt", "LARGE", "LINKS", "COMMAND")
SECRET = "a secret of the build machine\n"


def _tree(case: Path, target: Path) -> Path:
    root = copy_root(FIXTURES / "minimal", target)
    outside = target.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    for path in sorted(case.rglob("*")):
        rel = path.relative_to(case)
        if path.is_dir() or rel.as_posix() in INSTRUCTIONS:
            continue
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, root / rel)
    if (case / "LARGE").is_file():
        name, size = (case / "LARGE").read_text(encoding="utf-8").split()
        (root / name).write_bytes(b"a: " + b"x" * int(size) + b"\n")
    if (case / "LINKS").is_file():
        for line in (case / "LINKS").read_text(encoding="utf-8").splitlines():
            name, link_target = line.split()
            link = root / name
            if link.is_dir() and not link.is_symlink():
                shutil.rmtree(link)
            link.unlink(missing_ok=True)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(link_target.format(outside=outside / "secret.txt", outside_dir=outside))
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every entry of the content root but what a build writes (site/, .cache/): links as links."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel.split("/")[0] in ("site", ".cache") or (path.is_dir() and not path.is_symlink()):
            continue
        found[rel] = b"link:" + os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
    return found


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_hostile_input(case: str, tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = _tree(CASES / case, tmp_path / "root")
    before = _snapshot(root)
    command = CASES / case / "COMMAND"
    status, *args = command.read_text(encoding="utf-8").split() if command.is_file() else ["", "check"]
    run = cli(*(arg.format(root=root) for arg in args), "--root", root)
    err = run.err.replace(str(tmp_path), "{tmp}")
    expected_file = CASES / case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(err, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert run.code != EXIT_INTERNAL, run.err  # the command crashed instead of reporting a problem
    assert err == expected
    assert run.code == (int(status) if status else 1 if ": error:" in expected else 0)
    assert _snapshot(root) == before  # nothing of the content was lost or changed
    assert SECRET.strip() not in run.out + run.err  # nothing of the build machine was shown
    assert sorted(p.name for p in (tmp_path / "outside").iterdir()) == ["secret.txt"]  # nor written to


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
        # work lost: an output over content is refused, nothing removed
        "site-dir-is-claims",
        "site-dir-is-the-root",
        "site-dir-holds-the-root",
        "site-dir-not-a-build",
        "site-dir-is-a-link",
        "export-over-a-claim",
        "export-over-mkdocs-yml",
        "export-into-a-missing-folder",
        "summary-over-a-claim",
        "links-revision-is-an-option",
        "schema-links-outside",
        "schema-folder-links-outside",
        "new-through-a-link-to-nothing",
        # files from outside the root
        "seed-text-links-outside",
        "docs-asset-links-outside",
        "data-file-links-outside",
        "claims-folder-links-outside",
        "template-links-outside",
        "intro-links-outside",
        "catalogue-links-outside",
        "mkdocs-yml-links-outside",
        "link-to-nothing",
        "new-seed-links-outside",
        "new-seed-id-with-path",
        "cache-links-outside",
        "catalogue-reads-globals",
        "catalogue-plural-reads-globals",
        "docs-link-to-root-file",
        "url-user-info-in-markdown",
        "mkdocs-inherited-docs-dir-outside",
        "mkdocs-extra-templates-are-code",
        "cache-is-a-file",
        "mkdocs-control-character",
        "mkdocs-deep-nesting",
        "mkdocs-path-too-long",
        "share-cache-links-outside",
        # code run at build time
        "mkdocs-python-tag",
        "mkdocs-hook-outside",
        "mkdocs-hook-inside-is-code",
        "mkdocs-docs-dir-outside",
        "mkdocs-site-dir-over-claims",
        "mkdocs-custom-dir-outside",
        "mkdocs-inherit-outside",
        "mkdocs-inherit-not-a-config",
        "mkdocs-unknown-theme",
        "template-reaches-globals",
        # HTML injected through hand-written pages (site_name and the like: test_safety.py)
        "script-in-hand-written-page",
        "event-handler-in-page",
        "attr-list-event-handler",
        "javascript-link-in-page",
        "iframe-in-page",
        "docs-page-shadows-generated",
        "docs-page-in-one-language",
        # hostile values
        "yaml-escape-nul",
        "yaml-escape-ansi",
        "bidi-override",
        "ansi-in-id",
        "newline-forges-ok-line",
        "long-word-summary",
        "long-site-name",
        "duplicate-language",
        "url-port-out-of-range",
        "url-user-info",
        "url-mixed-script-host",
        "history-before-article",
        "reserved-claim-id",
        "quote-in-nfd",
        "quote-with-zero-width-space",
    }
    assert {p.name for p in CASES.iterdir() if p.is_dir()} == wanted
