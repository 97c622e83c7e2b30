"""Load a whole content root, validate every record, and resolve what records say of each other."""

from __future__ import annotations

import difflib
import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from build_tools.content.catalogue import Catalogue, load_catalogues
from build_tools.content.claimants import claimant_index, claimant_problems
from build_tools.content.confine import cache_problems, tree_problems
from build_tools.content.dataset import CheckResult, Dataset, SeedArticle
from build_tools.content.kinds import DATA_KINDS, RESERVED_CLAIM_IDS, DataKind
from build_tools.content.load import Discovered, Document, discover, load_yaml_text, read_text
from build_tools.content.model import (
    Claim,
    Claimants,
    Faq,
    Options,
    Publishers,
    Seed,
    Site,
    Timeline,
    Topics,
    VerdictScale,
)
from build_tools.content.pages import hand_written_problems
from build_tools.content.publishers import PublisherIndex, reference_problems, registry_problems
from build_tools.content.quotes import NormalizedText, invisible_differences, line_col, normalize
from build_tools.content.siteconfig import config_problems
from build_tools.content.validate import check_claim_rules, check_seed_rules, localized_problems, validate_document
from build_tools.problems import Problem, has_errors

M = TypeVar("M", bound=BaseModel)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    # Loading builds hundreds of thousands of small objects and no reference cycles; the
    # collector's repeated scans of them cost a third of the time and could free nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class BadSourceDateEpoch(ValueError):
    """SOURCE_DATE_EPOCH is set to something other than a whole number of seconds."""


def today_utc(environ: Mapping[str, str] = os.environ) -> date:
    """What ``check`` calls today: the UTC date of SOURCE_DATE_EPOCH when it is set, else of the clock.

    Never the local date: the same content gets the same answer in every time zone.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC).date()
    try:
        return datetime.fromtimestamp(int(epoch), UTC).date()
    except (ValueError, OverflowError, OSError):
        raise BadSourceDateEpoch(
            f"SOURCE_DATE_EPOCH is {epoch!r}; it must be a whole number of seconds since 1970-01-01 UTC"
        ) from None


class LoadCache:
    """Records as loaded and validated, by file and text. A live preview checks the whole root
    after every edit; a file whose text is unchanged need not be parsed and validated again."""

    def __init__(self) -> None:
        self.entries: dict[str, tuple[str, Document | None, BaseModel | None, list[Problem]]] = {}
        self.texts: dict[str, NormalizedText] = {}  # seed texts, normalized for quote matching
        self.configs: dict[str, list[Problem]] = {}  # MkDocs' verdict on mkdocs.yml, by its text

    def normalized(self, text: str) -> NormalizedText:
        found = self.texts.get(text)
        if found is None:
            found = self.texts[text] = normalize(text)
        return found


def check_root(root: Path, today: date | None = None, cache: LoadCache | None = None) -> CheckResult:
    """Load, validate and resolve a content root; ``dataset`` is None when there are errors.

    Dates after ``today`` are refused; by default it is ``today_utc()``.
    """
    with _without_cycle_collection():
        result = _check_root(root, today or today_utc(), cache or LoadCache())
    # A link out of the root is found by the walk and again by the reader that meets it: say it once.
    return replace(result, problems=list(dict.fromkeys(result.problems)))


def _check_root(root: Path, today: date, cache: LoadCache) -> CheckResult:
    found = discover(root)
    problems = tree_problems(root) + cache_problems(root) + config_problems(root, cache.configs) + found.problems
    problems += hand_written_problems(root)

    def load(rel: str, model: type[M]) -> tuple[Document | None, M | None]:
        return _load(root, rel, model, problems, cache)

    data = {kind.name: load(found.data[kind.name], kind.model) for kind in _present(found)}
    # The site's languages decide which translations every record needs; without a valid
    # data/site.yml those checks wait, and everything else is still reported.
    site_doc, site = data.get("site", (None, None))
    languages: dict[str, str] = {}
    catalogues: dict[str, Catalogue] = {}
    if isinstance(site, Site) and site_doc is not None:
        languages = {language.code: language.name for language in site.languages}
        first_of: dict[str, int] = {}
        for index, language in enumerate(site.languages):
            first = first_of.setdefault(language.code, index)
            if first != index:
                problems.append(
                    site_doc.problem(
                        ("languages", index, "code"),
                        "duplicate-language",
                        f"'{language.code}' is already language {first + 1} of the site; each language is listed once",
                    )
                )
        catalogues, catalogue_problems = load_catalogues(root, site.languages, site_doc)
        problems += catalogue_problems
    for doc, record in data.values():
        if doc is not None and record is not None and languages:
            problems += localized_problems(doc, record, languages)
    publishers_doc, registry = data.get("publishers", (None, None))[0], _record(data, "publishers", Publishers)
    if publishers_doc is not None and registry is not None:
        problems += registry_problems(publishers_doc, registry)
    publishers = PublisherIndex(registry)  # a registry that does not load is reported; references wait for it
    claimants_doc = data.get("claimants", (None, None))[0]
    claimants, claimant_duplicates = claimant_index(claimants_doc, _record(data, "claimants", Claimants))
    problems += claimant_duplicates
    for doc, record in data.values():
        if doc is not None and record is not None:
            problems += reference_problems(doc, record, publishers)

    seeds: dict[str, SeedArticle] = {}
    for rel in found.seeds:
        doc, seed = load(rel, Seed)
        if doc is None or seed is None:
            continue
        problems += check_seed_rules(doc, seed, Path(rel).stem)
        text_rel = str(Path(rel).with_suffix(".txt"))
        text, text_problems = read_text(root, text_rel)
        problems += text_problems
        if text is not None:
            seeds[seed.id] = SeedArticle(seed, rel, text_rel, cache.normalized(text))

    claims: dict[str, tuple[Document, Claim]] = {}
    for rel in found.claims:
        doc, claim = load(rel, Claim)
        if doc is not None and claim is not None:
            problems += check_claim_rules(doc, claim, Path(rel).stem, today)
            problems += reference_problems(doc, claim, publishers)
            problems += claimant_problems(doc, claim, claimants, claimants_doc is not None)
            if languages:  # no valid data/site.yml: the site's languages are unknown
                problems += localized_problems(doc, claim, languages)
            claims[claim.id] = (doc, claim)

    scale_doc, scale = data.get("verdicts", (None, None))
    topics_doc, topics = data.get("topics", (None, None))
    if not isinstance(scale, VerdictScale) or not isinstance(topics, Topics) or scale_doc is None or topics_doc is None:
        return CheckResult(None, problems)

    # References resolve against the claim files present, so one broken file is reported once, not
    # again by every record that points at it.
    claim_files = {Path(rel).stem for rel in found.claims}
    resolver = _Resolver(seeds, claims, claim_files, scale_doc, scale, topics_doc, topics, languages, publishers)
    problems += resolver.check_claims()
    if isinstance(site, Site) and site_doc is not None:
        problems += resolver.check_references(site_doc, ("key_findings",), site.key_findings)
    # Timeline events, FAQ questions and scenarios all carry an id and the claims they rest on.
    for kind, key in (("timeline", "events"), ("faq", "questions"), ("options", "scenarios")):
        listing_doc, listing = data.get(kind, (None, None))
        if listing_doc is not None and listing is not None:
            problems += resolver.check_listing(listing_doc, key, getattr(listing, key))
    options_doc, options = data.get("options", (None, None))[0], _record(data, "options", Options)
    if options is not None and options_doc is not None:
        problems += resolver.locate_scenarios(options_doc, options)

    if has_errors(problems) or not isinstance(site, Site):
        return CheckResult(None, problems)
    ordered = dict(sorted((claim_id, claim) for claim_id, (_, claim) in claims.items()))
    return CheckResult(
        Dataset(
            root=root,
            site=site,
            catalogues=catalogues,
            seeds=seeds,
            claims=ordered,
            claim_paths={claim_id: doc.path for claim_id, (doc, _) in claims.items()},
            quote_spans=resolver.quote_spans,
            scale=scale,
            verdicts=resolver.verdicts,
            topics=resolver.topics,
            timeline=_record(data, "timeline", Timeline),
            faq=_record(data, "faq", Faq),
            options=options,
            scenario_spans=resolver.scenario_spans,
            publishers=publishers,
            claimants=claimants,
        ),
        problems,
    )


def _record(data: dict[str, tuple[Document | None, BaseModel | None]], kind: str, model: type[M]) -> M | None:
    record = data.get(kind, (None, None))[1]
    return record if isinstance(record, model) else None


def _present(found: Discovered) -> list[DataKind]:
    return [kind for kind in DATA_KINDS if kind.name in found.data]


def _load(
    root: Path, rel: str, model: type[M], problems: list[Problem], cache: LoadCache
) -> tuple[Document | None, M | None]:
    text, read_problems = read_text(root, rel)
    if text is None:
        problems += read_problems
        return None, None
    key = f"{model.__name__}:{rel}"
    known = cache.entries.get(key)
    if known is not None and known[0] == text:
        _, doc, record, found = known
    else:
        doc, found = load_yaml_text(text, rel)
        record = None
        if doc is not None:
            record, record_problems = validate_document(doc, model)
            found = found + record_problems
        cache.entries[key] = (text, doc, record, found)
    problems += found
    return doc, record if isinstance(record, model) else None


class _Resolver:
    """Cross-record rules. Each is a lookup in a dict built once: cost stays linear in claims."""

    def __init__(
        self,
        seeds: dict[str, SeedArticle],
        claims: dict[str, tuple[Document, Claim]],
        claim_files: set[str],
        scale_doc: Document,
        scale: VerdictScale,
        topics_doc: Document,
        topics: Topics,
        languages: dict[str, str],
        publishers: PublisherIndex,
    ) -> None:
        self.seeds, self.claims, self.claim_files = seeds, claims, claim_files
        self.publishers = publishers
        self.languages = languages
        self.best, self.worst = scale.best_rating, scale.worst_rating
        self.problems: list[Problem] = []
        self.verdicts = self._unique(scale_doc, "verdicts", [(v.id, v) for v in scale.verdicts])
        self.topics = self._unique(topics_doc, "topics", [(t.id, t) for t in topics.topics])
        self._check_scale(scale_doc, scale)
        self.quote_spans: dict[str, tuple[int, int]] = {}
        self.scenario_spans: dict[str, tuple[int, int]] = {}

    def _unique(self, doc: Document, key: str, items: list[tuple[str, M]]) -> dict[str, M]:
        seen: dict[str, M] = {}
        for index, (item_id, item) in enumerate(items):
            if item_id in seen:
                self.problems.append(doc.problem((key, index, "id"), "duplicate-id", f"id '{item_id}' is used twice"))
            seen[item_id] = item
        return seen

    def _check_scale(self, doc: Document, scale: VerdictScale) -> None:
        low, high = scale.worst_rating, scale.best_rating
        for index, verdict in enumerate(scale.verdicts):
            loc = ("verdicts", index, "rating_value")
            value = verdict.rating_value
            if value is None and verdict.checkable and verdict.requires_sources:
                self.problems.append(doc.problem(loc, "rating", "a rated, sourced verdict needs a rating_value"))
            if value is not None and not low <= value <= high:
                self.problems.append(doc.problem(loc, "rating", f"rating_value must lie between {low} and {high}"))
            if not verdict.checkable and value is not None:
                self.problems.append(doc.problem(loc, "rating", "a verdict that is not checkable has no rating"))

    def check_claims(self) -> list[Problem]:
        problems = self.problems
        seen_quotes: dict[tuple[str, str], str] = {}
        for claim_id, (doc, claim) in self.claims.items():
            verdict = self.verdicts.get(claim.verdict)
            if verdict is None:
                problems.append(self._unknown(doc, ("verdict",), "verdict", claim.verdict, self.verdicts))
            elif verdict.requires_sources and not claim.sources:
                problems.append(
                    doc.problem(("verdict",), "no-source", f"verdict '{claim.verdict}' needs at least one source")
                )
            elif verdict.rating_value in (self.best, self.worst) and len(origins := self.publishers.origins(claim)) < 2:
                # The method: an "accurate" or "inaccurate" verdict rests on two independent origins where
                # two exist; a second page of the same agency's story is not one.
                found = origins[0].name if origins else "none among the sources that support or contradict it"
                problems.append(
                    replace(
                        doc.problem(
                            ("sources",),
                            "single-origin",
                            f"'{claim.verdict}' rests on fewer than two independent origins ({found}); cite a "
                            "second where one exists (pages that republish one agency's story count once)",
                        ),
                        severity="warning",
                    )
                )
            problems += [
                self._unknown(doc, ("history", i, "verdict"), "verdict", entry.verdict, self.verdicts)
                for i, entry in enumerate(claim.history)
                if entry.verdict not in self.verdicts
            ]
            if claim.topic not in self.topics:
                problems.append(self._unknown(doc, ("topic",), "topic", claim.topic, self.topics))
            problems += self._id_and_dates(doc, claim)
            problems += self._claim_refs(doc, ("related",), claim.related)
            self._check_translations(doc, claim)
            span = self._locate(doc, ("quote",), claim.seed, claim.quote)
            if span is not None:
                self.quote_spans[claim_id] = span
                first = seen_quotes.setdefault((claim.seed, claim.quote.strip()), claim_id)
                if first != claim_id:
                    problems.append(
                        doc.problem(("quote",), "duplicate-quote", f"claim '{first}' already checks this exact quote")
                    )
        return self._drain()

    def _id_and_dates(self, doc: Document, claim: Claim) -> list[Problem]:
        """A claim id no generated page takes, and no verdict dated before the article it checks."""
        problems = []
        if claim.id in RESERVED_CLAIM_IDS or claim.id in self.languages:
            problems.append(
                doc.problem(
                    ("id",), "reserved-id", f"'{claim.id}' names a page or language of the site; choose another id"
                )
            )
        seed = self.seeds.get(claim.seed)
        if seed is None:
            return problems
        published = seed.meta.published
        dated = [(("history", i, "date"), entry.date) for i, entry in enumerate(claim.history)]
        for loc, day in [*dated, (("reviewed_on",), claim.reviewed_on)]:
            if day < published:
                problems.append(
                    doc.problem(
                        loc, "before-article", f"{day} is before the article it checks was published ({published})"
                    )
                )
        return problems

    def _check_translations(self, doc: Document, claim: Claim) -> None:
        """The quote is translated into every site language but the article's own."""
        seed = self.seeds.get(claim.seed)
        if seed is None or not self.languages:  # no valid data/site.yml: the site's languages are unknown
            return
        wanted = {code: name for code, name in self.languages.items() if code != seed.meta.language}
        for code, name in wanted.items():
            if code not in claim.quote_translation:
                self.problems.append(
                    doc.problem(
                        ("quote_translation",),
                        "missing-translation",
                        f"missing {name} ({code}) translation of the quote",
                    )
                )
        for code in claim.quote_translation:
            if code not in wanted:
                why = "the article's own language" if code == seed.meta.language else "not a language of the site"
                self.problems.append(
                    doc.problem(("quote_translation", code), "unknown-language", f"'{code}' is {why}", key=True)
                )

    def _locate(self, doc: Document, loc: tuple[str | int, ...], seed_id: str, quote: str) -> tuple[int, int] | None:
        seed = self.seeds.get(seed_id)
        if seed is None:
            self.problems.append(
                doc.problem((*loc[:-1], "seed"), "unknown-seed", f"no seed article '{seed_id}' in seeds/")
            )
            return None
        span = seed.text.find(quote)
        if span is None:
            offset, passage = seed.text.closest(quote)
            line, col = line_col(seed.text.original, offset)
            hidden = invisible_differences(quote, passage)
            difference = f"; the quote holds {', '.join(hidden)}, which the passage does not" if hidden else ""
            self.problems.append(
                doc.problem(
                    loc,
                    "quote-not-found",
                    f"quote not found in {seed.text_path}; closest passage at "
                    f"{seed.text_path}:{line}:{col}: «{passage}»{difference}",
                )
            )
        return span

    def _claim_refs(self, doc: Document, loc: tuple[str | int, ...], ids: Iterable[str]) -> list[Problem]:
        return [
            self._unknown(doc, (*loc, i), "claim", claim_id, self.claim_files)
            for i, claim_id in enumerate(ids)
            if claim_id not in self.claim_files
        ]

    @staticmethod
    def _unknown(doc: Document, loc: tuple[str | int, ...], what: str, value: str, known: Iterable[str]) -> Problem:
        close = difflib.get_close_matches(value, list(known), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return doc.problem(loc, f"unknown-{what}", f"no {what} with id '{value}'{hint}")

    def check_references(self, doc: Document, loc: tuple[str | int, ...], ids: Iterable[str]) -> list[Problem]:
        return self._claim_refs(doc, loc, ids)

    def check_listing(self, doc: Document, key: str, items: Sequence[Any]) -> list[Problem]:
        """Unique ids, and claim references that resolve, for a list of items with ``id`` and ``claims``."""
        self._unique(doc, key, [(item.id, item) for item in items])
        for index, item in enumerate(items):
            self.problems += self._claim_refs(doc, (key, index, "claims"), item.claims)
        return self._drain()

    def locate_scenarios(self, doc: Document, options: Options) -> list[Problem]:
        for index, scenario in enumerate(options.scenarios):
            span = self._locate(doc, ("scenarios", index, "quote"), scenario.seed, scenario.quote)
            if span is not None:
                self.scenario_spans[scenario.id] = span
        return self._drain()

    def _drain(self) -> list[Problem]:
        problems, self.problems = self.problems, []
        return problems
