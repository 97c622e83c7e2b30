"""Measuring one command: its wall time, and the peak memory of its whole process tree from /proc."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

DEFAULT_SIZES = (500, 2000, 4000)
SAMPLE_INTERVAL = 0.025  # seconds between two samples of the process tree's memory
# Reading a large process's PSS walks its page tables (about 8 ms for 440 MB): the sampler waits long
# enough between two samples to keep within this share of one core, however large the tree grows.
SAMPLER_SHARE = 0.2
NO_SHARE_CONFIG = "mkdocs.noshare.yml"  # the synthetic root's mkdocs.yml with share_images: false
SHARE_DIR = "assets/share"  # where a build puts the share images, under the default language's root
LARGE_CLAIMS = 25000  # the archive of a desk, measured behind --large
TARGET_CLAIMS, HALF_CLAIMS = 4000, 2000
CHECK_TARGET_S, MEMORY_TARGET_MB, LINEARITY_TARGET = 1.0, 350.0, 2.1
COLD_TARGET_S, CACHED_TARGET_S = 20.0, 10.0  # 4,000 claims, default configuration, empty / full image cache
HUGO_FACTOR = 2.0  # the build without share images within this many times Hugo's time, same content, same run
LARGE_CACHED_TARGET_S, LARGE_MEMORY_TARGET_MB = 120.0, 1000.0  # 25,000 claims, image cache full
SITE_TARGET_MB, PER_CLAIM_TARGET_KB = 1000.0, 40.0  # what GitHub Pages publishes (1 GB), and per claim
PREVIEW_TARGET_S = 1.0  # from saving a claim to the preview serving its page with the edit
MARK_START = "<!-- bench: written by python -m build_tools.tools.bench; edit outside these marks -->"
MARK_END = "<!-- bench: end -->"


def _median_of(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


class BenchFailed(Exception):
    """A measured command failed, or the comparison could not be set up."""


# --------------------------------------------------------------------------------------------------
# Memory of a process tree, from /proc


def memory_supported() -> bool:
    return Path("/proc/self/smaps_rollup").is_file()


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat_file:
                stat = stat_file.read()
        except OSError:  # the process ended meanwhile
            continue
        # pid (comm) state ppid …; comm may hold spaces and parentheses, so split after the last ')'.
        fields = stat[stat.rindex(b")") + 2 :].split(maxsplit=2)
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def process_tree(root: int) -> list[int]:
    """``root`` and every process descended from it that is alive now."""
    children = _children_by_parent()
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += children.get(pid, [])
    return tree


def pss_kb(pid: int) -> int | None:
    """The process's proportional set size in kB, or None when it has gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0  # a zombie maps nothing


class TreeSampler:
    """Samples the summed PSS of a process and all its descendants in a background thread."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL) -> None:
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.most_processes = 0  # the most processes seen alive at one sample
        self.seen: set[int] = set()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"pss-{pid}", daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        total, alive = 0, 0
        for pid in process_tree(self.pid):
            kb = pss_kb(pid)
            if kb is None:
                continue
            total += kb
            alive += 1
            self.seen.add(pid)
        self.samples += 1
        self.peak_kb = max(self.peak_kb, total)
        self.most_processes = max(self.most_processes, alive)

    def _run(self) -> None:
        while True:
            began = time.perf_counter()
            self.sample()
            cost = time.perf_counter() - began
            if self._stop.wait(max(self.interval - cost, cost * (1 / SAMPLER_SHARE - 1))):
                return

    @property
    def peak_mb(self) -> float:
        return self.peak_kb / 1024


# --------------------------------------------------------------------------------------------------
# One measured command


@dataclass(frozen=True)
class Run:
    wall: float  # seconds from starting the interpreter to its exit
    phases: dict[str, float]  # what the child reports of its own time (imports, check, stage)
    peak_mb: float | None  # whole-tree PSS peak; None where /proc cannot tell
    processes: int  # the most processes of the tree alive at one sample
    other_load: float | None = None  # share of the machine's CPU time other work took meanwhile


def busy_cpu_seconds() -> float | None:
    """CPU time the whole machine has spent busy since boot (all cores), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(value) for value in stat.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    idle, iowait = fields[3], fields[4]  # user nice system idle iowait irq softirq steal
    return (sum(fields) - idle - iowait) / os.sysconf("SC_CLK_TCK")


def _our_cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (and theirs)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _child_env() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's banner about MkDocs 2, printed on every build
    return env


def measure(command: Sequence[str], *, cwd: Path | None = None, interval: float = SAMPLE_INTERVAL) -> Run:
    """Run ``command`` to its end, sampling its process tree's memory; its last line of output may be
    a JSON object of phase timings."""
    sampled = memory_supported()
    busy_before, ours_before = busy_cpu_seconds(), _our_cpu_seconds()
    start = time.perf_counter()
    child = subprocess.Popen(
        list(command), cwd=cwd, env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if sampled:
        with TreeSampler(child.pid, interval) as sampler:
            out, err = child.communicate()
    else:
        out, err = child.communicate()
    wall = time.perf_counter() - start
    busy_after, ours_after = busy_cpu_seconds(), _our_cpu_seconds()
    other_load = None
    if busy_before is not None and busy_after is not None:
        other = busy_after - busy_before - (ours_after - ours_before)
        other_load = max(0.0, other) / (wall * (os.cpu_count() or 1))
    if child.returncode != 0:
        tail = "\n".join(err.strip().splitlines()[-20:])
        raise BenchFailed(f"{' '.join(command)} exited with {child.returncode}:\n{tail}")
    phases: dict[str, float] = {}
    lines = out.strip().splitlines()
    if lines and lines[-1].startswith("{"):
        phases = {str(key): float(value) for key, value in json.loads(lines[-1]).items()}
    if not sampled:
        return Run(wall, phases, None, 0, other_load)
    return Run(wall, phases, sampler.peak_mb, sampler.most_processes, other_load)


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} MB"


def _bytes(value: float) -> str:
    """A size in bytes, in the unit that keeps small parts of a small site readable."""
    if value < 1e6:
        return f"{value / 1e3:,.1f} KB"
    return f"{value / 1e6:,.1f} MB" if value < 1e8 else f"{value / 1e6:,.0f} MB"


def _s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
