"""A build checks the content in a process of its own and gets the same result, or the same failure."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.content.apart import CheckCrashed, check_apart
from build_tools.content.dataset import CheckResult
from build_tools.content.resolve import check_root
from conftest import FIXTURES, Run


def test_the_result_is_the_check_s_own_from_another_process(tmp_path: Path) -> None:
    def check() -> CheckResult:
        (tmp_path / "checked-by").write_text(str(os.getpid()), encoding="utf-8")
        return check_root(FIXTURES / "minimal")

    result = check_apart(check)
    direct = check_root(FIXTURES / "minimal")
    assert result.dataset is not None and result.dataset == direct.dataset
    assert result.problems == direct.problems
    assert (tmp_path / "checked-by").read_text(encoding="utf-8") != str(os.getpid())


def test_an_exception_of_the_check_is_raised_here() -> None:
    def broken() -> CheckResult:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match=r"^boom$"):
        check_apart(broken)


def test_an_exception_that_cannot_be_sent_is_said_in_words() -> None:
    class Unsendable(Exception):
        def __init__(self) -> None:
            super().__init__("holds a lock")
            self.lock = threading.Lock()

    def broken() -> CheckResult:
        raise Unsendable

    with pytest.raises(CheckCrashed, match=r"Unsendable|lock"):
        check_apart(broken)


def test_a_check_process_that_dies_is_a_crash_not_a_hang() -> None:
    def dies() -> CheckResult:
        os._exit(7)

    with pytest.raises(CheckCrashed, match="exit status 7"):
        check_apart(dies)


def test_a_build_reports_a_crash_of_its_check_on_one_line(
    minimal_root: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\n  on two lines")

    monkeypatch.setattr("build_tools.outcome.check_root", broken)
    run = cli("build", "--root", minimal_root)
    assert (run.code, run.out) == (3, "")
    assert run.err == "internal error: RuntimeError: boom on two lines (a bug in build_tools)\n"
    assert not (minimal_root / "site").exists()


def test_a_build_reports_content_errors_found_apart(minimal_root: Path, cli: Callable[..., Run]) -> None:
    claim = minimal_root / "claims/good-news.yml"
    claim.write_text(claim.read_text(encoding="utf-8").replace("verdict: ", "verdict: no-such-"), encoding="utf-8")
    run = cli("build", "--root", minimal_root)
    assert run.code == 1
    assert "claims/good-news.yml:" in run.err and "error:" in run.err
