"""``inside``: a read of the content root resolves the path and refuses links that leave the content."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.content.confine import OutsideRoot, inside


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "root/claims").mkdir(parents=True)
    (tmp_path / "root/.git").mkdir()
    (tmp_path / "root/claims/a.yml").write_text("id: a\n", encoding="utf-8")
    (tmp_path / "root/.env").write_text("SECRET=1\n", encoding="utf-8")
    (tmp_path / "root/.git/config").write_text("[core]\n", encoding="utf-8")
    (tmp_path / "outside.yml").write_text("id: b\n", encoding="utf-8")
    (tmp_path / "root-beside").mkdir()  # its name starts with the root's
    (tmp_path / "root-beside/c.yml").write_text("id: c\n", encoding="utf-8")
    return tmp_path / "root"


def _refused(root: Path, rel: str) -> tuple[str, str]:
    with pytest.raises(OutsideRoot) as refused:
        inside(root, rel)
    return refused.value.problem.code, refused.value.problem.message


def test_a_file_of_the_root_is_its_resolved_path(root: Path) -> None:
    assert inside(root, "claims/a.yml") == (root / "claims/a.yml").resolve()
    assert inside(root, "claims/./a.yml") == (root / "claims/a.yml").resolve()
    assert inside(root, "claims/missing.yml") == root.resolve() / "claims/missing.yml"  # left to the reader


def test_links_that_leave_the_content_are_refused(root: Path, tmp_path: Path) -> None:
    (root / "claims/out.yml").symlink_to(tmp_path / "outside.yml")
    (root / "claims/beside.yml").symlink_to(tmp_path / "root-beside/c.yml")
    (root / "claims/env.yml").symlink_to(root / ".env")
    (root / "claims/git.yml").symlink_to(root / ".git/config")
    (root / "claims/nothing.yml").symlink_to(root / "claims/gone.yml")
    (root / "claims/loop.yml").symlink_to(root / "claims/loop.yml")
    assert _refused(root, "claims/out.yml")[0] == "outside-root"
    assert "outside the content root" in _refused(root, "claims/beside.yml")[1]
    assert "not content" in _refused(root, "claims/env.yml")[1]
    assert "not content" in _refused(root, "claims/git.yml")[1]
    assert _refused(root, "claims/nothing.yml")[0] == "broken-link"
    code, message = _refused(root, "claims/loop.yml")
    assert code == "outside-root" and message.startswith("cannot resolve the path: Symlink loop from ")
    assert _refused(root, "../outside.yml")[0] == "outside-root"


def test_a_link_between_content_folders_is_read(root: Path) -> None:
    (root / "data").mkdir()
    (root / "data/a.yml").symlink_to(root / "claims/a.yml")
    assert inside(root, "data/a.yml") == (root / "claims/a.yml").resolve()
