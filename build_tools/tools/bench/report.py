"""The report in Markdown: the rows, the comparison with the older revision, and the targets."""

from __future__ import annotations

import statistics
from pathlib import Path

from build_tools.content.confine import replace_file
from build_tools.tools.bench.measure import MARK_END, MARK_START, _bytes, _mb, _s
from build_tools.tools.bench.sitebytes import PARTS
from build_tools.tools.bench.stages import HEADLINE, STAGES, Report, SiteFacts
from build_tools.tools.bench.targets import linearity, targets

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


def _hugo_cell(report: Report, claims: int) -> tuple[str, float | None]:
    hugo = report.hugo.get(claims)
    if hugo is None:
        return "not measured (--no-hugo)", None
    if hugo.wall is None:
        return f"not measured: {hugo.missing}", None
    return f"{_s(hugo.wall)} ({hugo.pages:,} pages, {_bytes(hugo.site_mb * 1e6)})", hugo.wall


def _headline(report: Report) -> list[str]:
    """The builds as a user meets them, each beside Hugo's build of the same content in this run."""
    lines = [
        "",
        "## Headline",
        "",
        "The default configuration from an empty share-image cache (what a fresh CI runner pays), then with the"
        " cache that build left, then without share images; each beside Hugo building the same content in the"
        " same run (one page per claim and language, a list of the claims and the other page types in each"
        " language, a minimal layout: head, title, navigation, main; no search index, no share images).",
        "",
        "| build | claims | wall time, fresh process | peak memory, whole process tree | Hugo, same content "
        "| ratio to Hugo | site size | per claim (both languages) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size in report.sizes:
        hugo_text, hugo_wall = _hugo_cell(report, size)
        facts = report.sites.get(size, SiteFacts(size))
        for key in HEADLINE:
            row = report.row(key, size)
            if row is None:
                continue
            site_mb = facts.site_mb if key == "build" else facts.site_images_mb
            size_text = _bytes(site_mb * 1e6) if site_mb else "—"
            per_claim = f"{site_mb * 1000 / size:,.1f} KB" if site_mb else "—"
            ratio = f"{row.wall / hugo_wall:.1f}×" if hugo_wall else "—"
            lines.append(
                f"| {row.stage.label} | {size:,} | {_s(row.wall)} | {_mb(row.peak_mb)} | {hugo_text} | {ratio} "
                f"| {size_text} | {per_claim} |"
            )
    versions = sorted({hugo.version for hugo in report.hugo.values() if hugo.version})
    if versions:
        lines += [
            "",
            f"Hugo: `{'`, `'.join(versions)}`, `hugo --quiet` from no built site, measured like the rows; its page"
            " count includes the page it writes at `/fr/` to send readers of the default language to `/`.",
        ]
    return lines


def _hugo_bytes(report: Report, claims: int) -> str:
    hugo = report.hugo.get(claims)
    if hugo is None or hugo.wall is None:
        return ""
    return (
        f" Hugo's site of the same content: {_bytes(hugo.site_mb * 1e6)}, {hugo.site_mb * 1000 / claims:,.1f} KB per"
        " claim (no search index, no share images)."
    )


def _site_parts(report: Report) -> list[str]:
    """What the built site's bytes are, at the largest size measured, share images included when drawn."""
    measured = [facts for facts in report.sites.values() if facts.bytes is not None]
    if not measured:
        return []
    facts = max(measured, key=lambda found: (found.bytes is not None and found.bytes.images, found.claims))
    found = facts.bytes
    assert found is not None
    images = "with share images" if found.images else "without share images (none drawn at this size)"
    lines = [
        "",
        "## What the bytes are",
        "",
        f"The built site of {found.claims:,} claims, {images}: {_bytes(found.total)},"
        f" {found.per_claim() / 1000:,.1f} KB per claim (both languages). A claim page's own content is Material's"
        " content element; the rest of the page is the theme's chrome, repeated on every page."
        + _hugo_bytes(report, found.claims),
        "",
        "| part | size | per claim | share |",
        "|---|---:|---:|---:|",
    ]
    for part in sorted(PARTS, key=lambda name: -found.parts.get(name, 0)):
        size = found.parts.get(part, 0)
        share = size / found.total if found.total else 0.0
        lines.append(f"| {part} | {_bytes(size)} | {found.per_claim(part) / 1000:,.1f} KB | {share:.0%} |")
    return lines


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
        *_headline(report),
        *_site_parts(report),
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
        " stage's process and every process descended from it (the parallel build forks one per language"
        " after the first, which it builds itself);"
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
            "## Linearity: t(2N) / t(N)",
            "",
            "Of each stage's own time (without start-up, imports and the preceding check, which would flatter the"
            " ratio), between two consecutive sizes from 2,000 claims up. Where the larger is not twice the smaller,"
            " t(2N)/t(N) is 2^k for the growth t ∝ N^k through both figures.",
            "",
            "| stage | claims | own time | claims | own time | t(2N)/t(N) |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {key} | {small:,} | {_s(first)} | {large:,} | {_s(second)} | {ratio:.2f} |"
            for key, small, large, first, second, ratio in ratios
        ]
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
            "`python -m build_tools serve` on the synthetic root (default configuration: share images on, their"
            " cache left by the builds above), in a fresh process, up to 4,000 claims. The"
            " benchmark saves one claim file at a time (its English summary changed), then asks the server for that"
            " claim's page every 50 ms until it shows the new summary: the time from the save to that response,"
            " which includes the server noticing the change (it polls every 0.25 s), checking the root and the"
            " rebuild with the claim's share image. The claims index and the search index are read at that"
            " moment.",
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
