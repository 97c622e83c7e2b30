"""The score of each module after `make mutation`: mutmut's results in mutants/, less the mutants judged
equivalent in tests/mutation_equivalent.txt (one a line: the mutant's name, then why no test can tell it
from the code). A module whose mutants did not all run is marked partial, with how many ran and the
95 % interval of its score, which holds when the mutants tried are a random sample
(tests/mutation_sample.py).

    python tests/mutation_report.py [--markdown]

Exits 1 when a module misses its target (90 % in the content core, 80 % elsewhere), or when the list
calls a mutant equivalent that the tests kill (the list is stale)."""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).parent.parent
TARGETS = {"build_tools.content": 0.90, "build_tools.site": 0.80}
# mutmut's exit codes (mutmut.stats.status_by_exit_code): what each means for the score.
KILLED = {1: "killed", 3: "killed", 24: "timeout", -24: "timeout", 36: "timeout", 152: "timeout", 255: "timeout"}
CAUGHT = 37  # rejected by mypy --strict, which `make test` runs
SURVIVED = 0
NOT_RUN = {None, 33, 5, 34}  # not checked, no tests, skipped


def equivalent_mutants(listing: Path) -> set[str]:
    """The names in the list: the first word of each line that is neither blank nor a comment."""
    lines = listing.read_text(encoding="utf-8").splitlines()
    return {line.split()[0] for line in lines if line.strip() and not line.startswith("#")}


def results(mutants: Path) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for meta in sorted(mutants.glob("build_tools/**/*.py.meta")):
        found |= json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return found


def wilson_interval(successes: int, trials: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion: sound near 100 %, where the normal one is not."""
    share = successes / trials
    centre = share + z * z / (2 * trials)
    margin = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    scale = 1 + z * z / trials
    return (centre - margin) / scale, (centre + margin) / scale


def module_of(mutant: str) -> str:
    return mutant.split(".x", 1)[0]


def main(argv: list[str], repo: Path = REPO) -> int:
    markdown = "--markdown" in argv
    equivalent = equivalent_mutants(repo / "tests/mutation_equivalent.txt")
    counts: dict[str, Counter[str]] = {}
    survivors: list[str] = []
    stale: list[str] = []
    for mutant, code in sorted(results(repo / "mutants").items()):
        count = counts.setdefault(module_of(mutant), Counter())
        count["all"] += 1
        if code in NOT_RUN:
            continue
        count["total"] += 1
        if code == SURVIVED:
            count["equivalent" if mutant in equivalent else "survived"] += 1
            if mutant not in equivalent:
                survivors.append(mutant)
        elif code == CAUGHT:
            count["caught"] += 1
        elif code in KILLED:
            count["killed"] += 1
            stale += [mutant] if mutant in equivalent else []
        else:
            count["suspicious"] += 1
            survivors.append(mutant)
    failed = bool(stale)
    if markdown:
        print("| module | ran | killed by tests | caught by mypy | survived | equivalent | score | target |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for module, count in counts.items():
        name = module.removeprefix("build_tools.")
        if not count["total"]:
            print(f"| {name} | 0 of {count['all']} | | | | | not run | |" if markdown else f"{name:20} not run")
            continue
        ran = "all" if count["total"] == count["all"] else f"{count['total']} of {count['all']} (partial)"
        target = next(value for prefix, value in TARGETS.items() if module.startswith(prefix))
        scored = count["total"] - count["equivalent"]
        killed = count["killed"] + count["caught"]
        score = killed / scored if scored else 1.0
        failed |= score < target
        if ran != "all" and scored:
            low, high = wilson_interval(killed, scored)
            ran += f", 95 % interval {low:.1%}–{high:.1%} if a random sample"
        survived = count["survived"] + count["suspicious"]
        if markdown:
            print(
                f"| {name} | {ran} | {count['killed']} | {count['caught']} | {survived} | "
                f"{count['equivalent']} | {killed}/{scored} = {score:.1%} | {target:.0%} |"
            )
        else:
            print(
                f"{name:20} {killed:4}/{scored:<4} {score:6.1%} (target {target:.0%}; tests {count['killed']}, "
                f"mypy {count['caught']}, survived {survived}, "
                f"equivalent {count['equivalent']}; ran {ran})"
            )
    if not markdown:
        for mutant in survivors:
            print(f"survived: {mutant}")
        for mutant in stale:
            print(f"mutation_equivalent.txt calls {mutant} equivalent, but the tests kill it")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
