"""What `check` calls today: a UTC date, from --today, else SOURCE_DATE_EPOCH, else the clock."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from build_tools.content.resolve import BadSourceDateEpoch, today_utc
from conftest import REPO, Run

B = "claims/bridge-length.yml"


def _run(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh interpreter, with the clock of the machine and ``env`` on top."""
    environ = {key: value for key, value in os.environ.items() if key not in ("SOURCE_DATE_EPOCH", "TZ")}
    return subprocess.run(
        [sys.executable, "-m", "build_tools", "check", "--root", str(root), *args],
        capture_output=True,
        text=True,
        env={**environ, **env},
        check=False,
    )


def test_source_date_epoch_is_read_as_a_utc_date() -> None:
    assert today_utc({"SOURCE_DATE_EPOCH": "0"}) == date(1970, 1, 1)
    assert today_utc({"SOURCE_DATE_EPOCH": "1767225599"}) == date(2025, 12, 31)  # 23:59:59 UTC
    assert today_utc({"SOURCE_DATE_EPOCH": "1767225600"}) == date(2026, 1, 1)


def test_without_source_date_epoch_it_is_the_utc_date_of_the_clock() -> None:
    before = datetime.now(UTC).date()
    today = today_utc({})
    assert before <= today <= datetime.now(UTC).date()


@pytest.mark.parametrize("value", ["yesterday", "1.5", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_refused(value: str) -> None:
    with pytest.raises(BadSourceDateEpoch, match="SOURCE_DATE_EPOCH is"):
        today_utc({"SOURCE_DATE_EPOCH": value})


def test_today_option(minimal_root: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", "--root", minimal_root, "--today", "2025-01-11")
    assert run.code == 1
    assert run.err.splitlines() == [
        f"{B}:27:14: error: 'reviewed_on' is 2025-01-12, which is in the future [date-in-future]",
        f"{B}:33:11: error: 'history[1].date' is 2025-01-12, which is in the future [date-in-future]",
        "2 error(s); nothing was written",
    ]
    assert cli("check", "--root", minimal_root, "--today", "2025-01-12").code == 0


@pytest.mark.parametrize("value", ["2025-02-30", "12/01/2025", "20250112"])
def test_today_option_takes_a_real_date(minimal_root: Path, cli: Callable[..., Run], value: str) -> None:
    run = cli("check", "--root", minimal_root, "--today", value)
    assert run.code == 2
    assert "argument --today: '" + value + "' is not a" in run.err


def test_precedence_option_then_source_date_epoch_then_clock(minimal_root: Path) -> None:
    in_1970 = _run(minimal_root, SOURCE_DATE_EPOCH="0")
    assert in_1970.returncode == 1
    assert "'reviewed_on' is 2025-01-12, which is in the future [date-in-future]" in in_1970.stderr
    assert _run(minimal_root, "--today", "2025-01-12", SOURCE_DATE_EPOCH="0").returncode == 0
    assert _run(minimal_root).returncode == 0  # the clock: the fixture is dated 2025
    bad = _run(minimal_root, SOURCE_DATE_EPOCH="soon")
    assert (bad.returncode, bad.stderr) == (
        2,
        "error: SOURCE_DATE_EPOCH is 'soon'; it must be a whole number of seconds since 1970-01-01 UTC\n",
    )


# Twelve hours ahead of UTC and twelve behind (POSIX writes the offset with the opposite sign).
TIME_ZONES = ["Etc/GMT-12", "Etc/GMT+12"]


def test_repository_content_gets_the_same_answer_in_every_time_zone() -> None:
    runs = [_run(REPO, TZ=zone) for zone in TIME_ZONES]
    assert [(run.returncode, run.stderr) for run in runs] == [(0, "")] * 2
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.startswith("ok: ")


def test_today_is_the_utc_date_in_every_time_zone(minimal_root: Path) -> None:
    """A record dated today (UTC) passes and one dated tomorrow fails, twelve hours either side of UTC.

    With the local date instead, one of the two zones is always a day off, whatever the hour."""
    good_news, bridge = minimal_root / "claims/good-news.yml", minimal_root / B
    texts = {path: path.read_text(encoding="utf-8") for path in (good_news, bridge)}
    for _ in range(2):  # once more if UTC midnight passed during the runs
        today = datetime.now(UTC).date()
        tomorrow = today + timedelta(days=1)
        good_news.write_text(texts[good_news].replace('"2025-01-11"', f'"{today}"'), encoding="utf-8")
        bridge.write_text(texts[bridge].replace('"2025-01-12"', f'"{tomorrow}"'), encoding="utf-8")
        runs = [_run(minimal_root, TZ=zone) for zone in TIME_ZONES]
        if datetime.now(UTC).date() == today:
            break
    expected = [
        f"{B}:27:14: error: 'reviewed_on' is {tomorrow}, which is in the future [date-in-future]",
        f"{B}:33:11: error: 'history[1].date' is {tomorrow}, which is in the future [date-in-future]",
        "2 error(s); nothing was written",
    ]
    assert [(run.returncode, run.stderr.splitlines()) for run in runs] == [(1, expected)] * 2
