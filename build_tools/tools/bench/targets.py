"""The targets the report judges, each from this run's figures: met, missed (by how much) or not measured."""

from __future__ import annotations

import itertools
import math

from build_tools.tools.bench.measure import (
    CACHED_TARGET_S,
    CHECK_TARGET_S,
    COLD_TARGET_S,
    HALF_CLAIMS,
    HUGO_FACTOR,
    LARGE_CACHED_TARGET_S,
    LARGE_CLAIMS,
    LARGE_MEMORY_TARGET_MB,
    LINEARITY_TARGET,
    MEMORY_TARGET_MB,
    PER_CLAIM_TARGET_KB,
    PREVIEW_TARGET_S,
    SITE_TARGET_MB,
    TARGET_CLAIMS,
    _s,
)
from build_tools.tools.bench.stages import STAGES, Report, Row

Target = tuple[str, str, str]  # (target, measured, met / missed by … / not measured …)


def doubling(claims: tuple[int, int], seconds: tuple[float, float]) -> float:
    """t(2N)/t(N) of a stage measured at two sizes that need not be one twice the other: the growth
    t ∝ N^k fitted through both points gives 2^k (exactly t2/t1 when N2 = 2 N1)."""
    (small, large), (before, after) = claims, seconds
    return float(2 ** (math.log(after / before) / math.log(large / small)))


def linearity(report: Report) -> list[tuple[str, int, int, float, float, float]]:
    """(stage, N1, N2, own time at N1, at N2, t(2N)/t(N)) for every stage measured at two consecutive
    sizes from 2,000 claims up: smaller roots are mostly what does not grow with the claims."""
    sizes = [size for size in report.sizes if size >= HALF_CLAIMS]
    result = []
    for stage in STAGES:
        for small, large in itertools.pairwise(sizes):
            first, second = report.row(stage.key, small), report.row(stage.key, large)
            if first is not None and second is not None:
                ratio = doubling((small, large), (first.own, second.own))
                result.append((stage.key, small, large, first.own, second.own, ratio))
    return result


def _missed(value: float, limit: float, unit: str = "s") -> str:
    if value < limit:
        return "met"
    over = _s(value - limit) if unit == "s" else f"{value - limit:,.{1 if unit == 'KB' else 0}f} {unit}"
    return f"missed by {over} ({value / limit - 1:.0%})"


def _time(lines: list[Target], name: str, found: tuple[Row | None, str], limit: float) -> None:
    row, missing = found
    if row is None:
        lines.append((name, "—", missing))
        return
    own = f"; {row.own:.2f} s of it the stage itself" if row.stage.key == "check" else ""
    lines.append((name, f"{_s(row.wall)} (fresh process, start-up included{own})", _missed(row.wall, limit)))


def _memory(lines: list[Target], name: str, found: tuple[Row | None, str], limit: float) -> None:
    row, missing = found
    if row is None or row.peak_mb is None:
        lines.append((name, "—", missing if row is None else "not measured (no /proc)"))
        return
    processes = f"{row.processes} process" + ("es" if row.processes != 1 else "")
    lines.append((name, f"{row.peak_mb:,.0f} MB ({processes})", _missed(row.peak_mb, limit, "MB")))


def targets(report: Report) -> list[Target]:
    lines: list[Target] = []
    n, large = f"{TARGET_CLAIMS:,}", f"{LARGE_CLAIMS:,}"
    missing = f"not measured ({n} claims not in this run)"
    missing_large = f"not measured ({large} claims not in this run: --large)"
    no_images = "not measured (share images measured at other sizes only)"

    def row(key: str, claims: int) -> tuple[Row | None, str]:
        found = report.row(key, claims)
        if found is None and claims in report.sizes and key.startswith("images"):
            return None, no_images
        return found, missing if claims == TARGET_CLAIMS else missing_large

    _time(lines, f"`check` of {n} claims under {CHECK_TARGET_S:.0f} s", row("check", TARGET_CLAIMS), CHECK_TARGET_S)
    name = f"{n} claims, default configuration, empty image cache, under {COLD_TARGET_S:.0f} s"
    _time(lines, name, row("images-cold", TARGET_CLAIMS), COLD_TARGET_S)
    name = f"{n} claims, default configuration, image cache full, under {CACHED_TARGET_S:.0f} s"
    _time(lines, name, row("images-cached", TARGET_CLAIMS), CACHED_TARGET_S)
    lines.append(_against_hugo(report))
    for key, what in (
        ("images-cold", "share images drawn"),
        ("images-cached", "share images from the cache"),
        ("build", "parallel, no share images"),
        ("sequential", "one language after the other"),
    ):
        name = f"whole-tree peak memory under {MEMORY_TARGET_MB:.0f} MB (build of {n}, {what})"
        _memory(lines, name, row(key, TARGET_CLAIMS), MEMORY_TARGET_MB)
    name = f"{large} claims, default configuration, image cache full, under {LARGE_CACHED_TARGET_S / 60:.0f} min"
    _time(lines, name, row("images-cached", LARGE_CLAIMS), LARGE_CACHED_TARGET_S)
    name = f"{large} claims: whole-tree peak memory under {LARGE_MEMORY_TARGET_MB / 1000:.0f} GB (image cache full)"
    _memory(lines, name, row("images-cached", LARGE_CLAIMS), LARGE_MEMORY_TARGET_MB)
    lines.append(_linear(report))
    lines += _site(report)
    lines.append(_preview(report, missing))
    return lines


def _against_hugo(report: Report) -> Target:
    name = (
        f"{TARGET_CLAIMS:,} claims without share images within {HUGO_FACTOR:.0f}× Hugo's time (same content, same run)"
    )
    ours, hugo = report.row("build", TARGET_CLAIMS), report.hugo.get(TARGET_CLAIMS)
    if ours is None or hugo is None:
        return name, "—", f"not measured ({TARGET_CLAIMS:,} claims not in this run)"
    if hugo.wall is None:
        return name, _s(ours.wall), f"not measured: {hugo.missing}"
    ratio = ours.wall / hugo.wall
    measured = f"{_s(ours.wall)} against {_s(hugo.wall)}: {ratio:.1f}×"
    return (
        name,
        measured,
        "met" if ratio <= HUGO_FACTOR else f"missed by {ratio - HUGO_FACTOR:.1f}× ({ratio / HUGO_FACTOR - 1:.0%})",
    )


def _linear(report: Report) -> Target:
    name = f"linear: t(2N)/t(N) at most {LINEARITY_TARGET} for every stage, {HALF_CLAIMS:,} to {LARGE_CLAIMS:,} claims"
    ratios = linearity(report)
    if not ratios:
        return name, "—", f"not measured (fewer than two sizes from {HALF_CLAIMS:,} claims up in this run)"
    worst = max(ratios, key=lambda item: item[5])
    spans = sorted({f"{small:,} → {large:,}" for _, small, large, *_ in ratios})
    measured = f"worst {worst[5]:.2f} ({worst[0]}, {worst[1]:,} → {worst[2]:,})"
    measured += f"; {len(ratios)} stage rows over {', '.join(spans)}"
    over = sorted(
        {f"{key} ({small:,} → {large:,})" for key, small, large, _, _, ratio in ratios if ratio > LINEARITY_TARGET}
    )
    return name, measured, "met" if not over else f"missed by {', '.join(over)}"


def _site(report: Report) -> list[Target]:
    lines: list[Target] = []
    name = f"site of {LARGE_CLAIMS:,} claims with share images under {SITE_TARGET_MB / 1000:.0f} GB (GitHub Pages)"
    facts = report.sites.get(LARGE_CLAIMS)
    if facts is None or facts.site_images_mb is None:
        lines.append((name, "—", f"not measured ({LARGE_CLAIMS:,} claims with share images not in this run: --large)"))
    else:
        lines.append((name, f"{facts.site_images_mb:,.0f} MB", _missed(facts.site_images_mb, SITE_TARGET_MB, "MB")))
    name = f"under {PER_CLAIM_TARGET_KB:.0f} KB per claim, both languages, share images included"
    # Judged from 4,000 claims up: on a smaller site the theme's assets, the same at any size, dominate.
    measured_sites = [
        facts
        for facts in report.sites.values()
        if facts.bytes is not None and facts.bytes.images and facts.claims >= TARGET_CLAIMS
    ]
    if not measured_sites:
        missing = f"not measured (no site of {TARGET_CLAIMS:,} claims or more with share images in this run)"
        lines.append((name, "—", missing))
    else:
        largest = max(measured_sites, key=lambda facts: facts.claims)
        assert largest.bytes is not None
        per_claim = largest.bytes.per_claim() / 1000
        measured = f"{per_claim:,.1f} KB per claim at {largest.claims:,} claims"
        lines.append((name, measured, _missed(per_claim, PER_CLAIM_TARGET_KB, "KB")))
    return lines


def _preview(report: Report, missing: str) -> Target:
    name = f"live preview of {TARGET_CLAIMS:,} claims, default configuration: an edited claim served"
    name += f" under {PREVIEW_TARGET_S:.0f} s"
    preview = next((result for result in report.previews if result.claims == TARGET_CLAIMS), None)
    if preview is None or not preview.latencies:
        return name, "—", missing
    edits = f"{len(preview.latencies)} edit" + ("s" if len(preview.latencies) != 1 else "")
    measured = f"{_s(preview.latency)} (median of {edits}; slowest {_s(max(preview.latencies))})"
    return name, measured, _missed(preview.latency, PREVIEW_TARGET_S)
