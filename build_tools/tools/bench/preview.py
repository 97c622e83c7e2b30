"""The live preview's latency: from saving a claim file to the served page showing the edit.

``python -m build_tools serve`` runs on a synthetic root as a contributor runs it; the benchmark
waits for the first page, then edits one claim's English summary at a time and asks the server for
that claim's page until it shows the new text. The claims index and the search index are read at
that moment: the edit must have reached them too.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.tools.bench.measure import (
    BenchFailed,
    TreeSampler,
    _child_env,
    _our_cpu_seconds,
    busy_cpu_seconds,
    memory_supported,
)

POLL = 0.05  # seconds between two requests for the edited page
STARTUP_LIMIT, EDIT_LIMIT = 900.0, 120.0  # seconds before the benchmark gives up


@dataclass
class PreviewResult:
    claims: int
    startup: float  # from starting the command to the first claim page served (the full first build)
    latencies: list[float] = field(default_factory=list)  # save → page served with the edit, one per edit
    followed: list[bool] = field(default_factory=list)  # the claims index and search index had it then
    peak_mb: float | None = None  # whole-tree PSS peak over the whole run, first build included
    processes: int = 0
    other_load: float | None = None

    @property
    def latency(self) -> float:
        return statistics.median(self.latencies)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def _wait(url: str, text: str, limit: float, child: subprocess.Popen[bytes]) -> float:
    """Seconds until ``url`` serves ``text``."""
    began = time.perf_counter()
    while time.perf_counter() - began < limit:
        body = _get(url)
        if body is not None and text in body:
            return time.perf_counter() - began
        if child.poll() is not None:
            raise BenchFailed(f"the preview server ended with {child.returncode} before {url} showed {text!r}")
        time.sleep(POLL)
    raise BenchFailed(f"{url} did not show {text!r} within {limit:.0f} s")


def measure_preview(root: Path, claims: int, edits: int, config: str, interval: float) -> PreviewResult:
    port = _free_port()
    base = f"http://127.0.0.1:{port}/en/"
    command = [sys.executable, "-m", "build_tools", "serve", "--root", str(root), "--config", str(root / config)]
    command += ["--address", f"127.0.0.1:{port}"]
    busy_before, ours_before = busy_cpu_seconds(), _our_cpu_seconds()
    began = time.perf_counter()
    with tempfile.TemporaryFile() as log:
        child = subprocess.Popen(command, cwd=root, env=_child_env(), stdout=log, stderr=log)
        sampler = TreeSampler(child.pid, interval) if memory_supported() else None
        try:
            if sampler:
                sampler.__enter__()
            _wait(base + "claims/claim-00000/", "Synthetic claim number 0.", STARTUP_LIMIT, child)
            result = PreviewResult(claims, time.perf_counter() - began)
            for edit in range(edits):
                number = (edit * 997 + 1) % claims  # spread over the root
                path = root / "claims" / f"claim-{number:05d}.yml"
                marker = f"Edited {edit} for the benchmark"
                text = path.read_text(encoding="utf-8")
                old = f"  en: Synthetic claim number {number}."
                if old not in text:
                    raise BenchFailed(f"{path} has no summary {old!r}")
                path.write_text(text.replace(old, f"  en: {marker}, claim {number}."), encoding="utf-8")
                result.latencies.append(_wait(base + f"claims/claim-{number:05d}/", marker, EDIT_LIMIT, child))
                index, found = _get(base + "claims/") or "", _get(base + "search/search_index.json") or ""
                result.followed.append(marker in index and marker in found)
                time.sleep(1.0)  # the server settles before the next save
        finally:
            if sampler:
                sampler.__exit__(None, None, None)
            child.terminate()
            child.wait(timeout=30)
            if child.returncode not in (0, -15) and "result" not in locals():
                log.seek(0)
                tail = log.read().decode("utf-8", "replace").strip().splitlines()[-20:]
                print("\n".join(tail), file=sys.stderr)
    wall = time.perf_counter() - began
    busy_after, ours_after = busy_cpu_seconds(), _our_cpu_seconds()
    if busy_before is not None and busy_after is not None:
        other = busy_after - busy_before - (ours_after - ours_before)
        result.other_load = max(0.0, other) / (wall * (os.cpu_count() or 1))
    if sampler:
        result.peak_mb, result.processes = sampler.peak_mb, sampler.most_processes
    return result
