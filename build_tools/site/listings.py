"""What each listing page shows, as data for its template: one method per page type (``plan``).

An article's pages (its annotated text, questions, timeline and options) show that article's
share of the records; the site's pages (home, claims index, sources, corrections) show them all.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from build_tools.content.dataset import Dataset
from build_tools.content.fields import origin_key
from build_tools.content.model import Claim, Question, Scenario, Source, TimelineEvent
from build_tools.content.publishers import Outlet
from build_tools.content.references import question_article

if TYPE_CHECKING:  # the plan is made from the registered page kinds, whose values come from here
    from build_tools.site.plan import SitePlan

SINCE_ON_HOME = 3  # the latest developments the home page lists per article
ARTICLES_ON_HOME = 5  # the latest articles the home page shows; the articles page lists them all


def claim_modified(claim: Claim) -> str:
    """The last change of a claim: its last review, correction or development since the article."""
    return max([claim.reviewed_on, claim.history[-1].date, *(note.date for note in claim.since)])


def site_modified(dataset: Dataset) -> str:
    """The last change of anything the site shows: for pages that show everything (the home page,
    the index, the sources), and for pages whose content has no date of its own."""
    dates = [claim_modified(claim) for claim in dataset.claims.values()]
    if dataset.timeline:
        dates += [dataset.timeline.as_of, *(event.date for event in dataset.timeline.events)]
    if dataset.options:
        dates += [note.date for scenario in dataset.options.scenarios for note in scenario.since]
    dates += [article.meta.published for article in dataset.seeds.values()]
    return max(dates, default="")


def questions_of(dataset: Dataset, seed_id: str) -> list[Question]:
    """An article's questions: its own, and those of every article (``question_article``)."""
    questions = dataset.faq.questions if dataset.faq else []

    def seed_of_claim(claim_id: str) -> str | None:
        return dataset.claims[claim_id].seed

    return [q for q in questions if question_article(q, seed_of_claim) in (None, seed_id)]


def events_of(dataset: Dataset, seed_id: str) -> list[TimelineEvent]:
    """An article's timeline, by date: the events naming it, and those naming none."""
    events = [e for e in dataset.timeline.events if e.seed in (None, seed_id)] if dataset.timeline else []
    return sorted(events, key=lambda event: (event.date, event.id))


def scenarios_of(dataset: Dataset, seed_id: str) -> list[Scenario]:
    return [s for s in dataset.options.scenarios if s.seed == seed_id] if dataset.options else []


class Listings:
    """The values of each listing template, in one language."""

    def __init__(self, dataset: Dataset, plan: SitePlan, lang: str) -> None:
        self.ds, self.plan, self.lang = dataset, plan, lang
        self.by_seed: dict[str, list[Claim]] = defaultdict(list)
        for claim in dataset.claims.values():
            self.by_seed[claim.seed].append(claim)

    def href(self, seed_id: str, kind: str) -> str | None:
        """The folder of an article's page from the language's root, or None if the site has no such page."""
        article = self.plan.article(seed_id)
        page = article.page(kind) if article else None
        return page.folder if page else None

    def _distribution(self, claims: list[Claim]) -> list[dict[str, Any]]:
        counts = {verdict.id: 0 for verdict in self.ds.scale.verdicts}
        for claim in claims:
            counts[claim.verdict] += 1
        total, distribution, offset = max(len(claims), 1), [], 0.0
        for verdict in self.ds.scale.verdicts:
            share = 100 * counts[verdict.id] / total
            distribution.append({"verdict": verdict, "count": counts[verdict.id], "x": offset, "width": share})
            offset += share
        return distribution

    def _article_summary(self, seed_id: str) -> dict[str, Any]:
        """An article on the home page: its verdicts at a glance, its key findings, what happened since."""
        published = self.ds.seeds[seed_id].meta.published
        since = [event for event in events_of(self.ds, seed_id) if event.date > published]
        claims = self.by_seed[seed_id]
        return {
            "seed": seed_id,
            "meta": self.ds.seeds[seed_id].meta,
            "href": self.href(seed_id, "article"),
            "timeline_href": self.href(seed_id, "timeline"),
            "total": len(claims),
            "distribution": self._distribution(claims),
            "findings": [self.ds.claims[i] for i in self.ds.site.key_findings if self.ds.claims[i].seed == seed_id],
            "since": list(reversed(since))[:SINCE_ON_HOME],
        }

    def home(self) -> dict[str, Any]:
        claims = list(self.ds.claims.values())
        return {
            "site_name": next(lang.site_name for lang in self.ds.languages if lang.code == self.lang),
            "distribution": self._distribution(claims),
            "total": len(claims),
            "articles": [self._article_summary(a.seed) for a in self.plan.articles[:ARTICLES_ON_HOME]],
            "more_articles": len(self.plan.articles) > ARTICLES_ON_HOME,
            "last_review": max((claim.reviewed_on for claim in claims), default=None),
        }

    def articles(self) -> dict[str, Any]:
        """Every article, newest first, with its verdicts at a glance."""
        listed = []
        for article in self.plan.articles:
            claims = self.by_seed[article.seed]
            counts = [item for item in self._distribution(claims) if item["count"]]
            listed.append({"meta": self.ds.seeds[article.seed].meta, "href": article.pages[0].folder, "counts": counts})
        return {"articles": listed}

    def claims(self) -> dict[str, Any]:
        verdicts = {verdict.id: 0 for verdict in self.ds.scale.verdicts}
        topics = {topic_id: 0 for topic_id in self.ds.topics}
        for claim in self.ds.claims.values():
            verdicts[claim.verdict] += 1
            topics[claim.topic] += 1
        filters = [
            ("verdict", [(v, self.ds.verdicts[v].label[self.lang], n) for v, n in verdicts.items() if n]),
            ("topic", [(t, self.ds.topics[t].label[self.lang], n) for t, n in topics.items() if n]),
        ]
        if self.plan.several_articles:
            articles = [
                (a.seed, self.ds.seeds[a.seed].meta.title, len(self.by_seed[a.seed])) for a in self.plan.articles
            ]
            filters.append(("article", [item for item in articles if item[2]]))
        return {"filters": filters}

    def article(self, seed_id: str) -> dict[str, Any]:
        claims = self.by_seed[seed_id]
        used = {claim.verdict for claim in claims}
        article = {
            "meta": self.ds.seeds[seed_id].meta,
            "anchor": "seed-" + seed_id.replace("_", "-"),
            "pieces": list(self._highlighted(seed_id, claims)),
        }
        return {"articles": [article], "used_verdicts": [v for v in self.ds.scale.verdicts if v.id in used]}

    def _highlighted(self, seed_id: str, claims: list[Claim]) -> Iterator[dict[str, Any]]:
        """The article cut at every quote's ends; where quotes overlap, the shortest one links."""
        text = self.ds.seeds[seed_id].text.original
        spans = self.ds.quote_spans
        cuts = sorted({0, len(text), *(spans[c.id][0] for c in claims), *(spans[c.id][1] for c in claims)})
        marked: set[str] = set()
        for start, end in itertools.pairwise(cuts):
            covering = [c for c in claims if spans[c.id][0] <= start and end <= spans[c.id][1]]
            claim = min(covering, key=lambda c: spans[c.id][1] - spans[c.id][0]) if covering else None
            first = claim is not None and claim.id not in marked
            if claim is not None:
                marked.add(claim.id)
            yield {"text": text[start:end], "claim": claim, "first": first}

    def faq(self, seed_id: str) -> dict[str, Any]:
        questions = questions_of(self.ds, seed_id)
        return {"questions": questions, "modified": self._claims_modified(c for q in questions for c in q.claims)}

    def timeline(self, seed_id: str) -> dict[str, Any]:
        events = events_of(self.ds, seed_id)
        as_of = self.ds.timeline.as_of if self.ds.timeline else ""
        return {"timeline": self.ds.timeline, "events": events, "modified": max([as_of, *(e.date for e in events)])}

    def options(self, seed_id: str) -> dict[str, Any]:
        scenarios = scenarios_of(self.ds, seed_id)
        since = [note.date for scenario in scenarios for note in scenario.since]
        modified = max([self._claims_modified(c for s in scenarios for c in s.claims), *since], default="")
        return {"scenarios": scenarios, "modified": modified}

    def _claims_modified(self, claim_ids: Iterable[str]) -> str:
        return max((claim_modified(self.ds.claims[claim_id]) for claim_id in claim_ids), default="")

    def sources(self) -> dict[str, Any]:
        cited: dict[str, tuple[Source, set[str]]] = {}
        for claim in self.ds.claims.values():
            for source in [*claim.sources, *(source for note in claim.since for source in note.sources)]:
                cited.setdefault(source.url, (source, set()))[1].add(claim.id)
        for event in self.ds.timeline.events if self.ds.timeline else []:
            for source in event.sources:
                cited.setdefault(source.url, (source, set()))
        for scenario in self.ds.options.scenarios if self.ds.options else []:
            for note in scenario.since:
                for source in note.sources:
                    cited.setdefault(source.url, (source, set()))
        # One group per outlet: the pages it published, and the outlets that republish its reporting
        # (an agency may have no page of its own among the sources).
        published: dict[str, list[tuple[Source, list[str]]]] = defaultdict(list)
        republished_by: dict[str, set[str]] = defaultdict(set)
        outlets: dict[str, Outlet] = {}
        for source, claim_ids in cited.values():
            publisher = outlets.setdefault(origin_key(source.publisher), self.ds.publishers.outlet(source.publisher))
            published[origin_key(publisher.ref)].append((source, sorted(claim_ids)))
            for agency in source.agencies:
                outlets.setdefault(origin_key(agency), self.ds.publishers.outlet(agency))
                republished_by[origin_key(agency)].add(publisher.name)
        groups = [
            {
                "outlet": outlet,
                "sources": sorted(published[key], key=lambda item: (item[0].date, item[0].url)),
                "republished_by": sorted(republished_by[key] - {outlet.name}, key=str.casefold),
            }
            for key, outlet in sorted(outlets.items(), key=lambda item: item[1].name.casefold())
        ]
        return {"publishers": groups}

    def methodology(self) -> dict[str, Any]:
        return {}

    def corrections(self) -> dict[str, Any]:
        changes: list[dict[str, Any]] = []
        for claim in self.ds.claims.values():
            for before, after in itertools.pairwise(claim.history):
                changes.append(
                    {
                        "date": after.date,
                        "claim": claim,
                        "old": self.ds.verdicts[before.verdict],
                        "new": self.ds.verdicts[after.verdict],
                        "note": after.note,
                    }
                )
        changes.sort(key=lambda change: (change["date"], change["claim"].id), reverse=True)
        return {"changes": changes}
