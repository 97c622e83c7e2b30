"""Measure check, page generation and the full bilingual build on synthetic roots of N claims.

Each measurement runs in a fresh process, so peak memory is that stage's own. The anchor is the
same build with the languages built one after the other, in one process.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build_tools.tools.synth import write_synthetic_root

STAGES = ("check", "generate", "build")


def _measure(stage: str, root: Path, config: str = "mkdocs.yml") -> dict[str, float]:
    """Run one stage in a child process; returns its wall time and the peak resident memory of that
    process or of any process it started (the parallel build forks one per language)."""
    code = (
        "import json, resource, sys, time\n"
        "from pathlib import Path\n"
        "from build_tools.tools.bench import run_stage\n"
        "start = time.perf_counter()\n"
        f"run_stage({stage!r}, Path({str(root)!r}), {config!r})\n"
        "peak = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
        "print(json.dumps({'seconds': time.perf_counter() - start, 'rss_mb': peak / 1024}))\n"
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def run_stage(stage: str, root: Path, config: str) -> None:
    from build_tools.content.resolve import check_root
    from build_tools.site.build import build_site
    from build_tools.site.pages import render_site

    dataset = check_root(root).dataset
    if dataset is None:
        raise SystemExit(f"{root} does not pass check")
    if stage == "generate":
        render_site(dataset)
    elif stage == "build":
        build_site(dataset, root / "site", root / config)
    elif stage == "anchor":
        # The same engine building the languages one after the other, in one process.
        build_site(dataset, root / "site", root / config, parallel=False)


def _site_mb(root: Path) -> float:
    return sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file()) / 1e6


def benchmark(sizes: list[int], runs: int, anchor: bool) -> str:
    rows = []
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as scratch:
        for size in sizes:
            root = Path(scratch) / f"n{size}"
            write_synthetic_root(root, size)
            row: dict[str, float] = {"claims": size}
            for stage in STAGES:
                samples = [_measure(stage, root) for _ in range(runs)]
                row[f"{stage}_s"] = statistics.median(s["seconds"] for s in samples)
                row[f"{stage}_mb"] = max(s["rss_mb"] for s in samples)
            row["site_mb"] = _site_mb(root)
            if anchor:
                shutil.rmtree(root / "site", ignore_errors=True)
                row["anchor_s"] = _measure("anchor", root)["seconds"]
            rows.append(row)
            print(f"measured {size} claims", file=sys.stderr)
    return _table(rows, runs, anchor)


def _table(rows: list[dict[str, float]], runs: int, anchor: bool) -> str:
    machine = f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}, {platform.system()}"
    lines = [
        "# Benchmarks",
        "",
        f"`python -m build_tools bench` on synthetic roots ({machine}). Times are medians of {runs} run(s)",
        "in a fresh process each; memory is the peak resident size of that process or of the language",
        "builds it starts. The anchor is one run of the same build with the languages built one after the",
        "other in one process.",
        "",
        "| claims | pages | check | generate | build | build peak | site size |"
        + (" anchor build | speed-up |" if anchor else ""),
        "|---:|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if anchor else ""),
    ]
    for row in rows:
        line = (
            f"| {row['claims']:,.0f} | {2 * row['claims'] + 18:,.0f} | {row['check_s']:.2f} s "
            f"| {row['generate_s']:.2f} s | {row['build_s']:.1f} s | {row['build_mb']:.0f} MB "
            f"| {row['site_mb']:.0f} MB |"
        )
        if anchor:
            line += f" {row['anchor_s']:.1f} s | {row['anchor_s'] / row['build_s']:.1f}× |"
        lines.append(line)
    by_size = {row["claims"]: row for row in rows}
    if 2000 in by_size and 4000 in by_size:
        ratios = ", ".join(
            f"{stage} {by_size[4000][f'{stage}_s'] / by_size[2000][f'{stage}_s']:.2f}" for stage in STAGES
        )
        lines += ["", f"Linearity, t(4000)/t(2000): {ratios}."]
    return "\n".join(lines) + "\n"
