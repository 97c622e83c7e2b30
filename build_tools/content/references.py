"""What records say of each other: verdicts, topics, claims and seeds that exist, ids used once, quotes
found in their article, dates after it, translations into every language but the article's own.

Each rule is a lookup in a dict built once, so the cost stays linear in the number of claims.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel

from build_tools.content.dataset import SeedArticle
from build_tools.content.kinds import RESERVED_CLAIM_IDS
from build_tools.content.load import Document
from build_tools.content.model import Claim, Options, Question, Topics, VerdictScale
from build_tools.content.publishers import PublisherIndex
from build_tools.content.quotes import invisible_differences, line_col
from build_tools.problems import Problem

M = TypeVar("M", bound=BaseModel)


def question_article(question: Question, seed_of_claim: Callable[[str], str | None]) -> str | None:
    """The article a question belongs to: the one it names, else, for a question the article asks
    itself, the one all its claims are of; None for a question of every article."""
    if question.seed is not None or not question.from_article:
        return question.seed
    seeds = {seed_of_claim(claim_id) for claim_id in question.claims}
    return seeds.pop() if len(seeds) == 1 else None


class Resolver:
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
            if key != "scenarios":  # a scenario's article is where its quote is found (``locate_scenarios``)
                self._article_ref(doc, (key, index), item)
        return self._drain()

    def _article_ref(self, doc: Document, loc: tuple[str | int, ...], item: Any) -> None:
        """An item's article (``seed``) exists; a question the article asks itself is of one article."""
        seed_id = getattr(item, "seed", None)
        if seed_id is not None and seed_id not in self.seeds:
            self.problems.append(self._unknown(doc, (*loc, "seed"), "seed", seed_id, self.seeds))
        elif isinstance(item, Question) and len(self.seeds) > 1:

            def seed_of_claim(claim_id: str) -> str | None:
                found = self.claims.get(claim_id)
                return found[1].seed if found else None

            if item.from_article and question_article(item, seed_of_claim) is None:
                self.problems.append(
                    doc.problem(
                        (*loc, "from_article"),
                        "article-not-named",
                        "its claims are of several articles: name the one that asks this question with 'seed'",
                    )
                )

    def locate_scenarios(self, doc: Document, options: Options) -> list[Problem]:
        for index, scenario in enumerate(options.scenarios):
            span = self._locate(doc, ("scenarios", index, "quote"), scenario.seed, scenario.quote)
            if span is not None:
                self.scenario_spans[scenario.id] = span
        return self._drain()

    def _drain(self) -> list[Problem]:
        problems, self.problems = self.problems, []
        return problems
