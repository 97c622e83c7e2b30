"""How long one share image takes to draw, and how large it is: a measurement run by hand.

``python -m build_tools.tools.share_timing 250`` draws the share image of every claim of a synthetic
root of 250 claims, in both its languages, in this process, a few rounds over, and prints the CPU
time per image (this process's own, so that other work on the machine slows it less than the
clock) and the PNG's size. Run it from the tree whose engine is measured; the images are not
written anywhere.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from build_tools.content.resolve import check_root
from build_tools.site import share
from build_tools.tools.synth import write_synthetic_root


def measure(claims: int, rounds: int) -> str:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "root"
        write_synthetic_root(root, claims)
        result = check_root(root)
    if result.dataset is None:
        raise SystemExit(f"the synthetic root does not check: {result.problems[:1]}")
    dataset = result.dataset
    claims_shown = dataset.claims.values()
    cards = [share.claim_card(dataset, claim, language) for language in dataset.languages for claim in claims_shown]
    share.draw(cards[0])  # the fonts are loaded once, before any round
    per_image: list[float] = []
    sizes: list[int] = []
    for _ in range(rounds):
        start = time.process_time()
        sizes = [len(share.draw(card)) for card in cards]
        per_image.append((time.process_time() - start) * 1000 / len(cards))
    rounds_text = ", ".join(f"{value:.2f}" for value in per_image)
    return (
        f"{len(cards)} images, {rounds} rounds: CPU ms per image {rounds_text} (median"
        f" {statistics.median(per_image):.2f}); bytes per image: mean {statistics.mean(sizes):,.0f},"
        f" largest {max(sizes):,}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("claims", type=int, help="claims in the synthetic root (two images each)")
    parser.add_argument("--rounds", type=int, default=3, help="times every image is drawn")
    args = parser.parse_args(argv)
    print(measure(args.claims, args.rounds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
