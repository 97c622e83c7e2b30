"""The page types a site can have, in one registry: the engine's own are registered here the way any
other is, with ``register``.

A page type is a name (its folder, its template ``<name>.html``, its catalogue strings ``<name>``,
``nav_<name>`` and ``about_<name>``, its optional introduction ``data/pages/<name>.<lang>.md``), the
place it takes (before the articles, in each article's explainer, or after them), the values its
template is given, and whether a site or an article has anything to show on it: a page with nothing
to show is neither built nor in the navigation.

Registering a page type is code, like the rest of the engine: a content root cannot do it (see
SECURITY.md). A template override in the root's ``templates/`` may restyle any registered page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from build_tools.content.catalogue import Catalogue
from build_tools.content.dataset import Dataset
from build_tools.site.listings import Listings, events_of, questions_of, scenarios_of

Place = Literal["before", "article", "after"]  # before the articles, in each article's explainer, after them
PLACES: tuple[Place, ...] = ("before", "article", "after")
# Names a page type may not take: folders the generator writes itself under each language's root (nor may
# it take a language's code, the folder of that language).
RESERVED = frozenset(("assets", "feed", "search"))


@dataclass(frozen=True)
class PageKind:
    name: str
    place: Place
    # The template's values, from the language's listings and, for an article's page, the article's seed id.
    values: Callable[[Listings, str | None], dict[str, Any]]
    searchable: bool = True
    # Whether there is anything to show (for an article's page: in that article).
    shown: Callable[[Dataset, str | None], bool] = lambda dataset, seed_id: True
    # Its own interface strings ("<name>", "nav_<name>", "about_<name>") by language, for the languages
    # whose catalogue does not have them; English is the last resort. The engine's pages need none.
    strings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def kind_text(catalogue: Catalogue, kind: PageKind, key: str) -> str:
    """One of a page type's interface strings in the catalogue's language (see ``PageKind.strings``)."""
    if key in catalogue.strings:
        return catalogue.text(key)
    for found in (kind.strings.get(catalogue.code, {}), kind.strings.get("en", {})):
        if key in found:
            return found[key]
    raise KeyError(f"no interface string '{key}' for the page type '{kind.name}' in '{catalogue.code}'")


_REGISTRY: dict[str, PageKind] = {}


def register(kind: PageKind) -> PageKind:
    """Add a page type; its place and registration order give its place in the navigation."""
    if kind.name in _REGISTRY or kind.name in RESERVED or not kind.name.replace("-", "").isalnum():
        raise ValueError(f"cannot register a page type named {kind.name!r}: taken, reserved or not a slug")
    if kind.place not in PLACES:
        raise ValueError(f"a page type's place is one of {', '.join(PLACES)}, not {kind.place!r}")
    _REGISTRY[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def page_kinds(place: Place | None = None) -> list[PageKind]:
    """The registered page types, in the order of their place, then of their registration."""
    ordered = sorted(_REGISTRY.values(), key=lambda kind: PLACES.index(kind.place))
    return [kind for kind in ordered if place is None or kind.place == place]


def page_kind(name: str) -> PageKind:
    return _REGISTRY[name]


def _of_site(method: Callable[[Listings], dict[str, Any]]) -> Callable[[Listings, str | None], dict[str, Any]]:
    return lambda listings, seed_id: method(listings)


def _of_article(method: Callable[[Listings, str], dict[str, Any]]) -> Callable[[Listings, str | None], dict[str, Any]]:
    def values(listings: Listings, seed_id: str | None) -> dict[str, Any]:
        if seed_id is None:
            raise ValueError("an article's page is rendered for an article")
        return method(listings, seed_id)

    return values


def _any_of(found: Callable[[Dataset, str], list[Any]]) -> Callable[[Dataset, str | None], bool]:
    return lambda dataset, seed_id: seed_id is not None and bool(found(dataset, seed_id))


def _several(dataset: Dataset, seed_id: str | None) -> bool:
    return len(dataset.seeds) > 1


# The engine's own pages. Listing pages that repeat what claim pages say are kept out of the search
# index, where they would only repeat their text (and cost the indexer as much as all claim pages).
for _kind in (
    PageKind("home", "before", _of_site(Listings.home)),
    PageKind("claims", "before", _of_site(Listings.claims), searchable=False),
    # With several articles, the list of them all, newest first (the home page shows the latest).
    PageKind("articles", "before", _of_site(Listings.articles), searchable=False, shown=_several),
    PageKind("article", "article", _of_article(Listings.article), searchable=False),
    PageKind("faq", "article", _of_article(Listings.faq), shown=_any_of(questions_of)),
    PageKind("timeline", "article", _of_article(Listings.timeline), shown=_any_of(events_of)),
    PageKind("options", "article", _of_article(Listings.options), shown=_any_of(scenarios_of)),
    PageKind("sources", "after", _of_site(Listings.sources), searchable=False),
    PageKind("methodology", "after", _of_site(Listings.methodology)),
    PageKind("corrections", "after", _of_site(Listings.corrections), searchable=False),
):
    register(_kind)
ENGINE_PAGE_KINDS = tuple(kind.name for kind in page_kinds())
