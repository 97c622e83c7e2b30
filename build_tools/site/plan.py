"""Which pages a site has, and where: the one list the renderer, the navigation and the checks read.

A site is made of articles (its seeds), each with its own explainer: the annotated text and, when
there is something to show, its questions, its timeline and its options. Around them, the pages of the
whole site: the home page, one claims index, the sources, the methodology and the corrections.

A root with one article keeps the addresses it always had (``article/``, ``faq/``, ``timeline/``,
``options/``); with several, each article's pages live under ``articles/<seed id>/``, the seed's id
being the stable address. A page type with nothing to show is left out: neither built nor in the
navigation.
"""

from __future__ import annotations

from dataclasses import dataclass

from build_tools.content.dataset import Dataset
from build_tools.content.model import Question, Scenario, TimelineEvent

ARTICLES_DIR = "articles"
# Page types that show the whole site, before and after the articles in the navigation.
SITE_TYPES_FIRST = ("home", "claims")  # as ``plan_site`` lists them
SITE_TYPES_LAST = ("sources", "methodology", "corrections")
# Page types of one article's explainer, in the order its menu lists them.
ARTICLE_TYPES = ("article", "faq", "timeline", "options")
PAGE_TYPE_NAMES = (*SITE_TYPES_FIRST, *ARTICLE_TYPES, *SITE_TYPES_LAST)
# Listing pages repeat what claim pages say; kept out of the search index, where they would only
# repeat their text (and cost the indexer as much as all claim pages together).
UNSEARCHED = frozenset(("claims", "article", "sources", "corrections"))


@dataclass(frozen=True)
class PlannedPage:
    """One page every language of the site has."""

    kind: str  # its type: template, catalogue keys ("<kind>" its title, "nav_<kind>" its nav entry), intro name
    src_uri: str  # e.g. "faq/index.md", or "articles/<seed>/faq/index.md"
    article: str | None = None  # the seed id of an article's page
    in_nav: bool = True  # with several articles, an article's other pages are in its own menu instead

    @property
    def searchable(self) -> bool:
        return self.kind not in UNSEARCHED

    @property
    def folder(self) -> str:
        """The page's folder from the language's root: '' for the home page, else ending in '/'."""
        return self.src_uri.removesuffix("index.md")

    @property
    def base(self) -> str:
        """From the page to the language's root."""
        return "../" * self.folder.count("/")


@dataclass(frozen=True)
class ArticlePlan:
    """One article's explainer: its own pages, first the annotated text."""

    seed: str
    pages: tuple[PlannedPage, ...]

    def page(self, kind: str) -> PlannedPage | None:
        return next((page for page in self.pages if page.kind == kind), None)


@dataclass(frozen=True)
class SitePlan:
    first: tuple[PlannedPage, ...]
    articles: tuple[ArticlePlan, ...]  # newest first
    last: tuple[PlannedPage, ...]
    several_articles: bool

    @property
    def pages(self) -> tuple[PlannedPage, ...]:
        return (*self.first, *(page for article in self.articles for page in article.pages), *self.last)

    def article(self, seed_id: str) -> ArticlePlan | None:
        return next((article for article in self.articles if article.seed == seed_id), None)


def article_folder(seed_id: str, several: bool) -> str:
    """Where an article's pages live: the language's root for the one article of a site, else its own folder."""
    return f"{ARTICLES_DIR}/{seed_id}/" if several else ""


def newest_first(dataset: Dataset) -> list[str]:
    """The articles' seed ids, the last published first (then by id, for a stable order)."""
    by_id = sorted(dataset.seeds)
    return sorted(by_id, key=lambda seed_id: dataset.seeds[seed_id].meta.published, reverse=True)


def questions_of(dataset: Dataset, seed_id: str) -> list[Question]:
    """An article's questions: those naming it, and those naming none."""
    return [q for q in dataset.faq.questions if q.seed in (None, seed_id)] if dataset.faq else []


def events_of(dataset: Dataset, seed_id: str) -> list[TimelineEvent]:
    """An article's timeline, by date: the events naming it, and those naming none."""
    events = [e for e in dataset.timeline.events if e.seed in (None, seed_id)] if dataset.timeline else []
    return sorted(events, key=lambda event: (event.date, event.id))


def scenarios_of(dataset: Dataset, seed_id: str) -> list[Scenario]:
    return [s for s in dataset.options.scenarios if s.seed == seed_id] if dataset.options else []


def plan_site(dataset: Dataset) -> SitePlan:
    several = len(dataset.seeds) > 1
    has_content = {
        "faq": lambda seed_id: bool(questions_of(dataset, seed_id)),
        "timeline": lambda seed_id: bool(events_of(dataset, seed_id)),
        "options": lambda seed_id: bool(scenarios_of(dataset, seed_id)),
    }
    articles = []
    for seed_id in newest_first(dataset):
        folder = article_folder(seed_id, several)
        pages = [PlannedPage("article", f"{folder}article/index.md" if not several else f"{folder}index.md", seed_id)]
        pages += [
            PlannedPage(kind, f"{folder}{kind}/index.md", seed_id, in_nav=not several)
            for kind in ARTICLE_TYPES[1:]
            if has_content[kind](seed_id)
        ]
        articles.append(ArticlePlan(seed_id, tuple(pages)))
    return SitePlan(
        first=tuple(
            PlannedPage(kind, "index.md" if kind == "home" else f"{kind}/index.md") for kind in SITE_TYPES_FIRST
        ),
        articles=tuple(articles),
        last=tuple(PlannedPage(kind, f"{kind}/index.md") for kind in SITE_TYPES_LAST),
        several_articles=several,
    )
