"""Turn the checked dataset into pages: one render function per page type, HTML from templates.

Every page is HTML from an autoescaping Jinja template (``templates/``, overridable from a content
root's ``templates/`` folder). Generated HTML never goes through Markdown; a page type's
hand-written introduction (``data/pages/<name>.<lang>.md``) is Markdown that MkDocs converts like
any page, placed between the template's ``heading`` and ``body`` blocks.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from build_tools.content.catalogue import Catalogue, fill
from build_tools.content.dataset import Dataset
from build_tools.content.load import read_text
from build_tools.content.markup import is_http_url, render_inline
from build_tools.content.model import Claim, Source, origin_key
from build_tools.content.pages import INTROS_DIR
from build_tools.content.publishers import Outlet
from build_tools.problems import Problem

ENGINE_TEMPLATES = Path(__file__).parent / "templates"
ROOT_TEMPLATES = "templates"  # a content root's folder of template overrides


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
    claim_id: str | None = None
    toc: tuple[tuple[int, str, str], ...] = ()  # (level, anchor, escaped text) of generated headings
    description: str = ""  # plain text for <meta name="description"> and share previews
    modified: str = ""  # YYYY-MM-DD: the last change of what the page shows, from the content (sitemaps)


@dataclass
class LanguagePages:
    pages: dict[str, GeneratedPage] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    """A dataset and the pages rendered from it, which a live preview renders the next version against."""

    dataset: Dataset
    pages: dict[str, LanguagePages]


# Listing pages repeat what claim pages say; kept out of the search index, where they would
# only repeat their text (and cost the indexer as much as all claim pages together).
@dataclass(frozen=True)
class PageType:
    name: str  # folder, template and catalogue keys ("<name>" its title, "nav_<name>" its nav entry)
    searchable: bool

    @property
    def src_uri(self) -> str:
        return "index.md" if self.name == "home" else f"{self.name}/index.md"

    @property
    def base(self) -> str:
        """From the page to the language's root."""
        return "" if self.name == "home" else "../"


PAGE_TYPES = (
    PageType("home", searchable=True),
    PageType("claims", searchable=False),
    PageType("article", searchable=False),
    PageType("faq", searchable=True),
    PageType("timeline", searchable=True),
    PageType("options", searchable=True),
    PageType("sources", searchable=False),
    PageType("methodology", searchable=True),
    PageType("corrections", searchable=False),
)
_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="headerlink"')


class ConfinedLoader(FileSystemLoader):
    """A folder's templates, and nothing a link in it leads to outside it (``check`` reports such
    links; this keeps an include from reaching them even without a check)."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.folder = folder.resolve()

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not Path(filename).resolve().is_relative_to(self.folder):
            raise TemplateNotFound(template)
        return source, filename, uptodate


def template_problem(exc: TemplateError, root: Path) -> Problem:
    """Where in which template rendering failed (a sandbox refusal, an undefined value), located in the
    content root when the template is one of its overrides."""
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    traceback = exc.__traceback__
    while traceback is not None:  # Jinja rewrites its frames to the template's file and line: take the innermost
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".html") and Path(filename).is_file():
            path, line = filename, traceback.tb_lineno
        traceback = traceback.tb_next
    shown = str(path or "a template")
    if path and Path(path).resolve().is_relative_to(root.resolve()):
        shown = Path(path).resolve().relative_to(root.resolve()).as_posix()
    message = " ".join(str(exc).split()) or type(exc).__name__
    return Problem(shown, line or 0, 0, "template", f"{type(exc).__name__}: {message}")


def make_environment(root: Path) -> Environment:
    """Templates from the content root's ``templates/`` first, then the engine's. A content root's
    templates come from strangers' pull requests: every template renders in Jinja's immutable
    sandbox, which refuses the attribute walks (``__globals__``, ``__subclasses__``) that reach code."""
    folders = [root / ROOT_TEMPLATES] if (root / ROOT_TEMPLATES).is_dir() else []
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([ConfinedLoader(folder) for folder in [*folders, ENGINE_TEMPLATES]]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=False,
    )
    env.filters["markdown"] = lambda text: Markup(render_inline(text))
    env.filters["http_url"] = _http_url
    env.filters["article_text"] = _article_text
    env.filters["shorten"] = shorten
    return env


def shorten(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else cut at a word and ended with "…" within it."""
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return (text[:cut] if cut > 0 else text[: limit - 1]).rstrip(" ,;:—-") + "…"


def _http_url(url: str) -> str:
    # Records are validated already; this keeps a template override from linking anything else.
    if not is_http_url(url):
        raise ValueError(f"refusing to link to {url!r}: not an http(s) URL")
    return url


def _article_text(text: str) -> Markup:
    return Markup(str(escape(text)).replace("\n\n", "</p><p>").replace("\n", "<br>"))


def catalogue_functions(catalogue: Catalogue) -> dict[str, Callable[..., Any]]:
    """``t(key, **values)``, ``plural_forms(key, **values)`` and ``date(iso)`` for templates: escaped
    text, values escaped unless Markup. A whole number ``n`` chooses a plural form of the key."""

    # Escaped once per key, form and date: a claim page asks for some forty strings, the site for thousands.
    @functools.cache
    def escaped(key: str, count: int | None) -> Markup:
        return escape(catalogue.text(key, count))

    def t(key: str, **values: Any) -> Markup:
        count = values.get("n")
        text = escaped(key, count if isinstance(count, int) and not isinstance(count, bool) else None)
        return Markup(fill(text, {name: str(escape(value)) for name, value in values.items()})) if values else text

    def plural_forms(key: str, **values: str) -> dict[str, str]:
        # Unescaped: the template writes them with ``tojson``, which escapes for the attribute.
        return {category: fill(form, values) for category, form in catalogue.forms(key).items()}

    @functools.cache
    def date(iso: str) -> Markup:
        return escape(catalogue.date(iso))

    return {"t": t, "plural_forms": plural_forms, "date": date}


def render_footer(dataset: Dataset, lang: str, root: str, issues_url: str | None) -> str:
    """The footer of one language's pages; ``root`` is that language's address from the server's root."""
    env = make_environment(dataset.root)
    values = {"lang": lang, "root": root, "issues_url": issues_url, "licence": dataset.site.data_licence}
    return env.get_template("footer.html").render(values, **catalogue_functions(dataset.catalogues[lang]))


def render_head_tags(env: Environment, values: dict[str, Any]) -> str:
    return env.get_template("head.html").render(values)


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
    dataset: Dataset, code: str, options: RenderOptions, previous: Rendered | None, env: Environment
) -> LanguagePages:
    """The generated pages of one language (see ``render_site``)."""
    earlier = previous.pages.get(code) if previous and _same_claim_context(previous.dataset, dataset) else None
    reuse = (previous.dataset, earlier) if previous and earlier else None
    return _Renderer(dataset, options, env, code).render(reuse)


def _same_claim_context(old: Dataset, new: Dataset) -> bool:
    """Whether everything a claim page shows besides claims is unchanged (what ``claim.html`` reads)."""
    fields = ("root", "site", "catalogues", "seeds", "scale", "verdicts", "topics", "publishers")
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
        self.shared: dict[str, Any] = {
            "lang": lang,
            "claims": dataset.claims,
            "verdicts": dataset.verdicts,
            "topics": dataset.topics,
            "scale": dataset.scale,
            "seeds": dataset.seeds,
            **catalogue_functions(dataset.catalogues[lang]),
        }
        self.t = self.shared["t"]
        self.shared["scale_steps"] = sorted(
            (v for v in dataset.scale.verdicts if v.rating_value is not None), key=lambda v: v.rating_value or 0
        )
        self.shared["language_name"] = functools.partial(_language_name, lang)
        self.site_modified = site_modified(dataset)
        self.shared["country_name"] = functools.partial(_country_name, lang)
        self.shared["outlet"] = dataset.publishers.outlet

    def render(self, reuse: tuple[Dataset, LanguagePages] | None = None) -> LanguagePages:
        out = LanguagePages()
        claim_template = self.env.get_template("claim.html")
        for claim in self.ds.claims.values():
            earlier = None
            if reuse is not None and _claim_page_inputs_unchanged(reuse[0], self.ds, claim):
                earlier = reuse[1].pages.get(f"claims/{claim.id}.md")
            page = earlier or self.claim_page(claim_template, claim)
            out.pages[page.src_uri] = page
        for page_type in PAGE_TYPES:
            values = getattr(self, f"_{page_type.name}")()
            page = self.listing(page_type, values)
            out.pages[page.src_uri] = page
        return out

    def claim_page(self, template: Template, claim: Claim) -> GeneratedPage:
        path = self.ds.claim_paths[claim.id]
        html = template.render(
            self.shared,
            base="../../",
            claim=claim,
            seed=self.ds.seeds[claim.seed].meta,
            claim_path=path,
            origins=self.ds.publishers.origins(claim),
            edit_url=self.options.edit_url.format(path=path) if self.options.edit_url else None,
        )
        verdict = self.ds.verdicts[claim.verdict].label[self.lang]
        return GeneratedPage(
            f"claims/{claim.id}.md",
            claim.summary[self.lang],
            "",
            html,
            claim_id=claim.id,
            toc=_toc(html),
            description=f"{verdict} — {claim.conclusion[self.lang]}",
            modified=claim_modified(claim),
        )

    def listing(self, page_type: PageType, values: dict[str, Any]) -> GeneratedPage:
        # Read as check read it (confined, strict UTF-8); what check refused never gets this far.
        intro = read_text(self.ds.root, f"{INTROS_DIR}/{page_type.name}.{self.lang}.md")[0] or ""
        template = self.env.get_template(f"{page_type.name}.html")
        context = template.new_context({**self.shared, "base": page_type.base, "has_intro": bool(intro), **values})
        before = "".join(template.blocks["heading"](context))
        after = "".join(template.blocks["body"](context))
        return GeneratedPage(
            page_type.src_uri,
            str(self.t(page_type.name).unescape()),
            before,
            after,
            intro=intro,
            searchable=page_type.searchable,
            toc=_toc(after),
            description=first_paragraph(intro) or self._about(page_type.name),
            modified=values.get("modified") or self.site_modified,
        )

    def _about(self, name: str) -> str:
        """What a page is about, for a page without an introduction of its own."""
        if name == "home":
            language = next(lang for lang in self.ds.languages if lang.code == self.lang)
            if language.site_description:
                return language.site_description
        return str(self.t(f"about_{name}").unescape())

    # -- the values each listing template needs ------------------------------------------------
    def _home(self) -> dict[str, Any]:
        claims = self.ds.claims.values()
        counts = {verdict.id: 0 for verdict in self.ds.scale.verdicts}
        for claim in claims:
            counts[claim.verdict] += 1
        total = max(len(self.ds.claims), 1)
        distribution, offset = [], 0.0
        for verdict in self.ds.scale.verdicts:
            share = 100 * counts[verdict.id] / total
            distribution.append({"verdict": verdict, "count": counts[verdict.id], "x": offset, "width": share})
            offset += share
        published = max((article.meta.published for article in self.ds.seeds.values()), default="")
        events = self.ds.timeline.events if self.ds.timeline else []
        since = sorted((e for e in events if e.date > published), key=lambda e: (e.date, e.id), reverse=True)[:3]
        return {
            "site_name": next(lang.site_name for lang in self.ds.languages if lang.code == self.lang),
            "distribution": distribution,
            "total": len(self.ds.claims),
            "findings": [self.ds.claims[claim_id] for claim_id in self.ds.site.key_findings],
            "since": since,
            "last_review": max((claim.reviewed_on for claim in claims), default=None),
        }

    def _claims(self) -> dict[str, Any]:
        verdicts = {verdict.id: 0 for verdict in self.ds.scale.verdicts}
        topics = {topic_id: 0 for topic_id in self.ds.topics}
        for claim in self.ds.claims.values():
            verdicts[claim.verdict] += 1
            topics[claim.topic] += 1
        return {
            "filters": [
                ("verdict", [(v, self.ds.verdicts[v].label[self.lang], n) for v, n in verdicts.items() if n]),
                ("topic", [(t, self.ds.topics[t].label[self.lang], n) for t, n in topics.items() if n]),
            ]
        }

    def _article(self) -> dict[str, Any]:
        by_seed: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.ds.claims.values():
            by_seed[claim.seed].append(claim)
        articles = [
            {
                "meta": self.ds.seeds[seed_id].meta,
                "anchor": "seed-" + seed_id.replace("_", "-"),
                "pieces": list(self._highlighted(seed_id, by_seed[seed_id])),
            }
            for seed_id in sorted(self.ds.seeds)
        ]
        used = {claim.verdict for claim in self.ds.claims.values()}
        return {"articles": articles, "used_verdicts": [v for v in self.ds.scale.verdicts if v.id in used]}

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

    def _faq(self) -> dict[str, Any]:
        questions = self.ds.faq.questions if self.ds.faq else []
        return {"questions": questions, "modified": self._claims_modified(c for q in questions for c in q.claims)}

    def _timeline(self) -> dict[str, Any]:
        timeline = self.ds.timeline
        events = sorted(timeline.events, key=lambda e: (e.date, e.id)) if timeline else []
        modified = max([timeline.as_of, *(e.date for e in events)]) if timeline else ""
        return {"timeline": timeline, "events": events, "modified": modified}

    def _options(self) -> dict[str, Any]:
        scenarios = self.ds.options.scenarios if self.ds.options else []
        since = [note.date for scenario in scenarios for note in scenario.since]
        modified = max([self._claims_modified(c for s in scenarios for c in s.claims), *since], default="")
        return {"scenarios": scenarios, "modified": modified}

    def _claims_modified(self, claim_ids: Iterable[str]) -> str:
        return max((claim_modified(self.ds.claims[claim_id]) for claim_id in claim_ids), default="")

    def _sources(self) -> dict[str, Any]:
        cited: dict[str, tuple[Source, set[str]]] = {}
        for claim in self.ds.claims.values():
            for source in claim.sources:
                cited.setdefault(source.url, (source, set()))[1].add(claim.id)
            for note in claim.since:
                for source in note.sources:
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

    def _methodology(self) -> dict[str, Any]:
        return {}

    def _corrections(self) -> dict[str, Any]:
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


def first_paragraph(markdown: str, limit: int = 300) -> str:
    """The first paragraph of a Markdown text as plain text, cut at a word within ``limit`` characters."""
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline" and token.content.strip():
            text = " ".join(_plain(token).split())
            if len(text) <= limit:
                return text
            return text[: text.rfind(" ", 0, limit - 1)].rstrip(",;:") + "…"
    return ""


def _plain(token: Any) -> str:
    pieces = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            pieces.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return "".join(pieces)


def _language_name(page_language: str, code: str) -> str:
    """A language's name in the page's language ("russe" on a French page), or its code if unknown."""
    return _locale_name(page_language, "languages", code)


def _country_name(page_language: str, code: str) -> str:
    """A country's name in the page's language ("Russie" on a French page), or its code if unknown."""
    return _locale_name(page_language, "territories", code)


@functools.cache
def _locale_name(page_language: str, table: str, code: str) -> str:
    """A name from CLDR's table of languages or of territories, in the page's language."""
    try:
        name = getattr(Locale.parse(page_language), table).get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return str(name or code)


def _toc(html: str) -> tuple[tuple[int, str, str], ...]:
    """The headings a template wrote with the ``heading`` macro, for the page's table of contents."""
    return tuple((int(level), anchor, text) for level, anchor, text in _HEADING.findall(html))
