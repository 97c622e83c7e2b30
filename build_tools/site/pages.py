"""Turn the checked dataset into pages: the pages of the site's plan (``plan``), HTML from templates.

Every page is HTML from an autoescaping Jinja template (``templates/``, overridable from a content
root's ``templates/`` folder; see ``templating``). Generated HTML never goes through Markdown; a page
type's hand-written introduction (``data/pages/<name>.<lang>.md``) is Markdown that MkDocs converts like
any page, placed between the template's ``heading`` and ``body`` blocks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from jinja2 import Environment, Template
from markupsafe import escape

from build_tools.content.dataset import Dataset
from build_tools.content.ledger import verification
from build_tools.content.load import read_text
from build_tools.content.model import Claim
from build_tools.content.pages import INTROS_DIR
from build_tools.site.listing_reuse import ClaimChanges, Fragments, ListingInputs, Piece, ReadClaims
from build_tools.site.listings import Listings, claim_modified, site_modified
from build_tools.site.page_kinds import kind_text, page_kind
from build_tools.site.plan import PlannedPage, SitePlan, plan_site
from build_tools.site.templating import (
    catalogue_functions,
    country_name,
    first_paragraph,
    language_name,
    make_environment,
)


@dataclass(frozen=True)
class RenderOptions:
    edit_url: str | None = None  # e.g. "https://github.com/org/repo/edit/main/{path}"


@dataclass(frozen=True)
class GeneratedPage:
    """One page of one language, ready for MkDocs: HTML around an optional Markdown introduction."""

    src_uri: str  # e.g. "claims/kremlin-warning.md", the same in every language
    title: str  # plain text
    before: str  # HTML before the introduction (the heading)
    after: str  # HTML after it
    intro: str = ""  # hand-written Markdown, converted by MkDocs
    searchable: bool = True
    in_nav: bool = True
    claim_id: str | None = None
    toc: tuple[tuple[int, str, str], ...] = ()  # (level, anchor, escaped text) of generated headings
    description: str = ""  # plain text for <meta name="description"> and share previews
    modified: str = ""  # YYYY-MM-DD: the last change of what the page shows, from the content (sitemaps)
    deferred: bool = False  # a claim page whose HTML (``after``, ``toc``) is rendered when its build asks


@dataclass
class LanguagePages:
    pages: dict[str, GeneratedPage] = field(default_factory=dict)
    listing_inputs: dict[str, ListingInputs] = field(default_factory=dict)  # what each listing page read
    # How a deferred claim page is rendered (``render_language(..., defer=True)``): a build renders
    # each claim page as it writes it, and so holds no claim page's HTML longer than that.
    render_claim: Callable[[str], GeneratedPage] | None = None

    def complete(self, page: GeneratedPage) -> GeneratedPage:
        """``page`` with its HTML: rendered now if it was deferred."""
        if page.deferred and page.claim_id and self.render_claim is not None:
            return self.render_claim(page.claim_id)
        return page


@dataclass(frozen=True)
class Rendered:
    """A dataset and the pages rendered from it, which a live preview renders the next version against."""

    dataset: Dataset
    pages: dict[str, LanguagePages]


# Listing pages repeat what claim pages say; kept out of the search index, where they would


class _Contents:
    """The headings a template writes with the ``heading`` macro, collected as it renders them (the
    macro calls ``contents_entry``), for the page's table of contents."""

    def __init__(self) -> None:
        self.entries: list[tuple[int, str, str]] = []

    def add(self, level: int, anchor: str, text: str) -> str:
        if int(level) in (2, 3):
            self.entries.append((int(level), str(anchor), str(escape(text))))
        return ""


def render_site(
    dataset: Dataset,
    options: RenderOptions = RenderOptions(),
    previous: Rendered | None = None,
    env: Environment | None = None,
) -> dict[str, LanguagePages]:
    """Every generated page, by language code. With ``previous`` (the same root, same options and
    templates), a claim page whose inputs are unchanged is taken from it instead of rendered again."""
    env = env or make_environment(dataset.root)
    return {code: render_language(dataset, code, options, previous, env) for code in dataset.language_codes}


def render_language(
    dataset: Dataset,
    code: str,
    options: RenderOptions,
    previous: Rendered | None,
    env: Environment,
    *,
    defer: bool = False,
) -> LanguagePages:
    """The generated pages of one language (see ``render_site``). With ``defer``, claim pages carry
    what the build needs before it writes them (title, description, date) and are rendered by
    ``LanguagePages.complete``: a site of 25,000 claims never holds 25,000 pages of HTML at once."""
    earlier = previous.pages.get(code) if previous and _same_claim_context(previous.dataset, dataset) else None
    reuse = (previous.dataset, earlier) if previous and earlier else None
    return _Renderer(dataset, options, env, code).render(reuse, defer=defer)


def _same_claim_context(old: Dataset, new: Dataset) -> bool:
    """Whether everything a claim page shows besides claims is unchanged (what ``claim.html`` reads)."""
    fields = ("root", "site", "catalogues", "seeds", "scale", "verdicts", "topics", "publishers", "ledger")
    return all(getattr(old, name) == getattr(new, name) for name in fields)


def _claim_page_inputs_unchanged(old: Dataset, new: Dataset, claim: Claim) -> bool:
    """A claim page shows its claim and the summary and verdict of its related claims."""
    return (
        old.claims.get(claim.id) == claim
        and old.claim_paths.get(claim.id) == new.claim_paths[claim.id]
        and all(old.claims.get(other) == new.claims.get(other) for other in claim.related)
    )


class _Renderer:
    def __init__(self, dataset: Dataset, options: RenderOptions, env: Environment, lang: str) -> None:
        self.ds, self.options, self.lang = dataset, options, lang
        self.env = env
        self.plan: SitePlan = plan_site(dataset)
        self.listings = Listings(dataset, self.plan, lang)
        self.shared: dict[str, Any] = {
            "lang": lang,
            "claims": dataset.claims,
            "verdicts": dataset.verdicts,
            "topics": dataset.topics,
            "scale": dataset.scale,
            "seeds": dataset.seeds,
            "several_articles": self.plan.several_articles,
            "article_href": self.listings.href,
            **catalogue_functions(dataset.catalogues[lang]),
        }
        self.t = self.shared["t"]
        self.shared["scale_steps"] = sorted(
            (v for v in dataset.scale.verdicts if v.rating_value is not None), key=lambda v: v.rating_value or 0
        )
        self.shared["language_name"] = functools.partial(language_name, lang)
        self.site_modified = site_modified(dataset)
        self.shared["country_name"] = functools.partial(country_name, lang)
        self.shared["outlet"] = dataset.publishers.outlet
        self.intros: dict[str, str] = {}  # page type → its introduction in this language

    def render(self, reuse: tuple[Dataset, LanguagePages] | None = None, *, defer: bool = False) -> LanguagePages:
        out = LanguagePages()
        claim_template = self.env.get_template("claim.html")
        if defer:
            out.render_claim = lambda claim_id: self.claim_page(claim_template, self.ds.claims[claim_id])
        for claim in self.ds.claims.values():
            earlier = None
            if reuse is not None and _claim_page_inputs_unchanged(reuse[0], self.ds, claim):
                earlier = reuse[1].pages.get(f"claims/{claim.id}.md")
            page = earlier or (
                self.claim_about(claim, deferred=True) if defer else self.claim_page(claim_template, claim)
            )
            out.pages[page.src_uri] = page
        changes = ClaimChanges.between(reuse[0].claims, self.ds.claims) if reuse is not None else None
        for planned in self.plan.pages:
            values = page_kind(planned.kind).values(self.listings, planned.article)
            last = (reuse[1], changes) if reuse is not None and changes is not None else None
            page, inputs = self.listing(planned, values, last)
            out.pages[page.src_uri] = page
            if not defer:  # a live preview renders its next version against them; a build never does
                out.listing_inputs[page.src_uri] = inputs
        return out

    def claim_page(self, template: Template, claim: Claim) -> GeneratedPage:
        path = self.ds.claim_paths[claim.id]
        contents = _Contents()
        html = template.render(
            self.shared,
            contents_entry=contents.add,
            base="../../",
            claim=claim,
            seed=self.ds.seeds[claim.seed].meta,
            claim_path=path,
            origins=self.ds.publishers.origins(claim),
            verified=verification(self.ds.ledger, claim),
            edit_url=self.options.edit_url.format(path=path) if self.options.edit_url else None,
        )
        return replace(self.claim_about(claim), after=html, toc=tuple(contents.entries))

    def claim_about(self, claim: Claim, *, deferred: bool = False) -> GeneratedPage:
        """A claim page without its HTML: what the build needs of it before writing it."""
        verdict = self.ds.verdicts[claim.verdict].label[self.lang]
        return GeneratedPage(
            f"claims/{claim.id}.md",
            claim.summary[self.lang],
            "",
            "",
            claim_id=claim.id,
            description=f"{verdict} — {claim.conclusion[self.lang]}",
            modified=claim_modified(claim),
            deferred=deferred,
        )

    def title(self, page: PlannedPage) -> str:
        """A page's title; with several articles, an article's pages are named after it."""
        kind = self.kind_text(page.kind, page.kind)
        if page.article is None or not self.plan.several_articles:
            return kind
        article = self.ds.seeds[page.article].meta.title
        return article if page.kind == "article" else f"{kind} — {article}"

    def explainer(self, page: PlannedPage) -> list[dict[str, Any]]:
        """The menu of an article's pages, on each of them, when the site has several articles."""
        article = self.plan.article(page.article) if page.article and self.plan.several_articles else None
        if article is None:
            return []
        return [
            {"href": other.folder, "title": self.kind_text(other.kind, f"nav_{other.kind}"), "current": other == page}
            for other in article.pages
        ]

    def listing(
        self, page: PlannedPage, values: dict[str, Any], earlier: tuple[LanguagePages, ClaimChanges] | None = None
    ) -> tuple[GeneratedPage, ListingInputs]:
        """A listing page and what it read; with ``earlier`` (the last version's pages, and how the
        claims changed since), the last version's page when nothing it read changed."""
        intro = self.intro(page.kind)
        title, explainer = self.title(page), self.explainer(page)
        modified = values.get("modified") or self.site_modified
        inputs = (page, values, intro, title, explainer, modified, self.plan)
        pieces: Mapping[Hashable, Piece] = {}
        changes = None
        if earlier is not None:
            pages, changes = earlier
            kept, read = pages.pages.get(page.src_uri), pages.listing_inputs.get(page.src_uri)
            if kept is not None and read is not None and changes.leave(read, inputs):
                return kept, replace(read, context=inputs)  # equal, and holds no older version's objects
            if read is not None and read.context == inputs:  # the pieces its macros wrote may be kept
                pieces = read.pieces
        template = self.env.get_template(f"{page.kind}.html")
        contents, claims = _Contents(), ReadClaims(self.ds.claims)
        memo = Fragments(claims, pieces, changes)
        context = template.new_context(
            {
                **self.shared,
                "claims": claims,
                "memo": memo,
                "contents_entry": contents.add,
                "base": page.base,
                "has_intro": bool(intro),
                "page_title": title,
                "explainer": explainer,
                **values,
            }
        )
        before = "".join(template.blocks["heading"](context))
        contents.entries.clear()  # the table of contents lists the body's headings
        after = "".join(template.blocks["body"](context))
        generated = GeneratedPage(
            page.src_uri,
            title,
            before,
            after,
            intro=intro,
            searchable=page.searchable,
            in_nav=page.in_nav,
            toc=tuple(contents.entries),
            description=first_paragraph(intro) or self._about(page.kind),
            modified=modified,
        )
        return generated, ListingInputs.of(inputs, claims, memo)

    def intro(self, kind: str) -> str:
        """A page type's introduction, read once per render (every article has its pages of each type)."""
        if kind not in self.intros:
            # Read as check read it (confined, strict UTF-8); what check refused never gets this far.
            self.intros[kind] = read_text(self.ds.root, f"{INTROS_DIR}/{kind}.{self.lang}.md")[0] or ""
        return self.intros[kind]

    def _about(self, name: str) -> str:
        """What a page is about, for a page without an introduction of its own."""
        if name == "home":
            language = next(lang for lang in self.ds.languages if lang.code == self.lang)
            if language.site_description:
                return language.site_description
        return self.kind_text(name, f"about_{name}")

    def kind_text(self, kind: str, key: str) -> str:
        """A page type's interface string, plain text."""
        return kind_text(self.ds.catalogues[self.lang], page_kind(kind), key)
