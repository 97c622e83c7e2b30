"""Claimants as data: who makes the claims, as fact-check databases identify them.

``data/claimants.yml`` lists them (a person, an organisation, or the seed article itself); a claim
names its claimant's record with ``claimant_ref``. The claim's own ``claimant`` text stays what
readers see; the record is what ClaimReview's ``itemReviewed.author`` says.
"""

from __future__ import annotations

import difflib

from build_tools.content.load import Document
from build_tools.content.model import Claim, Claimant, Claimants
from build_tools.problems import Problem


def claimant_index(doc: Document | None, registry: Claimants | None) -> tuple[dict[str, Claimant], list[Problem]]:
    """The registry by id, and a problem for each id used twice."""
    found: dict[str, Claimant] = {}
    problems: list[Problem] = []
    for index, claimant in enumerate(registry.claimants if registry else []):
        if claimant.id in found and doc is not None:
            problems.append(
                doc.problem(("claimants", index, "id"), "duplicate-id", f"id '{claimant.id}' is used twice")
            )
        found[claimant.id] = claimant
    return found, problems


def claimant_problems(doc: Document, claim: Claim, claimants: dict[str, Claimant], has_registry: bool) -> list[Problem]:
    ref = claim.claimant_ref
    if ref is None or ref in claimants:
        return []
    if not has_registry:
        return [doc.problem(("claimant_ref",), "unknown-claimant", f"no data/claimants.yml holds '{ref}'")]
    close = difflib.get_close_matches(ref, list(claimants), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return [doc.problem(("claimant_ref",), "unknown-claimant", f"no claimant with id '{ref}'{hint}")]
