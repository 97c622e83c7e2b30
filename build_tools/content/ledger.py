"""The source ledger (data/ledger.yml): for every cited address and quote, what the last watch of
the page found, so the site knows without the network when its sources were last verified.

``watch`` writes it; ``check`` validates it like every data file, and warns when a source a claim
rests on changed after the claim was last reviewed. Entries are sorted by address, then quote key,
and written one field a line, so a pull request's diff shows exactly which citation changed.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, Field

from build_tools.content.fields import HttpUrl, IsoDate, Record
from build_tools.content.quotes import fold
from build_tools.problems import Problem

if TYPE_CHECKING:  # load reads the table of kinds, which names this module's model
    from build_tools.content.load import Document, Loc

LEDGER_FILE = "data/ledger.yml"
WatchStatus = Literal["present", "changed", "moved", "gone", "unreadable", "unreachable", "unverified"]
#: What an editor must look at: the quote is no longer where the claim says it is.
NEEDS_REVIEW: frozenset[str] = frozenset({"changed", "moved", "gone", "unreadable"})
QuoteKey = Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
TextDigest = Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]


class LedgerEntry(Record):
    """What the last watch found of one quote on one page."""

    address: HttpUrl = Field(description="The address cited (a source's 'url').")
    quote: QuoteKey = Field(
        description="Which quote of that page: the first 16 hex digits of the SHA-256 of the quote, folded as "
        "quotes are compared (typography and white space)."
    )
    status: WatchStatus = Field(
        description="present: the quote is on the page; changed: the page answers without it; moved: the address "
        "redirects elsewhere; gone: 404, 410 or no such host; unreadable: no article text (a paywall, a script-only "
        "page, another media type); unreachable: no answer after retries; unverified: never watched."
    )
    status_on: IsoDate | None = Field(
        None, description="The day the watch first found this status (kept while it lasts); null when unverified."
    )
    present_on: IsoDate | None = Field(None, description="The last day the quote was seen on the page.")
    text_digest: TextDigest | None = Field(None, description="SHA-256 of the page's article text as extracted.")
    closest: str | None = Field(None, description="changed: the passage of the page closest to the quote.")
    similarity: Annotated[float, Field(ge=0, le=1)] | None = Field(
        None, description="changed: how alike the quote and that passage are, from 0 to 1."
    )
    moved_to: str | None = Field(None, description="moved: where the address led.")
    detail: str | None = Field(None, description="What the watch, or the person who verified it, saw.")


class Ledger(Record):
    """The source ledger (data/ledger.yml), written by ``python -m build_tools watch``."""

    citations: list[LedgerEntry] = Field(description="One entry per cited address and quote, sorted.")

    @cached_property
    def by_citation(self) -> dict[tuple[str, str], LedgerEntry]:
        """The entries by (address, quote key), built once: every claim looks its sources up here."""
        return {(entry.address, entry.quote): entry for entry in self.citations}


def quote_key(quote: str) -> str:
    return hashlib.sha256(fold(quote).encode("utf-8")).hexdigest()[:16]


def text_digest(text: str) -> str:
    return "sha256:" + hashlib.sha256(fold(text).encode("utf-8")).hexdigest()


# The editor's link to the schema, as every data file has it on its first line (kept as the file has it).
MODELINE = "# yaml-language-server: $schema=../schema/ledger.schema.json\n"
_HEADER = (
    "# The source ledger: what the last watch of each cited page found (python -m build_tools watch).\n"
    "# Written by that command, sorted; edit by hand only to record a check made another way.\n"
)


def ledger_text(entries: list[LedgerEntry], modeline: str = MODELINE) -> str:
    ordered = sorted(entries, key=lambda entry: (entry.address, entry.quote))
    rows = [entry.model_dump(exclude_none=True) for entry in ordered]
    body = yaml.safe_dump({"citations": rows}, allow_unicode=True, sort_keys=False, width=1_000_000)
    return modeline + _HEADER + body


def cited(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str, str]]:
    """Every (location, address, quote) a record cites: any mapping with a 'url' and a 'quote'."""
    if isinstance(data, dict):
        url, quote = data.get("url"), data.get("quote")
        if isinstance(url, str) and isinstance(quote, str) and url != "unknown":
            yield loc, url, quote
        for key, value in data.items():
            yield from cited(value, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from cited(value, (*loc, index))


@dataclass(frozen=True)
class Verification:
    """What a claim page says of its sources: when they were last verified, how many quoted passages
    it cites, how many of them were ever checked, and how many were on their pages when last checked."""

    date: str
    present: int
    checked: int
    total: int


def verification(ledger: Ledger | None, record: BaseModel) -> Verification | None:
    """From the ledger alone (no network); None when none of the record's quotes was ever watched."""
    if ledger is None:
        return None
    entries = ledger.by_citation
    pairs = {(url, quote_key(quote)) for _, url, quote in cited(record.model_dump())}
    seen = [entry for pair in pairs if (entry := entries.get(pair)) is not None and entry.status != "unverified"]
    dates = [day for entry in seen for day in (entry.present_on, entry.status_on) if day is not None]
    if not dates:
        return None
    return Verification(max(dates), sum(entry.status == "present" for entry in seen), len(seen), len(pairs))


def status_changes(before: Any, after: Any) -> dict[str, int]:
    """How many citations went from one status to another ("present → changed"), between two ledgers
    as loaded; a citation that appears counts from "new", one that leaves goes to "removed". A status
    that is none of the ledger's is counted as "invalid", never copied (check reports it, located)."""
    known = get_args(WatchStatus)

    def statuses(data: Any) -> dict[tuple[str, str], str]:
        rows = data.get("citations") if isinstance(data, dict) else None
        rows = rows if isinstance(rows, list) else []
        return {
            (str(row.get("address")), str(row.get("quote"))): row["status"] if row.get("status") in known else "invalid"
            for row in rows
            if isinstance(row, dict)
        }

    old, new = statuses(before), statuses(after)
    counts = Counter(f"{old.get(key, 'new')} → {status}" for key, status in new.items() if old.get(key) != status)
    counts.update(f"{status} → removed" for key, status in old.items() if key not in new)
    return dict(sorted(counts.items()))


def ledger_problems(doc: Document, ledger: Ledger) -> list[Problem]:
    """Each citation once; the dates a status needs."""
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(ledger.citations):
        first = seen.setdefault((entry.address, entry.quote), index)
        if first != index:
            problems.append(
                doc.problem(("citations", index), "duplicate-citation", f"citation {first + 1} is the same")
            )
        if entry.status != "unverified" and entry.status_on is None:
            problems.append(doc.problem(("citations", index, "status"), "ledger-date", "status_on is missing"))
        if entry.status == "present" and entry.present_on is None:
            problems.append(doc.problem(("citations", index), "ledger-date", "a present quote has a present_on date"))
    return problems


def review_warnings(ledger: Ledger, doc: Document, reviewed_on: str) -> list[Problem]:
    """A warning at every source of a claim whose page changed after the claim's last review."""
    entries = ledger.by_citation
    problems = []
    for loc, url, quote in cited(doc.data):
        entry = entries.get((url, quote_key(quote)))
        if entry is None or entry.status not in NEEDS_REVIEW or (entry.status_on or "") <= reviewed_on:
            continue
        problems.append(
            Problem(
                doc.path,
                *doc.mark((*loc, "url")),
                "source-changed",
                f"{url} → {entry.status} since {entry.status_on}, after the claim's review on {reviewed_on} "
                f"({LEDGER_FILE}); read the source again and review the claim",
                "warning",
            )
        )
    return problems
