"""The stages measured, the roots they run on, and the records of a run."""

from __future__ import annotations

import re
import shutil
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.tools.bench.hugo import HugoResult
from build_tools.tools.bench.measure import (
    NO_SHARE_CONFIG,
    SAMPLE_INTERVAL,
    SHARE_DIR,
    BenchFailed,
    Run,
    _median_of,
    measure,
)
from build_tools.tools.bench.preview import PreviewResult
from build_tools.tools.bench.sitebytes import SiteBytes
from build_tools.tools.synth import write_synthetic_root

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


# The headline first, as a user meets it: the default configuration from an empty image cache (a fresh
# CI runner), then with the cache that run left, then without share images; "images-cached" needs
# "images-cold" before it.
STAGES = (
    Stage(
        "images-cold", "build, default configuration, share images drawn (empty cache)", "build", "mkdocs.yml", "cold"
    ),
    Stage(
        "images-cached", "build, default configuration, share images from the cache", "build", "mkdocs.yml", "cached"
    ),
    Stage("build", "build, languages in parallel, no share images", "build"),
    Stage("sequential", "build, languages one after the other, no share images", "build-sequential"),
    Stage("render", "render: every page generated in memory", "render"),
    Stage("check", "check", "check"),
)
HEADLINE = ("images-cold", "images-cached", "build")


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
    bytes: SiteBytes | None = None  # what the bytes are, of the site with share images when measured


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
    previews: list[PreviewResult] = field(default_factory=list)
    hugo: dict[int, HugoResult] = field(default_factory=dict)
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
