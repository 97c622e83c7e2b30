"""The report in Markdown: the rows, the comparison with the older revision, and the targets."""

from __future__ import annotations

import statistics
from pathlib import Path

from build_tools.content.confine import replace_file
from build_tools.tools.bench.measure import (
    BUILD_TARGET_S,
    CHECK_TARGET_S,
    HALF_CLAIMS,
    LINEARITY_TARGET,
    MARK_END,
    MARK_START,
    MEMORY_TARGET_MB,
    PREVIEW_TARGET_S,
    TARGET_CLAIMS,
    _mb,
    _s,
)
from build_tools.tools.bench.stages import STAGES, Report, Row, SiteFacts

# --------------------------------------------------------------------------------------------------
# The report


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
        processes = f"{row.processes} process" + ("es" if row.processes != 1 else "")
        lines.append((name, f"{peak:,.0f} MB ({processes})", verdict))

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
    preview = next((result for result in report.previews if result.claims == TARGET_CLAIMS), None)
    name = f"live preview of {TARGET_CLAIMS:,} claims: an edited claim served under {PREVIEW_TARGET_S:.0f} s"
    if preview is None or not preview.latencies:
        lines.append((name, "—", missing))
    else:
        slowest = max(preview.latencies)
        measured = f"{_s(preview.latency)} (median of {len(preview.latencies)} edits; slowest {_s(slowest)})"
        late = preview.latency - PREVIEW_TARGET_S
        lines.append((name, measured, "met" if late < 0 else f"missed by {_s(late)}"))
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
    if report.previews:
        lines += [
            "",
            "## Live preview",
            "",
            "`python -m build_tools serve` on the synthetic root (no share images), in a fresh process. The"
            " benchmark saves one claim file at a time (its English summary changed), then asks the server for that"
            " claim's page every 50 ms until it shows the new summary: the time from the save to that response,"
            " which includes the server noticing the change (it polls every 0.25 s), checking the root and the"
            " rebuild. The claims index and the search index are read at that moment.",
            "",
            "| claims | first page served after (full build) | save → edited page served, median | slowest "
            "| index and search updated with it | peak memory, whole process tree | other work |",
            "|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for result in report.previews:
            followed = f"{sum(result.followed)} of {len(result.followed)}"
            lines.append(
                f"| {result.claims:,} | {_s(result.startup)} | {_s(result.latency)} | {_s(max(result.latencies))} "
                f"| {followed} | {_mb(result.peak_mb)} | {_percent(result.other_load)} |"
            )
    lines += ["", "## Against the targets", "", "| target | measured | result |", "|---|---|---|"]
    lines += [f"| {name} | {measured} | {verdict} |" for name, measured, verdict in targets(report)]
    lines += ["", MARK_END]
    return "\n".join(lines) + "\n"


#: The first line of every report the benchmark writes: a file that starts otherwise is someone's.
HEADING = "# Benchmarks\n"


def not_a_report(path: Path) -> str | None:
    """Why the existing file ``path`` is not one the benchmark wrote, or None if it is."""
    with path.open("rb") as stream:
        start = stream.read(len(HEADING))
    if start != HEADING.encode("utf-8"):
        return f"exists and is not a benchmark report (it does not start with '{HEADING.strip()}')"
    return None


def write_report(path: Path, generated: str) -> None:
    """Replace the generated part of ``path`` (between the marks), keeping what is written around it;
    the file is written as a new one renamed over the old, never through a link."""
    if path.is_file() and not path.is_symlink():
        text = path.read_text(encoding="utf-8")
        start, end = text.find(MARK_START), text.find(MARK_END)
        if start != -1 and end > start:
            replace_file(path, text[:start] + generated.rstrip("\n") + text[end + len(MARK_END) :])
            return
    replace_file(path, f"{HEADING}\n{generated}")
