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
from build_tools.site.page_kinds import Place, page_kind, page_kinds

ARTICLES_DIR = "articles"


@dataclass(frozen=True)
class PlannedPage:
    """One page every language of the site has."""

    kind: str  # the name of its type (``page_kinds``)
    src_uri: str  # e.g. "faq/index.md", or "articles/<seed>/faq/index.md"
    article: str | None = None  # the seed id of an article's page
    in_nav: bool = True  # with several articles, an article's other pages are in its own menu instead

    @property
    def searchable(self) -> bool:
        return page_kind(self.kind).searchable

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


def plan_site(dataset: Dataset) -> SitePlan:
    several = len(dataset.seeds) > 1
    articles = []
    for seed_id in newest_first(dataset):
        folder = article_folder(seed_id, several)
        pages = []
        for index, kind in enumerate(page_kinds("article")):
            if not kind.shown(dataset, seed_id):
                continue
            # With several articles, the first of an article's pages is its explainer's own address.
            landing = several and index == 0
            src_uri = f"{folder}index.md" if landing else f"{folder}{kind.name}/index.md"
            pages.append(PlannedPage(kind.name, src_uri, seed_id, in_nav=not several))
        articles.append(ArticlePlan(seed_id, tuple(pages)))

    def site_pages(place: Place) -> tuple[PlannedPage, ...]:
        shown = (kind for kind in page_kinds(place) if kind.shown(dataset, None))
        return tuple(PlannedPage(kind.name, _site_uri(kind.name)) for kind in shown)

    return SitePlan(site_pages("before"), tuple(articles), site_pages("after"), several_articles=several)


def _site_uri(name: str) -> str:
    return "index.md" if name == "home" else f"{name}/index.md"
