"""When a live preview may keep a listing page as it was rendered last time.

A listing page (home, claims index, sources, an article's pages...) is rendered from its page
type's values (``Listings``), its title, introduction and explainer menu, the site's plan, and
whatever claims its template looks up in the ``claims`` mapping every template is given. The
renderer hands each listing template a ``ReadClaims`` that notes which claims it read (all of them
when it iterates or counts them); what a render read is kept beside the page (``ListingInputs``),
and the next version's page is taken as it was when none of that changed. Everything else a listing
template reads (verdicts, topics, catalogues, seeds, publishers, the site's settings) is the same by
the time the renderer asks (``pages._same_claim_context``), as for claim pages.

A page that must be rendered again (the claims index, after any edit of a claim) may still keep the
pieces its template wrote with ``memo(macro, *args)``: a macro's output is taken from the last
render when its arguments are equal and no claim it looked up changed (``Fragments``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from build_tools.content.model import Claim


class ReadClaims(Mapping[str, Claim]):
    """The site's claims as a listing template sees them, noting what it reads: the ids it looked
    up, or that it read them all (iterated over them, counted them)."""

    def __init__(self, claims: Mapping[str, Claim]) -> None:
        self._claims = claims
        self.ids: set[str] = set()
        self.everything = False
        self._pieces: list[_Read] = []  # the pieces being written (``Fragments``), innermost last

    def __getitem__(self, claim_id: str) -> Claim:
        self.ids.add(claim_id)  # an unknown id too: its later appearance changes what the page shows
        for piece in self._pieces:
            piece.ids.add(claim_id)
        return self._claims[claim_id]

    def __iter__(self) -> Iterator[str]:
        self._read_all()
        return iter(self._claims)

    def __len__(self) -> int:
        self._read_all()
        return len(self._claims)

    def _read_all(self) -> None:
        self.everything = True
        for piece in self._pieces:
            piece.everything = True

    def note(self, claim_ids: frozenset[str], everything: bool) -> None:
        """Count as read what a piece kept from the last render read when it was written."""
        self.ids |= claim_ids
        for piece in self._pieces:
            piece.ids |= claim_ids
        if everything:
            self._read_all()

    def begin_piece(self) -> None:
        self._pieces.append(_Read())

    def end_piece(self) -> _Read:
        return self._pieces.pop()


@dataclass
class _Read:
    ids: set[str] = field(default_factory=set)
    everything: bool = False


@dataclass(frozen=True)
class ListingInputs:
    """What one render of a listing page read, besides what every page of the language shares."""

    context: tuple[Any, ...]  # the template's own values, title, introduction, explainer, modified...
    claim_ids: frozenset[str]  # the claims it looked up by id
    every_claim: bool  # whether it read every claim (then any change of a claim renders it again)
    pieces: Mapping[Hashable, Piece] = field(default_factory=dict, compare=False)  # what ``memo`` wrote

    @classmethod
    def of(cls, context: tuple[Any, ...], read: ReadClaims, fragments: Fragments | None = None) -> ListingInputs:
        return cls(context, frozenset(read.ids), read.everything, fragments.written if fragments else {})


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


@dataclass(frozen=True)
class Piece:
    args: tuple[Any, ...]
    html: Markup
    claim_ids: frozenset[str]
    every_claim: bool


class Fragments:
    """``memo(macro, *args)`` for a listing template: the macro's output, taken from the page's last
    render when that render had the same context (``earlier``), the arguments are equal and no
    claim the macro looked up has changed since; what it read is noted as if it had run."""

    def __init__(self, read: ReadClaims, earlier: Mapping[Hashable, Piece], changes: ClaimChanges | None) -> None:
        self.read, self.earlier, self.changes = read, earlier, changes
        self.written: dict[Hashable, Piece] = {}

    def __call__(self, macro: Callable[..., Any], *args: Any) -> Markup:
        # A record is known by its id; other arguments by their value (unhashable ones: never kept).
        key = (getattr(macro, "name", None), *(getattr(arg, "id", arg) for arg in args))
        try:
            kept = self.earlier.get(key)
        except TypeError:
            return Markup(macro(*args))
        if kept is None or not self._still(kept, args):
            self.read.begin_piece()
            try:
                html = Markup(macro(*args))
            finally:
                reads = self.read.end_piece()
            kept = Piece(args, html, frozenset(reads.ids), reads.everything)
        else:  # what the macro read, the page read
            self.read.note(kept.claim_ids, kept.every_claim)
        self.written[key] = kept
        return kept.html

    def _still(self, kept: Piece, args: tuple[Any, ...]) -> bool:
        changes = self.changes
        if changes is None or len(kept.args) != len(args):
            return False
        if not all(old is new or old == new for old, new in zip(kept.args, args, strict=True)):
            return False
        if kept.every_claim:
            return changes.same_order and not changes.changed
        return kept.claim_ids.isdisjoint(changes.changed)
