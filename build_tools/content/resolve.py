"""Load a whole content root, validate every record, and resolve what records say of each other."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from build_tools.content.catalogue import Catalogue, load_catalogues
from build_tools.content.claimants import claimant_index, claimant_problems
from build_tools.content.confine import cache_problems, tree_problems
from build_tools.content.dataset import CheckResult, Dataset, SeedArticle
from build_tools.content.kinds import DATA_KINDS, DataKind
from build_tools.content.ledger import Ledger, ledger_problems, review_warnings
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
from build_tools.content.quotes import NormalizedText, normalize
from build_tools.content.references import Resolver
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

    ledger_doc, ledger = data.get("ledger", (None, None))[0], _record(data, "ledger", Ledger)
    if ledger_doc is not None and ledger is not None:
        problems += ledger_problems(ledger_doc, ledger)
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
            if ledger is not None:
                problems += review_warnings(ledger, doc, claim.reviewed_on)

    scale_doc, scale = data.get("verdicts", (None, None))
    topics_doc, topics = data.get("topics", (None, None))
    if not isinstance(scale, VerdictScale) or not isinstance(topics, Topics) or scale_doc is None or topics_doc is None:
        return CheckResult(None, problems)

    # References resolve against the claim files present, so one broken file is reported once, not
    # again by every record that points at it.
    claim_files = {Path(rel).stem for rel in found.claims}
    resolver = Resolver(seeds, claims, claim_files, scale_doc, scale, topics_doc, topics, languages, publishers)
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
            ledger=ledger,
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
