"""The MkDocs plugin (``plugins: [factcheck]``): the site's pages, in every language, from the records.

``mkdocs build`` and ``mkdocs serve`` check the content root and render the pages themselves, then
build each language in turn. ``build_tools.site.build`` instead hands each plugin instance an
already checked dataset and its pages, and builds the languages in parallel: see ``use``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from build_tools.content.confine import OutsideRoot, cache_path
from build_tools.content.dataset import Dataset
from build_tools.content.kinds import CLAIMS_DIR, DATA_DIR, SEEDS_DIR
from build_tools.content.model import SiteLanguage
from build_tools.content.resolve import check_root
from build_tools.problems import format_problems
from build_tools.site import adapter, search
from build_tools.site.compact import compact_html
from build_tools.site.head import head_tags
from build_tools.site.opendata import FEED_PATH, atom_feed, claim_review, json_ld_script
from build_tools.site.page_kinds import kind_text, page_kind
from build_tools.site.pages import GeneratedPage, RenderOptions
from build_tools.site.plan import plan_site
from build_tools.site.sanitize import clean_html
from build_tools.site.share import CACHE_DIR, draw_missing, share_images
from build_tools.site.state import BuildMemory, SiteState
from build_tools.site.static import asset_files
from build_tools.site.templating import ROOT_TEMPLATES, first_paragraph, render_footer


class FactcheckConfig(Config):
    content_root = config_options.Type(str, default=".")
    edit_url = config_options.Optional(config_options.Type(str))
    # Draw a share image per claim and language (cached in .cache/share/ by what it shows).
    share_images = config_options.Type(bool, default=True)


@dataclass
class _PagesSeen:
    """What this language's build saw, for its search index: its pages in MkDocs' order, and the
    hand-written ones Material's search indexed."""

    urls: list[str] = field(default_factory=list)
    theme_indexed: set[str] = field(default_factory=set)


class FactcheckPlugin(BasePlugin[FactcheckConfig]):
    """One language's build of the site: each event hands MkDocs that language's part (its settings,
    its files, each page's finishing) and nothing else. What the build works from (``state``) and what
    a live preview keeps between builds (``memory``) are handed to it (``use``), or, under a plain
    ``mkdocs build``, made by the first event."""

    def __init__(self) -> None:
        self.state: SiteState | None = None
        self.language: SiteLanguage | None = None
        self.handed = False  # given one language by a caller that builds the languages (``use``)
        self.base: adapter.BaseSettings | None = None
        self.memory = BuildMemory()
        self.seen = _PagesSeen()

    def use(self, state: SiteState, only: SiteLanguage, memory: BuildMemory | None = None) -> None:
        """Build ``only`` from an already checked dataset and its pages, and with ``memory``, what the
        previous build of that language left (a live preview's dirty build)."""
        self.state, self.language, self.handed = state, only, True
        if memory is not None:
            self.memory = memory

    def root(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.content_root).resolve()

    def render_options(self) -> RenderOptions:
        return RenderOptions(edit_url=self.config.edit_url)

    def load(self, config: MkDocsConfig) -> SiteState:
        result = check_root(self.root(config))
        if result.dataset is None:
            raise PluginError("the content has errors:\n" + format_problems(result.problems, "text"))
        return SiteState.of(result.dataset, self.render_options(), defer=True)

    @event_priority(100)  # before the search plugin reads the theme's language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        adapter.check_settings(config)
        # A plugin instance serves one build of the whole site (`mkdocs serve` loads the configuration,
        # and so a new instance, for every rebuild): check and render once, then build each language.
        if self.state is None:
            self.state = self.load(config)
        if self.language is None:
            self.language = self.state.dataset.languages[0]
        if self.base is None:
            self.base = adapter.BaseSettings.of(config)
        catalogue = self.state.dataset.catalogues[self.language.code]
        nav = adapter.navigation(
            plan_site(self.state.dataset),
            lambda kind: kind_text(catalogue, page_kind(kind), f"nav_{kind}"),
        )
        toggles = {"slate": catalogue.text("palette_dark"), "default": catalogue.text("palette_light")}
        adapter.configure_language(config, self.base, self.language, self.state.dataset.languages, nav, toggles)
        languages = self.state.dataset.languages
        root = adapter.language_root(self.language, languages, self.base.site_url)
        issues = adapter.issues_url(config.repo_url)
        footer = render_footer(self.state.dataset, self.language.code, root, issues, self.state.env)
        adapter.set_footer(config, footer)
        # Pages point the switcher at themselves (on_page_context); the theme's own pages (404) at the homes.
        config.extra["alternate"] = adapter.alternates("", self.state.dataset.languages, self.base.site_url)
        for name in asset_files(self.state.dataset):
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            if name not in target:
                target.append(name)
        return config

    def _languages(self) -> list[SiteLanguage]:
        assert self.state is not None
        return self.state.dataset.languages

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self.root(config)
        for folder in (CLAIMS_DIR, SEEDS_DIR, DATA_DIR, ROOT_TEMPLATES):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def draw_missing_images(self, dataset: Dataset) -> None:
        """Draw every language's share images missing from the cache, across the cores: the parallel
        build calls it before forking the languages' builds, which then find them all there."""
        if self.config.share_images:
            try:
                cache = cache_path(dataset.root, CACHE_DIR)
            except OutsideRoot:
                return  # each language's build refuses it, as without this step
            draw_missing(dataset, cache)

    @staticmethod
    def share_cache(root: Path) -> Path:
        try:
            return cache_path(root, CACHE_DIR)
        except OutsideRoot as refused:  # check refuses it first; a build without check stops here
            raise PluginError(format_problems([refused.problem], "text")) from None

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        assert self.state is not None and self.language is not None
        dataset, code = self.state.dataset, self.language.code
        # Every language's folder holds the open data, so its pages link to it the same way.
        data = {FEED_PATH: atom_feed(dataset, code, config.site_url)}
        data |= asset_files(dataset) | self.state.open_data
        share = self.config.share_images
        images = share_images(dataset, self.language, self.share_cache(dataset.root)) if share else {}
        pages = self.state.language_pages(code).pages
        memory, generated = self.memory, {**pages, **data}
        unchanged = [path for path, content in generated.items() if memory.files.get(path) == content]
        memory.files = generated
        out = adapter.language_files(files, config, code, dataset.language_codes, pages, data, images, unchanged)
        self.seen = _PagesSeen([adapter.page_url(file) for file in out.documentation_pages()])
        memory.outputs = {file.dest_uri for file in out}
        return out

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        templates = self.memory.templates
        if templates is not None:
            env.bytecode_cache = templates
        return env

    def _generated(self, page: Page) -> GeneratedPage | None:
        assert self.state is not None and self.language is not None
        return self.state.language_pages(self.language.code).pages.get(page.file.src_uri)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        assert self.state is not None
        generated = self._generated(page)
        if generated is not None:
            adapter.prepare_generated_page(page, generated)
        else:
            adapter.describe_page(page, first_paragraph(markdown), self.state.modified)
        return markdown

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # What MkDocs converted is hand-written (a page, or a generated page's introduction): cleaned.
        generated, cleaned = self._generated(page), clean_html(html)
        if generated is None or generated.deferred:  # a deferred page's HTML comes at on_page_context
            return cleaned
        return adapter.finish_generated_page(page, generated, cleaned)

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        assert self.base is not None and self.state is not None and self.language is not None
        config.extra["alternate"] = adapter.alternates(page.url, self._languages(), self.base.site_url)
        generated = self._generated(page)
        if generated is not None and generated.deferred:
            # Rendered now, as MkDocs writes the page, and let go of once written (on_post_page). Its
            # anchors are known before MkDocs checks the links to them, after every page is written.
            full = self.state.language_pages(self.language.code).complete(generated)
            page.content = adapter.finish_generated_page(page, full, page.content or "")
        if generated is None:
            self.seen.theme_indexed.add(page.url)
        elif generated.searchable:
            # The page's final HTML, as Material's search would read it at this event. A claim page is
            # found by what it claims and concludes (read no further); its full text is on the page.
            title, content = str(page.meta["title"]), page.content or ""
            if generated.claim_id:
                found = search.summary(page.url, search.entries(page.url, title, content, search.SUMMARY_ANCHORS))
            else:
                found = list(search.entries(page.url, title, content))
            self.memory.search.add(page.url, found)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Languages, feed and share tags on every page; ClaimReview on claim pages; the theme's
        blank lines and indentation between tags folded away (3 KB of a 22 KB claim page)."""
        assert self.state is not None and self.language is not None
        dataset, language = self.state.dataset, self.language
        generated = self._generated(page)
        claim = dataset.claims[generated.claim_id] if generated is not None and generated.claim_id else None
        url = page.canonical_url if config.site_url else None
        # Titles given to the theme are escaped for it; head tags escape their own values.
        title = generated.title if generated is not None else html.unescape(str(page.title or ""))
        description = html.unescape(str(page.meta.get("description") or ""))
        assert self.base is not None
        about = (adapter.page_url(page.file), title, description)
        share = self.config.share_images
        head = [head_tags(self.state.env, dataset, language, self.base.site_url, about, claim, url, share)]
        if claim is not None:
            head.append(json_ld_script(claim_review(dataset, claim, language.code, url, language.site_name)))
        if generated is not None and generated.deferred:
            page.content = None  # written once this event returns; nothing reads it again
        return compact_html(adapter.add_to_head(output, "\n".join(head)))

    @event_priority(-100)  # after every other plugin has finished this language (search writes its index)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        search.finish_index(Path(config.site_dir), self.memory.search, self.seen.theme_indexed, self.seen.urls)
        if self.handed:
            return
        # A plain `mkdocs build` or `mkdocs serve` built the default language: the others are built the
        # one way every caller builds them (imported here: that module drives this one).
        from build_tools.site.build import build_languages

        assert self.base is not None and self.state is not None
        languages, base = self._languages(), self.base
        build_languages(
            self.state,
            Path(str(config.config_file_path)),
            Path(base.site_dir),
            languages=languages[1:],
            strict=bool(config.strict),
            site_url=base.site_url,
        )
