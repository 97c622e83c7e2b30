"""The score of each module after `make mutation`: mutmut's results in mutants/, less the mutants that
MUTATION.md judges equivalent (each named there in backquotes, with its reason).

    python tests/mutation_report.py [--markdown]

Exits 1 when a module misses its target (90 % in the content core, 80 % elsewhere), or when MUTATION.md
calls a mutant equivalent that the tests kill (the list is stale)."""

from __future__ import annotations

import json
import re
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


def equivalent_mutants(document: Path) -> set[str]:
    return set(re.findall(r"`(build_tools\.[\w.ǁ]+__mutmut_\d+)`", document.read_text(encoding="utf-8")))


def results(mutants: Path) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for meta in sorted(mutants.glob("build_tools/**/*.py.meta")):
        found |= json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return found


def module_of(mutant: str) -> str:
    return mutant.split(".x", 1)[0]


def main(argv: list[str]) -> int:
    markdown = "--markdown" in argv
    equivalent = equivalent_mutants(REPO / "MUTATION.md")
    counts: dict[str, Counter[str]] = {}
    survivors: list[str] = []
    stale: list[str] = []
    for mutant, code in sorted(results(REPO / "mutants").items()):
        if code in NOT_RUN:
            continue
        count = counts.setdefault(module_of(mutant), Counter())
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
        print("| module | killed by tests | caught by mypy | survived | equivalent | score | target |")
        print("|---|---:|---:|---:|---:|---:|---:|")
    for module, count in counts.items():
        target = next(value for prefix, value in TARGETS.items() if module.startswith(prefix))
        scored = count["total"] - count["equivalent"]
        killed = count["killed"] + count["caught"]
        score = killed / scored if scored else 1.0
        failed |= score < target
        name = module.removeprefix("build_tools.")
        if markdown:
            print(
                f"| {name} | {count['killed']} | {count['caught']} | {count['survived'] + count['suspicious']} | "
                f"{count['equivalent']} | {killed}/{scored} = {score:.1%} | {target:.0%} |"
            )
        else:
            print(
                f"{name:20} {killed:4}/{scored:<4} {score:6.1%} (target {target:.0%}; tests {count['killed']}, "
                f"mypy {count['caught']}, survived {count['survived'] + count['suspicious']}, "
                f"equivalent {count['equivalent']})"
            )
    if not markdown:
        for mutant in survivors:
            print(f"survived: {mutant}")
        for mutant in stale:
            print(f"MUTATION.md calls {mutant} equivalent, but the tests kill it")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
