"""When a live preview may keep a listing page as it was rendered last time.

A listing page (home, claims index, sources, an article's pages...) is rendered from its page
type's values (``Listings``), its title, introduction and explainer menu, the site's plan, and
whatever claims its template looks up in the ``claims`` mapping every template is given. The
renderer hands each listing template a ``ReadClaims`` that notes which claims it read (all of them
when it iterates or counts them); what a render read is kept beside the page (``ListingInputs``),
and the next version's page is taken as it was when none of that changed. Everything else a listing
template reads (verdicts, topics, catalogues, seeds, publishers, the site's settings) is the same by
the time the renderer asks (``pages._same_claim_context``), as for claim pages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from build_tools.content.model import Claim


class ReadClaims(Mapping[str, Claim]):
    """The site's claims as a listing template sees them, noting what it reads: the ids it looked
    up, or that it read them all (iterated over them, counted them)."""

    def __init__(self, claims: Mapping[str, Claim]) -> None:
        self._claims = claims
        self.ids: set[str] = set()
        self.everything = False

    def __getitem__(self, claim_id: str) -> Claim:
        self.ids.add(claim_id)  # an unknown id too: its later appearance changes what the page shows
        return self._claims[claim_id]

    def __iter__(self) -> Iterator[str]:
        self.everything = True
        return iter(self._claims)

    def __len__(self) -> int:
        self.everything = True
        return len(self._claims)


@dataclass(frozen=True)
class ListingInputs:
    """What one render of a listing page read, besides what every page of the language shares."""

    context: tuple[Any, ...]  # the template's own values, title, introduction, explainer, modified...
    claim_ids: frozenset[str]  # the claims it looked up by id
    every_claim: bool  # whether it read every claim (then any change of a claim renders it again)

    @classmethod
    def of(cls, context: tuple[Any, ...], read: ReadClaims) -> ListingInputs:
        return cls(context, frozenset(read.ids), read.everything)


@dataclass(frozen=True)
class ClaimChanges:
    """How the claims changed from one version of the content to the next."""

    changed: frozenset[str]  # added, removed or edited
    same_order: bool  # the same ids in the same order (what iterating over them gives)

    @classmethod
    def between(cls, old: Mapping[str, Claim], new: Mapping[str, Claim]) -> ClaimChanges:
        changed = {claim_id for claim_id, claim in new.items() if old.get(claim_id) != claim}
        changed |= old.keys() - new.keys()
        return cls(frozenset(changed), list(old) == list(new))

    def leave(self, earlier: ListingInputs, now: tuple[Any, ...]) -> bool:
        """Whether a page whose last render read ``earlier`` shows the same with ``now`` as its context."""
        if earlier.context != now:
            return False
        if earlier.every_claim:
            return self.same_order and not self.changed
        return earlier.claim_ids.isdisjoint(self.changed)
