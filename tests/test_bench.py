"""The benchmark's measuring code: whole-tree memory, the report's rows and the targets it judges."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from build_tools.tools.bench import collect
from build_tools.tools.bench.measure import MARK_END, MARK_START, BenchFailed, Run, measure, memory_supported
from build_tools.tools.bench.preview import PreviewResult
from build_tools.tools.bench.report import render, targets, write_report
from build_tools.tools.bench.stages import STAGES, Report, Row, SiteFacts

pytestmark = pytest.mark.skipif(not memory_supported(), reason="needs /proc/PID/smaps_rollup (Linux)")

MB = 2**20

# A parent of a few MB whose child holds 200 MB for a moment: only the whole tree shows them.
CHILD_HOLDS_MEMORY = """
import subprocess, sys
holder = "import time; data = b'x' * (200 * 2**20); time.sleep(0.6)"
subprocess.run([sys.executable, "-c", holder], check=True)
"""

# 150 MB written before a fork: parent and child share those pages and must not count them twice.
FORK_SHARES_MEMORY = """
import os, time
data = b'x' * (150 * 2**20)
pid = os.fork()
if pid == 0:
    time.sleep(0.6)
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_memory_of_a_child_process_is_counted() -> None:
    run = measure([sys.executable, "-c", CHILD_HOLDS_MEMORY])
    assert run.processes >= 2
    assert run.peak_mb is not None and run.peak_mb >= 190


def test_pages_shared_after_fork_count_once() -> None:
    run = measure([sys.executable, "-c", FORK_SHARES_MEMORY])
    assert run.processes == 2
    # Resident sizes would add up to 300 MB; proportional ones to 150 MB and the interpreters.
    assert run.peak_mb is not None and 145 <= run.peak_mb < 220


def test_a_failing_command_is_reported() -> None:
    with pytest.raises(BenchFailed, match="exited with 3"):
        measure([sys.executable, "-c", "import sys; sys.exit(3)"])


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(text: str, heading: str) -> list[list[str]]:
    """The rows of the first table after ``heading``, without its header and alignment lines."""
    lines = text[text.index(heading) :].splitlines()
    start = next(number for number, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        table.append(_cells(line))
    return table


def test_report_on_a_small_root(tmp_path: Path) -> None:
    report = collect([20], 1, progress=lambda message: None)
    text = render(report)

    stages = _table(text, "## Stages")
    assert [row[0] for row in stages] == [stage.label for stage in STAGES]
    assert all(len(row) == 9 and row[1] == "20" for row in stages)
    assert all(row[2].endswith(" s") and row[6].endswith(" MB") and row[8].endswith("%") for row in stages)
    by_key = {row.stage.key: row for row in report.rows}
    # The parallel build's tree: the stage's process and one forked build per language.
    assert by_key["build"].processes >= 3
    assert by_key["sequential"].processes == 1
    for row in report.rows:
        assert len(row.runs) == 1
        assert row.wall > row.own > 0
        assert row.phase("imports") is not None
        assert (row.phase("check") is None) == (row.stage.key == "check")

    sites = _table(text, "## Sites")
    pages = int(sites[0][1].replace(",", ""))
    assert pages == report.sites[20].pages and pages > 2 * 20  # counted: every claim in two languages, and more
    assert report.sites[20].site_images_mb is not None and report.sites[20].site_images_mb > report.sites[20].site_mb

    # The live preview: started on the root, one claim edited, its page served with the edit.
    previews = _table(text, "## Live preview")
    assert len(previews) == 1 and previews[0][0] == "20"
    assert float(previews[0][2].removesuffix(" s")) > 0 and previews[0][4] == "1 of 1"
    assert report.previews[0].startup > report.previews[0].latency > 0

    goals = _table(text, "## Against the targets")
    assert len(goals) == len(targets(report)) >= 8
    assert all(goal[2].startswith("not measured") for goal in goals)

    output = tmp_path / "BENCHMARKS.md"
    output.write_text(f"# Benchmarks\n\nbefore\n\n{MARK_START}\nold\n{MARK_END}\n\nnotes kept\n")
    write_report(output, text)
    written = output.read_text()
    assert written.startswith("# Benchmarks\n\nbefore\n\n") and written.endswith("\n\nnotes kept\n")
    assert "old" not in written and "## Stages" in written


def _row(key: str, claims: int, wall: float, own: float, peak: float, processes: int = 3) -> Row:
    stage = next(stage for stage in STAGES if stage.key == key)
    runs = [Run(wall + extra, {"imports": 0.2, "stage": own + extra}, peak, processes) for extra in (0.0, 0.1, 5.0)]
    return Row(stage, claims, runs)


def test_targets_are_judged_from_the_rows() -> None:
    report = Report(3, [2000, 4000], [2000], 0.025, "test machine", "abc1234", startup=[0.02, 0.02, 0.02])
    report.rows = [
        _row("check", 2000, 0.6, 0.3, 60, 1),
        _row("check", 4000, 0.8, 0.6, 90, 1),
        _row("build", 2000, 10.0, 9.0, 200),
        _row("build", 4000, 23.0, 21.0, 390),
        _row("images-cold", 2000, 30.0, 29.0, 300),
    ]
    report.sites = {2000: SiteFacts(2000, 4018, 80.0), 4000: SiteFacts(4000, 8018, 160.0)}
    report.previews = [PreviewResult(4000, 30.0, [2.0, 4.5, 2.5], [True, True, True])]
    results = [(measured, verdict) for _, measured, verdict in targets(report)]
    assert ("2.50 s (median of 3 edits; slowest 4.50 s)", "met") in results
    report.previews[0].latencies = [3.5, 3.2, 9.0]
    assert ("3.50 s (median of 3 edits; slowest 9.00 s)", "missed by 0.50 s") in [
        (measured, verdict) for _, measured, verdict in targets(report)
    ]
    assert results[0] == ("0.90 s (fresh process, start-up included; 0.70 s of it the stage itself)", "met")
    # The median of 23.0, 23.1 and 28.0 s.
    assert results[1] == ("23.1 s (fresh process, start-up included)", "missed by 3.10 s (16%)")
    assert results[2][1] == results[3][1] == "not measured (share images measured at smaller sizes only)"
    assert ("390 MB (3 processes)", "missed by 40 MB") in results
    assert results[-1] == ("worst 2.32 (build); 2 stages", "missed by build")
    text = render(report)
    assert "| build | 9.10 s | 21.1 s | 2.32 |" in text and "| check | 0.40 s | 0.70 s | 1.75 |" in text
