"""Publishers as data: who each cited outlet is, and how independent origins are counted.

A content root may list its outlets in ``data/publishers.yml``. Once it does, every source names its
publisher, and the agencies whose reporting it republishes, by id from that list; ``check`` refuses
any other name (and says which id was meant when the name is one of the list's, spelled another
way), and readers see each outlet's name, kind and country, and which are state-affiliated, with the
page that says so. Without the file, publishers are free names, as a new root starts.

Origins are counted by who reported a fact, not by who printed it: a page that republishes an
agency's dispatch counts as that agency, so five copies of one wire story are one origin.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from build_tools.content.fields import origin_key
from build_tools.content.load import Document
from build_tools.content.model import Claim, Options, Publisher, Publishers, Source, Timeline
from build_tools.problems import Problem

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Outlet:
    """A publisher as readers see it: its record when the root has a registry, else its name alone."""

    ref: str
    name: str
    record: Publisher | None = None

    @property
    def state_affiliated(self) -> bool:
        return self.record is not None and self.record.state_affiliated is not None


@dataclass(frozen=True)
class PublisherIndex:
    """Publisher ids (or names, without a registry) → outlets. Equal when the registries are."""

    registry: Publishers | None

    @functools.cached_property
    def records(self) -> dict[str, Publisher]:
        return {publisher.id: publisher for publisher in self.registry.publishers} if self.registry else {}

    def outlet(self, ref: str) -> Outlet:
        record = self.records.get(ref)
        return Outlet(ref, record.name if record else " ".join(ref.split()), record)

    def origins(self, claim: Claim) -> list[Outlet]:
        """The independent origins of the sources that support or contradict ``claim``, by name."""
        return sorted((self.outlet(ref) for ref in claim.independent_origins()), key=lambda o: o.name.casefold())


def registry_problems(doc: Document, registry: Publishers) -> list[Problem]:
    """Each outlet once: no id twice, and no name twice in any spelling (case, spaces, width)."""
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for index, publisher in enumerate(registry.publishers):
        first = ids.setdefault(publisher.id, index)
        if first != index:
            message = f"id '{publisher.id}' is used twice"
            problems.append(doc.problem(("publishers", index, "id"), "duplicate-id", message))
        first = names.setdefault(origin_key(publisher.name), index)
        if first != index:
            other = registry.publishers[first].id
            problems.append(
                doc.problem(
                    ("publishers", index, "name"),
                    "duplicate-publisher",
                    f"'{publisher.name}' is already the name of '{other}'; one outlet has one record",
                )
            )
    return problems


def reference_problems(doc: Document, record: Any, index: PublisherIndex) -> list[Problem]:
    """With a registry, a problem for every source of ``record`` whose publisher or agency is not one
    of its ids."""
    if index.registry is None:
        return []
    by_name = {origin_key(publisher.name): publisher.id for publisher in index.records.values()}
    problems = []
    for loc, source in cited_sources(record):
        refs: list[tuple[Loc, str]] = [((*loc, "publisher"), source.publisher)]
        if isinstance(source.agency, list):
            refs += [((*loc, "agency", i), agency) for i, agency in enumerate(source.agency)]
        elif source.agency is not None:
            refs.append(((*loc, "agency"), source.agency))
        for ref_loc, ref in refs:
            if ref not in index.records:
                problems.append(doc.problem(ref_loc, "unknown-publisher", _unknown(ref, index, by_name)))
    return problems


def _unknown(ref: str, index: PublisherIndex, by_name: dict[str, str]) -> str:
    named = by_name.get(origin_key(ref))
    if named is not None:
        return f"'{ref}' is the name of the publisher '{named}' in data/publishers.yml; write its id, '{named}'"
    close = difflib.get_close_matches(ref, list(index.records), n=1)
    hint = f"; did you mean '{close[0]}'?" if close else "; add it to data/publishers.yml"
    return f"no publisher with id '{ref}'{hint}"


def cited_sources(record: Any) -> Iterator[tuple[Loc, Source]]:
    """Every source a record cites, with where it stands in the record's file."""
    if isinstance(record, Claim):
        yield from ((("sources", i), source) for i, source in enumerate(record.sources))
        for n, note in enumerate(record.since):
            yield from ((("since", n, "sources", i), source) for i, source in enumerate(note.sources))
    elif isinstance(record, Timeline):
        for n, event in enumerate(record.events):
            yield from ((("events", n, "sources", i), source) for i, source in enumerate(event.sources))
    elif isinstance(record, Options):
        for n, scenario in enumerate(record.scenarios):
            for m, note in enumerate(scenario.since):
                yield from ((("scenarios", n, "since", m, "sources", i), s) for i, s in enumerate(note.sources))
