"""A random sample of one module's mutants, for a mutation run too long to try them all.

    make mutation MUTANTS="$(python tests/mutation_sample.py build_tools.site.pages 80)"

The names come from mutants/ (any earlier `make mutation` writes every module's mutants there); the
choice is seeded, so the same command names the same mutants. tests/mutation_report.py marks such a
module partial and gives the 95 % interval of its score, which holds only for a random sample like this
one, not for a run stopped early (mutmut tries the cheapest mutants first). A second draw among the
mutants not tried yet (--untried, another seed) enlarges the sample, which stays a random one."""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from mutation_report import REPO, module_of, results


def main(argv: list[str], repo: Path = REPO) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("module", help="a module's dotted name, such as build_tools.site.pages")
    parser.add_argument("count", type=int, help="how many mutants to draw")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--untried", action="store_true", help="draw among the mutants not tried yet, to enlarge an earlier sample"
    )
    args = parser.parse_args(argv)
    found = results(repo / "mutants")
    names = sorted(name for name, code in found.items() if module_of(name) == args.module)
    if args.untried:
        names = [name for name in names if found[name] is None]
    if not names:
        print(f"no mutants of {args.module} in {repo / 'mutants'}; run `make mutation` once first", file=sys.stderr)
        return 2
    chosen = random.Random(args.seed).sample(names, min(args.count, len(names)))
    print(" ".join(sorted(chosen)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
