"""The repository's own content passes its checks and builds without a warning."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from build_tools.content.resolve import check_root
from build_tools.site.build import build_site
from conftest import REPO, REPO_TODAY


def test_repo_content_is_clean() -> None:
    result = check_root(REPO, REPO_TODAY)
    assert [problem.as_text() for problem in result.problems] == []


def test_repo_site_builds_strict_without_warnings(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    result = check_root(REPO, REPO_TODAY)
    assert result.dataset is not None
    with caplog.at_level(logging.WARNING, logger="mkdocs"):
        build_site(result.dataset, tmp_path / "site")
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == []
    assert (tmp_path / "site/index.html").is_file() and (tmp_path / "site/en/index.html").is_file()
