"""Measure the engine's stages on synthetic roots of N claims, each stage in a fresh process.

What each row is, and what it counts:

- **Wall time** runs from starting a new Python interpreter to its exit: interpreter start-up, the
  imports, the content check the stage needs and the stage itself. The child also reports how long its
  imports, its check and its stage took, so every second is accounted for.
- **Peak memory** is sampled from /proc while the stage runs: the sum of the proportional set size
  (PSS, ``/proc/PID/smaps_rollup``) of the stage's process and of every process descended from it (the
  build forks one per language). PSS divides each page among the processes that map it, so memory the
  language builds share with their parent counts once. A peak shorter than the sampling interval can
  be missed.
- **Every row is the median of the same number of runs**; pages are the ``index.html`` files counted
  in the built site.

The stages: ``check``; ``render`` (every page generated in memory); the build with the languages in
parallel and without share images; the same build with the languages one after the other (so the
gain of the parallel build has its own row); the build with share images, first with an empty image
cache, then with the cache that run left. ``--compare-with REV`` also builds the largest root with an
older revision of this repository (its own synthetic root, its own dependencies), in the same run.

``python -m build_tools.tools.bench`` takes every option; ``make bench`` runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from build_tools.tools.synth import write_synthetic_root

DEFAULT_SIZES = (500, 2000, 4000)
SAMPLE_INTERVAL = 0.025  # seconds between two samples of the process tree's memory
NO_SHARE_CONFIG = "mkdocs.noshare.yml"  # the synthetic root's mkdocs.yml with share_images: false
SHARE_DIR = "assets/share"  # where a build puts the share images, under the default language's root
TARGET_CLAIMS, HALF_CLAIMS = 4000, 2000
CHECK_TARGET_S, BUILD_TARGET_S, MEMORY_TARGET_MB, LINEARITY_TARGET = 1.0, 20.0, 350.0, 2.2
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
            self.sample()
            if self._stop.wait(self.interval):
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


# The child that runs one stage. Its clock starts once the interpreter is up, before any import, so
# the wall time minus the phases is the interpreter's start-up and exit.
_STAGE_SCRIPT = """\
import json, sys, time
started = time.perf_counter()
from pathlib import Path
action, root, config = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
from build_tools.content.resolve import check_root
if action == "render":
    from build_tools.site.pages import render_site
elif action != "check":
    from build_tools.site.build import build_site
imported = time.perf_counter()
dataset = check_root(root).dataset
if dataset is None:
    sys.exit(f"{root} does not pass check")
checked = time.perf_counter()
if action == "check":
    print(json.dumps({"imports": imported - started, "stage": checked - imported}))
    sys.exit(0)
if action == "render":
    render_site(dataset)
else:
    build_site(dataset, root / "site", root / config, parallel=action == "build")
done = time.perf_counter()
print(json.dumps({"imports": imported - started, "check": checked - imported, "stage": done - checked}))
"""


# --------------------------------------------------------------------------------------------------
# The stages


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    action: str  # check | render | build | build-sequential
    config: str = NO_SHARE_CONFIG
    images: str = ""  # "" (none), "cold" (cache emptied before each run) or "cached"

    @property
    def builds(self) -> bool:
        return self.action.startswith("build")


STAGES = (
    Stage("check", "check", "check"),
    Stage("render", "render: every page generated in memory", "render"),
    Stage("build", "build, languages in parallel, no share images", "build"),
    Stage("sequential", "build, languages one after the other, no share images", "build-sequential"),
    Stage("images-cold", "build, parallel, share images drawn (empty cache)", "build", "mkdocs.yml", "cold"),
    Stage("images-cached", "build, parallel, share images from the cache", "build", "mkdocs.yml", "cached"),
)


@dataclass
class Row:
    stage: Stage
    claims: int
    runs: list[Run]

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    def phase(self, name: str) -> float | None:
        values = [run.phases[name] for run in self.runs if name in run.phases]
        return statistics.median(values) if len(values) == len(self.runs) else None

    @property
    def own(self) -> float:
        """The stage's own time, in its process: no start-up, imports or preceding check."""
        value = self.phase("stage")
        return self.wall if value is None else value

    @property
    def peak_mb(self) -> float | None:
        return _median_of([run.peak_mb for run in self.runs])

    @property
    def processes(self) -> int:
        return max(run.processes for run in self.runs)

    @property
    def other_load(self) -> float | None:
        return _median_of([run.other_load for run in self.runs])


@dataclass
class SiteFacts:
    claims: int
    pages: int = 0
    site_mb: float = 0.0
    site_images_mb: float | None = None


@dataclass
class Comparison:
    rev: str
    commit: str
    claims: int
    runs: list[Run]
    pages: int
    site_mb: float
    setup: str  # how its environment was made

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def peak_mb(self) -> float | None:
        return _median_of([run.peak_mb for run in self.runs])


@dataclass
class Report:
    runs: int
    sizes: list[int]
    image_sizes: list[int]
    interval: float
    machine: str
    revision: str
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    startup: list[float] = field(default_factory=list)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)
    rows: list[Row] = field(default_factory=list)
    sites: dict[int, SiteFacts] = field(default_factory=dict)
    comparison: Comparison | None = None
    minutes: float = 0.0

    def other_load(self) -> tuple[float, float] | None:
        """The share of the machine's CPU that other work took during the measured runs: on average
        (weighted by their duration) and at most (in one run)."""
        runs = [run for row in self.rows for run in row.runs] + (self.comparison.runs if self.comparison else [])
        known = [(run.wall, run.other_load) for run in runs if run.other_load is not None]
        if not known:
            return None
        return sum(wall * load for wall, load in known) / sum(wall for wall, _ in known), max(load for _, load in known)

    def row(self, key: str, claims: int) -> Row | None:
        return next((row for row in self.rows if row.stage.key == key and row.claims == claims), None)


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def tree_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def prepare_root(root: Path, claims: int) -> None:
    """A synthetic root, and beside its mkdocs.yml a copy that draws no share images."""
    write_synthetic_root(root, claims)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    without, found = re.subn(
        r"^( *)- factcheck( *#.*)?$", r"\1- factcheck:\n\1    share_images: false", config, count=1, flags=re.M
    )
    if not found:
        raise BenchFailed("the synthetic root's mkdocs.yml does not list the factcheck plugin as '- factcheck'")
    (root / NO_SHARE_CONFIG).write_text(without, encoding="utf-8")


def measure_stage(stage: Stage, root: Path, claims: int, runs: int, interval: float = SAMPLE_INTERVAL) -> Row:
    results = []
    for _ in range(runs):
        shutil.rmtree(root / "site", ignore_errors=True)  # every run builds from nothing
        if stage.images == "cold":
            shutil.rmtree(root / ".cache" / "share", ignore_errors=True)
        command = [sys.executable, "-c", _STAGE_SCRIPT, stage.action, str(root), stage.config]
        results.append(measure(command, interval=interval))
        drawn = (root / "site" / SHARE_DIR).is_dir()
        if stage.builds and drawn != bool(stage.images):
            raise BenchFailed(f"{stage.key}: share images {'drawn' if drawn else 'missing'} in {root / 'site'}")
    return Row(stage, claims, results)


def _revision_here() -> str:
    repo = Path(__file__).resolve().parents[2]
    try:
        head = _git(repo, "rev-parse", "--short", "HEAD").strip()
        dirty = _git(repo, "status", "--porcelain", "--untracked-files=no").strip()
    except BenchFailed:
        return "unknown revision"
    return f"{head}, with uncommitted changes" if dirty else head


def _machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip() + ", "
                break
    return (
        f"{model}{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}, {platform.system()}"
    )


def _load() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def collect(
    sizes: Sequence[int],
    runs: int,
    *,
    stages: Sequence[Stage] = STAGES,
    image_sizes: Sequence[int] | None = None,
    compare_with: str | None = None,
    compare_venv: Path | None = None,
    interval: float = SAMPLE_INTERVAL,
    progress: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True),
) -> Report:
    began = time.perf_counter()
    chosen_images = sorted(set(sizes if image_sizes is None else image_sizes) & set(sizes))
    report = Report(runs, sorted(set(sizes)), chosen_images, interval, _machine(), _revision_here(), _load())
    report.startup = [measure([sys.executable, "-c", "pass"], interval=interval).wall for _ in range(runs)]
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as scratch:
        if compare_with:  # first, so that a revision that cannot be set up fails the run at once
            claims = max(report.sizes)
            report.comparison = compare_revision(
                compare_with, claims, runs, Path(scratch), venv=compare_venv, interval=interval, progress=progress
            )
        for size in report.sizes:
            root = Path(scratch) / f"n{size}"
            prepare_root(root, size)
            facts = report.sites.setdefault(size, SiteFacts(size))
            for stage in stages:
                if stage.images and size not in chosen_images:
                    continue
                row = measure_stage(stage, root, size, runs, interval)
                report.rows.append(row)
                progress(f"{size} claims, {stage.key}: {row.wall:.2f} s, {_mb(row.peak_mb)}")
                if stage.key == "build":
                    facts.pages, facts.site_mb = count_pages(root / "site"), tree_mb(root / "site")
                elif stage.images == "cached":
                    facts.site_images_mb = tree_mb(root / "site")
            shutil.rmtree(root, ignore_errors=True)
    report.load_after = _load()
    report.minutes = (time.perf_counter() - began) / 60
    return report


# --------------------------------------------------------------------------------------------------
# An older revision of this repository, measured in the same run


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchFailed(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def _run(command: Sequence[str], cwd: Path | None = None) -> None:
    result = subprocess.run(list(command), cwd=cwd, env=_child_env(), capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-20:])
        raise BenchFailed(f"{' '.join(command)} exited with {result.returncode}:\n{tail}")


@contextmanager
def _worktree(repo: Path, commit: str, target: Path) -> Iterator[Path]:
    _git(repo, "worktree", "add", "--quiet", "--detach", str(target), commit)
    try:
        yield target
    finally:
        _git(repo, "worktree", "remove", "--force", str(target))


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _prepare_venv(venv: Path, tree: Path) -> str:
    """A virtual environment with the revision's pinned requirements (installed once per requirements
    file) and the revision itself installed in development mode from its worktree."""
    if venv.resolve() == Path(sys.prefix).resolve():
        raise BenchFailed(f"{venv} is the environment running the benchmark; give the comparison its own")
    requirements = tree / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    stamp = venv / f".bench-requirements-{digest}"
    python = _venv_python(venv)
    if stamp.is_file() and python.is_file():
        setup = "an environment kept from an earlier run (--compare-venv), made from its requirements.txt"
    else:
        if not python.is_file():
            _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)])
        stamp.touch()
        setup = "a new environment from its requirements.txt"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    _run([*pip, "--no-build-isolation", "-e", str(tree)])
    _run([str(python), "-m", "compileall", "-q", str(tree / "build_tools")])  # no first-run compilation
    return setup


def compare_revision(
    rev: str,
    claims: int,
    runs: int,
    scratch: Path,
    *,
    venv: Path | None = None,
    interval: float = SAMPLE_INTERVAL,
    progress: Callable[[str], None] = lambda message: None,
) -> Comparison:
    """Build ``claims`` claims with revision ``rev`` of this repository: its own synthetic root
    (``python -m build_tools synth``), its own dependencies, its own ``python -m build_tools build``."""
    repo = Path(_git(Path(__file__).resolve().parent, "rev-parse", "--show-toplevel").strip())
    commit = _git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").strip()
    progress(f"comparison: preparing {rev} ({commit[:10]})")
    with _worktree(repo, commit, scratch / f"rev-{commit[:10]}") as tree:
        setup = _prepare_venv(venv or scratch / "rev-venv", tree)
        python = str(_venv_python(venv or scratch / "rev-venv"))
        root = scratch / f"rev-{commit[:10]}-n{claims}"
        results = []
        for _ in range(runs):
            # A new root each time: that revision writes its generated pages into the root's docs/.
            shutil.rmtree(root, ignore_errors=True)
            _run([python, "-m", "build_tools", "synth", str(claims), str(root)], cwd=tree)
            command = [python, "-m", "build_tools", "build", "--root", str(root)]
            results.append(measure(command, cwd=tree, interval=interval))
        comparison = Comparison(rev, commit, claims, results, count_pages(root / "site"), tree_mb(root / "site"), setup)
        progress(f"comparison: {rev} builds {claims} claims in {comparison.wall:.2f} s, {_mb(comparison.peak_mb)}")
        shutil.rmtree(root, ignore_errors=True)
    return comparison


# --------------------------------------------------------------------------------------------------
# The report


def _mb(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f} MB"


def _s(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def _speed(before: float, after: float) -> str:
    return f"{before / after:.2f}× faster" if after <= before else f"{after / before:.2f}× slower"


def _duration(minutes: float) -> str:
    return f"{minutes * 60:.0f} s" if minutes < 2 else f"{minutes:.0f} min"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _other_work(report: Report) -> str:
    load = report.other_load()
    if load is None:
        return ""
    mean, most = load
    return (
        f"; other work took {_percent(mean)} of the machine's CPU during the measured runs ({_percent(most)} at most)"
    )


def _loads(load: tuple[float, float, float]) -> str:
    return ", ".join(f"{value:.2f}" for value in load)


def targets(report: Report) -> list[tuple[str, str, str]]:
    """(target, measured, met / missed / not measured), from this run's rows."""
    lines: list[tuple[str, str, str]] = []
    missing = f"not measured ({TARGET_CLAIMS:,} claims not in this run)"

    def time_target(name: str, row: Row | None, limit: float) -> None:
        if row is None:
            lines.append((name, "—", missing))
            return
        verdict = "met" if row.wall < limit else f"missed by {_s(row.wall - limit)} ({row.wall / limit - 1:.0%})"
        own = f"; {row.own:.2f} s of it the stage itself" if row.stage.key == "check" else ""
        lines.append((name, f"{_s(row.wall)} (fresh process, start-up included{own})", verdict))

    def memory_target(name: str, row: Row | None) -> None:
        if row is None or row.peak_mb is None:
            lines.append((name, "—", missing if row is None else "not measured (no /proc)"))
            return
        peak = row.peak_mb
        verdict = "met" if peak < MEMORY_TARGET_MB else f"missed by {peak - MEMORY_TARGET_MB:.0f} MB"
        lines.append((name, f"{peak:,.0f} MB ({row.processes} processes)", verdict))

    check = report.row("check", TARGET_CLAIMS)
    time_target(f"`check` of {TARGET_CLAIMS:,} claims under {CHECK_TARGET_S:.0f} s", check, CHECK_TARGET_S)
    builds = [
        ("build", "parallel, no share images"),
        ("images-cached", "share images from the cache"),
        ("images-cold", "share images drawn"),
    ]
    for key, what in builds:
        name = f"bilingual build of {TARGET_CLAIMS:,} claims under {BUILD_TARGET_S:.0f} s ({what})"
        row = report.row(key, TARGET_CLAIMS)
        if row is None and key.startswith("images") and TARGET_CLAIMS in report.sizes:
            lines.append((name, "—", "not measured (share images measured at smaller sizes only)"))
        else:
            time_target(name, row, BUILD_TARGET_S)
    for key, what in [("build", "parallel, no share images"), ("sequential", "one language after the other")]:
        name = f"whole-tree peak memory under {MEMORY_TARGET_MB:.0f} MB (build of {TARGET_CLAIMS:,}, {what})"
        memory_target(name, report.row(key, TARGET_CLAIMS))
    for key, what in [("images-cold", "share images drawn"), ("images-cached", "share images from the cache")]:
        name = f"whole-tree peak memory under {MEMORY_TARGET_MB:.0f} MB (build of {TARGET_CLAIMS:,}, {what})"
        row = report.row(key, TARGET_CLAIMS)
        if row is None and TARGET_CLAIMS in report.sizes:
            lines.append((name, "—", "not measured (share images measured at smaller sizes only)"))
        else:
            memory_target(name, row)
    ratios = linearity(report)
    name = f"linear: t({TARGET_CLAIMS:,})/t({HALF_CLAIMS:,}) at most {LINEARITY_TARGET} for every stage"
    if not ratios:
        lines.append((name, "—", f"not measured ({HALF_CLAIMS:,} and {TARGET_CLAIMS:,} claims not both in this run)"))
    else:
        worst = max(ratios, key=lambda item: item[3])
        over = [key for key, _, _, ratio in ratios if ratio > LINEARITY_TARGET]
        measured = f"worst {worst[3]:.2f} ({worst[0]}); {len(ratios)} stages"
        lines.append((name, measured, "met" if not over else f"missed by {', '.join(over)}"))
    return lines


def linearity(report: Report) -> list[tuple[str, float, float, float]]:
    """(stage, own time at 2,000, at 4,000, ratio) for every stage measured at both."""
    result = []
    for stage in STAGES:
        half, full = report.row(stage.key, HALF_CLAIMS), report.row(stage.key, TARGET_CLAIMS)
        if half is not None and full is not None:
            result.append((stage.key, half.own, full.own, full.own / half.own))
    return result


def render(report: Report) -> str:
    runs = f"{report.runs} run" + ("s" if report.runs != 1 else "")
    skipped = [size for size in report.sizes if size not in report.image_sizes]
    lines = [
        MARK_START,
        "",
        f"Measured by `python -m build_tools.tools.bench` on revision {report.revision}, on {report.machine}.",
        f"Every figure is the median of {runs}; the whole run took {_duration(report.minutes)}. Load average "
        f"(1, 5, 15 min) {_loads(report.load_before)} at the start and {_loads(report.load_after)} at the end"
        f"{_other_work(report)}.",
        "",
        f"A bare `python -c pass` in this environment takes {_s(statistics.median(report.startup))}.",
        "",
        "## Stages",
        "",
        "| stage | claims | wall time, fresh process¹ | imports² | check² | the stage itself² "
        "| peak memory, whole process tree³ | processes⁴ | other work⁵ |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for stage in STAGES:
        for row in (row for row in report.rows if row.stage.key == stage.key):
            lines.append(
                f"| {stage.label} | {row.claims:,} | {_s(row.wall)} | {_s(row.phase('imports'))} "
                f"| {_s(row.phase('check'))} | {_s(row.own)} | {_mb(row.peak_mb)} | {row.processes} "
                f"| {_percent(row.other_load)} |"
            )
    lines += [
        "",
        "1. From starting a new Python interpreter to its exit: start-up, imports, the check the stage needs"
        " and the stage. Each run starts from no built site; the share-image cache is emptied before each"
        " run of the “empty cache” row and left full for the “from the cache” row.",
        "2. As the child process measures them: importing `build_tools` (and MkDocs, for the builds), checking"
        " the content (the builds check it once, as `python -m build_tools build` does), and the stage alone.",
        "3. The largest sum, over one sample, of the proportional set size (PSS, `/proc/PID/smaps_rollup`) of the"
        " stage's process and every process descended from it (the parallel build forks one per language);"
        f" sampled every {report.interval * 1000:.0f} ms. PSS divides each page among the processes that map it,"
        " so the memory the language builds share with their parent counts once; file-backed pages (the"
        " interpreter, libraries) are included. A peak shorter than the interval can be missed.",
        "4. The most processes of that tree alive at one sample.",
        "5. The share of the machine's CPU time (all cores, `/proc/stat`) that processes other than the"
        " benchmark and the measured tree used during the run (median over the runs): what the stage had to share"
        " the machine with.",
    ]
    if skipped and report.image_sizes:
        lines += [
            "",
            f"The share-image rows were measured at {', '.join(f'{size:,}' for size in report.image_sizes)} claims"
            f" only (`--image-sizes`), not at {', '.join(f'{size:,}' for size in skipped)}.",
        ]
    elif skipped:
        lines += ["", "The share-image rows were not measured in this run (`--image-sizes`)."]
    lines += [
        "",
        "## Sites",
        "",
        "| claims | pages (`index.html` files in the built site) | site size, no share images | with share images |",
        "|---:|---:|---:|---:|",
    ]
    for size in report.sizes:
        facts = report.sites.get(size, SiteFacts(size))
        images = _mb(facts.site_images_mb) if facts.site_images_mb is not None else "—"
        lines.append(f"| {size:,} | {facts.pages:,} | {_mb(facts.site_mb)} | {images} |")
    ratios = linearity(report)
    if ratios:
        lines += [
            "",
            f"## Linearity: t({TARGET_CLAIMS:,}) / t({HALF_CLAIMS:,})",
            "",
            "Of each stage's own time (without start-up, imports and the preceding check, which would flatter the"
            " ratio).",
            "",
            f"| stage | {HALF_CLAIMS:,} claims | {TARGET_CLAIMS:,} claims | ratio |",
            "|---|---:|---:|---:|",
        ]
        lines += [f"| {key} | {_s(half)} | {_s(full)} | {ratio:.2f} |" for key, half, full, ratio in ratios]
    comparison = report.comparison
    if comparison is not None:
        after = report.row("build", comparison.claims)
        lines += [
            "",
            f"## Against revision {comparison.rev}",
            "",
            f"Revision {comparison.rev} (`{comparison.commit[:10]}`) checked out in a temporary git worktree,"
            f" with {comparison.setup}; its own `python -m build_tools synth {comparison.claims}` root and its own"
            f" `python -m build_tools build --root DIR`, {runs}, in a fresh process each, measured like the rows"
            " above. It draws no share images, so it is set beside the build without them.",
            "",
            "| revision | claims | pages | wall time, fresh process | peak memory, whole process tree | site size |",
            "|---|---:|---:|---:|---:|---:|",
            f"| {comparison.rev} (before) | {comparison.claims:,} | {comparison.pages:,} | {_s(comparison.wall)} "
            f"| {_mb(comparison.peak_mb)} | {_mb(comparison.site_mb)} |",
        ]
        if after is not None:
            facts = report.sites.get(comparison.claims, SiteFacts(comparison.claims))
            lines.append(
                f"| {report.revision} (after) | {after.claims:,} | {facts.pages:,} | {_s(after.wall)} "
                f"| {_mb(after.peak_mb)} | {_mb(facts.site_mb)} |"
            )
            lines += [
                "",
                f"Before: {_s(comparison.wall)}, after: {_s(after.wall)} ({_speed(comparison.wall, after.wall)}),"
                " same machine, same run.",
            ]
    lines += ["", "## Against the targets", "", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {name} | {measured} | {verdict} |" for name, measured, verdict in targets(report)]
    lines += ["", MARK_END]
    return "\n".join(lines) + "\n"


def write_report(path: Path, generated: str) -> None:
    """Replace the generated part of ``path`` (between the marks), keeping what is written around it."""
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        start, end = text.find(MARK_START), text.find(MARK_END)
        if start != -1 and end > start:
            path.write_text(text[:start] + generated.rstrip("\n") + text[end + len(MARK_END) :], encoding="utf-8")
            return
    path.write_text("# Benchmarks\n\n" + generated, encoding="utf-8")


def benchmark(sizes: list[int], runs: int, anchor: bool = True) -> str:
    """The report as Markdown (what ``python -m build_tools bench`` prints); ``anchor=False`` leaves out
    the build with the languages one after the other."""
    stages = STAGES if anchor else tuple(stage for stage in STAGES if stage.key != "sequential")
    return render(collect(sizes, runs, stages=stages))


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("give claim counts separated by commas") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give positive claim counts")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools.tools.bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--sizes", type=_sizes, default=list(DEFAULT_SIZES), help="claim counts (default: 500,2000,4000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of every row; the median is reported (default: 3)")
    parser.add_argument(
        "--image-sizes", type=_sizes, help="measure the share-image rows at these sizes only (default: every size)"
    )
    parser.add_argument("--no-sequential", action="store_true", help="leave out the build without parallelism")
    parser.add_argument("--compare-with", metavar="REV", help="also build the largest size with revision REV")
    parser.add_argument(
        "--compare-venv",
        type=Path,
        metavar="DIR",
        help="virtual environment for REV, created if missing and kept (default: a temporary one)",
    )
    parser.add_argument(
        "--interval", type=float, default=SAMPLE_INTERVAL * 1000, help="ms between memory samples (default: 25)"
    )
    parser.add_argument("-o", "--output", type=Path, help="write the report into this Markdown file")
    args = parser.parse_args(argv)
    stages = tuple(stage for stage in STAGES if not (args.no_sequential and stage.key == "sequential"))
    try:
        report = collect(
            args.sizes,
            max(args.runs, 1),
            stages=stages,
            image_sizes=args.image_sizes,
            compare_with=args.compare_with,
            compare_venv=args.compare_venv,
            interval=max(args.interval, 1.0) / 1000,
        )
    except BenchFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = render(report)
    if args.output:
        write_report(args.output, text)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
