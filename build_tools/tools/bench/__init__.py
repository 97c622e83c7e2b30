"""Measure the engine's stages on synthetic roots of N claims, each stage in a fresh process.

What each row is, and what it counts:

- **Wall time** runs from starting a new Python interpreter to its exit: interpreter start-up, the
  imports, the content check the stage needs and the stage itself. The child also reports how long its
  imports, its check and its stage took, so every second is accounted for.
- **Peak memory** is sampled from /proc while the stage runs: the sum of the proportional set size
  (PSS, ``/proc/PID/smaps_rollup``) of the stage's process and of every process descended from it (the
  build forks one per language after the first, which it builds itself). PSS divides each page among
  the processes that map it, so memory the language builds share with their parent counts once. A
  peak shorter than the sampling interval can be missed.
- **Every row is the median of the same number of runs**; pages are the ``index.html`` files counted
  in the built site.

The stages, the headline first: the build in the default configuration (share images drawn) from an
empty image cache, as a fresh CI runner pays it, then with the cache that run left, then without share
images; the same build with the languages one after the other (so the gain of the parallel build has
its own row); ``render`` (every page generated in memory); ``check``. Beside them, at every size, Hugo
builds the same content (``hugo.py``) in the same run, and the built site's bytes are sorted into
their parts (``sitebytes.py``). ``--large`` adds 25,000 claims. ``--compare-with REV`` also builds the
largest root up to 4,000 claims with an older revision of this repository (its own synthetic root, its
own dependencies), in the same run.

``python -m build_tools.tools.bench`` takes every option; ``make bench`` runs it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from build_tools.content.resolve import check_root
from build_tools.problems import visible
from build_tools.site.write import UnsafeOutput, refuse_unsafe_file
from build_tools.tools.bench.compare import _git, compare_revision
from build_tools.tools.bench.hugo import count_pages, measure_hugo, tree_mb
from build_tools.tools.bench.measure import (
    DEFAULT_SIZES,
    LARGE_CLAIMS,
    SAMPLE_INTERVAL,
    TARGET_CLAIMS,
    BenchFailed,
    _mb,
    _s,
    measure,
)
from build_tools.tools.bench.preview import measure_preview
from build_tools.tools.bench.report import not_a_report, render, write_report
from build_tools.tools.bench.sitebytes import measure_site
from build_tools.tools.bench.stages import STAGES, Report, SiteFacts, Stage, measure_stage, prepare_root


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
    preview: bool = True,
    hugo: bool = True,
    progress: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True),
) -> Report:
    began = time.perf_counter()
    chosen_images = sorted(set(sizes if image_sizes is None else image_sizes) & set(sizes))
    report = Report(runs, sorted(set(sizes)), chosen_images, interval, _machine(), _revision_here(), _load())
    report.startup = [measure([sys.executable, "-c", "pass"], interval=interval).wall for _ in range(runs)]
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as scratch:
        if compare_with:  # first, so that a revision that cannot be set up fails the run at once
            # At the largest size up to 4,000 claims: --large need not build 25,000 with the old revision.
            claims = max([size for size in report.sizes if size <= TARGET_CLAIMS] or report.sizes)
            report.comparison = compare_revision(
                compare_with, claims, runs, Path(scratch), venv=compare_venv, interval=interval, progress=progress
            )
        for size in report.sizes:
            root = Path(scratch) / f"n{size}"
            prepare_root(root, size)
            facts = report.sites.setdefault(size, SiteFacts(size))
            if hugo:
                dataset = check_root(root).dataset
                if dataset is None:
                    raise BenchFailed(f"the synthetic root of {size} claims does not pass check")
                found = report.hugo[size] = measure_hugo(dataset, Path(scratch) / f"hugo-n{size}", runs, interval)
                del dataset
                progress(f"{size} claims, hugo: {found.missing or _s(found.wall)}")
                shutil.rmtree(Path(scratch) / f"hugo-n{size}", ignore_errors=True)
            for stage in stages:
                if stage.images and size not in chosen_images:
                    continue
                row = measure_stage(stage, root, size, runs, interval)
                report.rows.append(row)
                progress(f"{size} claims, {stage.key}: {row.wall:.2f} s, {_mb(row.peak_mb)}")
                if stage.key == "build":
                    facts.pages, facts.site_mb = count_pages(root / "site"), tree_mb(root / "site")
                    if facts.bytes is None:  # the site with share images is measured instead when built
                        facts.bytes = measure_site(root / "site", size)
                elif stage.images == "cached":
                    facts.site_images_mb = tree_mb(root / "site")
                    facts.bytes = measure_site(root / "site", size)
            # The live preview as a contributor runs it (default configuration, images from the cache
            # the builds left); its target is at 4,000 claims, and larger roots would only add minutes.
            if preview and size <= TARGET_CLAIMS:
                result = measure_preview(root, size, runs, "mkdocs.yml", interval)
                report.previews.append(result)
                progress(
                    f"{size} claims, preview: first page after {result.startup:.1f} s,"
                    f" edit shown after {result.latency:.2f} s"
                )
            shutil.rmtree(root, ignore_errors=True)
    report.load_after = _load()
    report.minutes = (time.perf_counter() - began) / 60
    return report


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
    parser.add_argument(
        "--compare-with", metavar="REV", help="also build the largest size up to 4,000 claims with revision REV"
    )
    parser.add_argument(
        "--compare-venv",
        type=Path,
        metavar="DIR",
        help="virtual environment for REV, created if missing and kept (default: a temporary one)",
    )
    parser.add_argument(
        "--interval", type=float, default=SAMPLE_INTERVAL * 1000, help="ms between memory samples (default: 25)"
    )
    parser.add_argument("--no-preview", action="store_true", help="leave out the live preview's latency")
    parser.add_argument("--no-hugo", action="store_true", help="leave out Hugo's build of the same content")
    parser.add_argument(
        "--large", action="store_true", help=f"also measure {LARGE_CLAIMS:,} claims (minutes; not for CI)"
    )
    parser.add_argument("-o", "--output", type=Path, help="write the report into this Markdown file")
    args = parser.parse_args(argv)
    stages = tuple(stage for stage in STAGES if not (args.no_sequential and stage.key == "sequential"))
    sizes = sorted(set(args.sizes) | ({LARGE_CLAIMS} if args.large else set()))
    image_sizes = args.image_sizes
    if image_sizes is not None and args.large:
        image_sizes = sorted(set(image_sizes) | {LARGE_CLAIMS})
    if args.output and not _output_allowed(args.output):  # before minutes of measuring
        return 2
    try:
        report = collect(
            sizes,
            max(args.runs, 1),
            stages=stages,
            image_sizes=image_sizes,
            compare_with=args.compare_with,
            compare_venv=args.compare_venv,
            interval=max(args.interval, 1.0) / 1000,
            preview=not args.no_preview,
            hugo=not args.no_hugo,
        )
    except BenchFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    text = render(report)
    if args.output:
        if not _output_allowed(args.output):
            return 2
        try:
            write_report(args.output, text)
        except OSError as exc:
            print(f"error: --output: cannot write {args.output}: {exc.strerror}; nothing was written", file=sys.stderr)
            return 2
    sys.stdout.write(text)
    return 0


def _output_allowed(output: Path) -> bool:
    """The report may be written there: not over content (of the current folder's root or any
    other), not through a link or a hard link, and over no existing file but a report of its own."""
    try:
        refuse_unsafe_file(output, Path.cwd(), accept=not_a_report)
    except (UnsafeOutput, OSError) as exc:
        reason = str(exc) if isinstance(exc, UnsafeOutput) else f"cannot read {output}: {exc.strerror}"
        print(f"error: --output: {visible(reason)}; nothing was written", file=sys.stderr)
        return False
    return True
