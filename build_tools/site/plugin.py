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

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket
from mkdocs.commands.build import build
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
from build_tools.content.model import Claim, SiteLanguage
from build_tools.content.resolve import check_root
from build_tools.problems import format_problems
from build_tools.site import adapter, search
from build_tools.site.opendata import FEED_PATH, atom_feed, claim_review, json_ld_script, open_data
from build_tools.site.pages import (
    PAGE_TYPES,
    ROOT_TEMPLATES,
    GeneratedPage,
    LanguagePages,
    Rendered,
    RenderOptions,
    claim_modified,
    first_paragraph,
    make_environment,
    render_footer,
    render_head_tags,
    render_language,
    site_modified,
)
from build_tools.site.sanitize import clean_html
from build_tools.site.share import CACHE_DIR, SHARE_DIR, draw_missing, og_locale, share_images
from build_tools.site.static import asset_files


class FactcheckConfig(Config):
    content_root = config_options.Type(str, default=".")
    edit_url = config_options.Optional(config_options.Type(str))
    # Draw a share image per claim and language (cached in .cache/share/ by what it shows).
    share_images = config_options.Type(bool, default=True)


@dataclass
class SiteState:
    """What one build of the site works from: the checked dataset, and its pages, each language's
    rendered when its build first asks for them (so that the parallel build renders the languages
    in their own processes, at the same time)."""

    dataset: Dataset
    open_data: dict[str, str]  # path → content, the same in every language
    options: RenderOptions
    env: Environment  # the templates the pages are rendered with
    previous: Rendered | None = None  # a live preview's last version, to render this one against
    pages: dict[str, LanguagePages] = field(default_factory=dict)

    @property
    def modified(self) -> str:
        """The last change of the content, for pages with no date of their own (hand-written ones)."""
        return site_modified(self.dataset)

    @classmethod
    def of(cls, dataset: Dataset, options: RenderOptions, previous: SiteState | None = None) -> SiteState:
        """With ``previous`` (a live preview's last state, with the same templates), unchanged claim
        pages are not rendered again."""
        env = previous.env if previous else make_environment(dataset.root)
        earlier = Rendered(previous.dataset, previous.pages) if previous else None
        return cls(dataset, open_data(dataset), options, env, earlier)

    def language_pages(self, code: str) -> LanguagePages:
        if code not in self.pages:
            self.pages[code] = render_language(self.dataset, code, self.options, self.previous, self.env)
            if len(self.pages) == len(self.dataset.languages):
                self.previous = None  # every language rendered: the last version can go
        return self.pages[code]


class CompiledTemplates(BytecodeCache):
    """The theme's templates compiled once for all the builds of a live preview (MkDocs makes a new
    template environment for every build; compiling Material's templates is a quarter of a second)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])  # checked against the source's checksum

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@dataclass
class BuildMemory:
    """What one language's build leaves for the next one of a live preview: the generated files as
    they were (so that a dirty build skips those still the same), the search index entries and the
    compiled theme templates."""

    files: dict[str, object] = field(default_factory=dict)
    outputs: set[str] = field(default_factory=set)  # every file the build wrote, from its site folder
    search: search.IndexMemory = field(default_factory=search.IndexMemory)
    templates: CompiledTemplates | None = None


class FactcheckPlugin(BasePlugin[FactcheckConfig]):
    def __init__(self) -> None:
        self.state: SiteState | None = None
        self.language: SiteLanguage | None = None
        self.build_others = True  # build the other languages after the default one
        self.base: adapter.BaseSettings | None = None
        self.env: Environment | None = None
        self.memories: dict[str, BuildMemory] = {}
        self.page_urls: list[str] = []  # this build's pages, in MkDocs' order
        self.theme_indexed: set[str] = set()  # hand-written pages Material's search indexed in this build

    def use(self, state: SiteState, only: SiteLanguage | None = None, memory: BuildMemory | None = None) -> None:
        """Build from an already checked dataset and its pages; with ``only``, that language alone
        (for a caller that builds the languages itself), and with ``memory``, what the previous
        build of that language left (a live preview's dirty build)."""
        self.state = state
        if only is not None:
            self.language, self.build_others = only, False
            if memory is not None:
                self.memories[only.code] = memory

    def memory(self) -> BuildMemory:
        assert self.language is not None
        return self.memories.setdefault(self.language.code, BuildMemory())

    def root(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.content_root).resolve()

    def render_options(self) -> RenderOptions:
        return RenderOptions(edit_url=self.config.edit_url)

    def load(self, config: MkDocsConfig) -> SiteState:
        result = check_root(self.root(config))
        if result.dataset is None:
            raise PluginError("the content has errors:\n" + format_problems(result.problems, "text"))
        return SiteState.of(result.dataset, self.render_options())

    @event_priority(100)  # before the search plugin reads the theme's language
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        adapter.check_settings(config)
        # A plugin instance serves one build of the whole site (`mkdocs serve` loads the configuration,
        # and so a new instance, for every rebuild): check and render once, then build each language.
        if self.state is None:
            self.state = self.load(config)
        if self.language is None:
            self.language = self.state.dataset.languages[0]
        self.env = self.state.env
        if self.base is None:
            self.base = adapter.BaseSettings.of(config)
        catalogue = self.state.dataset.catalogues[self.language.code]
        titles = {page_type.name: catalogue.text(f"nav_{page_type.name}") for page_type in PAGE_TYPES}
        toggles = {"slate": catalogue.text("palette_dark"), "default": catalogue.text("palette_light")}
        adapter.configure_language(config, self.base, self.language, self.state.dataset.languages, titles, toggles)
        languages = self.state.dataset.languages
        root = adapter.language_root(self.language, languages, self.base.site_url)
        footer = render_footer(self.state.dataset, self.language.code, root, adapter.issues_url(config.repo_url))
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
        memory, generated = self.memory(), {**pages, **data}
        unchanged = [path for path, content in generated.items() if memory.files.get(path) == content]
        memory.files = generated
        out = adapter.language_files(files, config, code, dataset.language_codes, pages, data, images, unchanged)
        self.page_urls = [adapter.page_url(file) for file in out.documentation_pages()]
        memory.outputs = {file.dest_uri for file in out}
        self.theme_indexed = set()
        return out

    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment:
        templates = self.memory().templates
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
        return cleaned if generated is None else adapter.finish_generated_page(page, generated, cleaned)

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        assert self.base is not None
        config.extra["alternate"] = adapter.alternates(page.url, self._languages(), self.base.site_url)
        generated = self._generated(page)
        if generated is None:
            self.theme_indexed.add(page.url)
        elif generated.searchable:
            # The page's final HTML, as Material's search would read it at this event.
            entries = search.entries(page.url, str(page.meta["title"]), page.content or "")
            self.memory().search.add(page.url, entries)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Languages, feed and share tags on every page; ClaimReview on claim pages."""
        assert self.state is not None and self.language is not None
        dataset, language = self.state.dataset, self.language
        generated = self._generated(page)
        claim = dataset.claims[generated.claim_id] if generated is not None and generated.claim_id else None
        url = page.canonical_url if config.site_url else None
        # Titles given to the theme are escaped for it; head tags escape their own values.
        title = generated.title if generated is not None else html.unescape(str(page.title or ""))
        description = html.unescape(str(page.meta.get("description") or ""))
        head = [self._head_tags(adapter.page_url(page.file), title, description, claim, url)]
        if claim is not None:
            head.append(json_ld_script(claim_review(dataset, claim, language.code, url, language.site_name)))
        return adapter.add_to_head(output, "\n".join(head))

    def _head_tags(self, page_url: str, page_title: str, description: str, claim: Claim | None, url: str | None) -> str:
        assert self.state is not None and self.language is not None and self.base is not None and self.env
        dataset, language = self.state.dataset, self.language
        code, languages, site_url = language.code, dataset.languages, self.base.site_url
        address = adapter.language_address(language, languages, site_url)
        title = claim.summary[code] if claim is not None else page_title or language.site_name
        description = description or language.site_description or language.site_name
        image = None
        if self.config.share_images:
            # Absolute under site_url, as share previews need; from the server's root otherwise.
            image = address + f"{SHARE_DIR}/{claim.id if claim else 'site'}.png"
        values = {
            "x_default": adapter.language_address(languages[0], languages, site_url) + page_url,
            "feed": address + FEED_PATH,
            "feed_title": f"{language.site_name} — {dataset.catalogues[code].text('feed_title')}",
            "sitemaps": adapter.sitemap_paths(languages, site_url),
            "is_claim": claim is not None,
            "site_name": language.site_name,
            "title": title,
            "description": description,
            "url": url,
            "locale": og_locale(language),
            "alternate_locales": [og_locale(other) for other in languages if other != language],
            "image": image,
            "image_alt": f"{title} — {description}",
            "published": claim.history[0].date if claim is not None else None,
            "modified": claim_modified(claim) if claim is not None else None,
        }
        return render_head_tags(self.env, values)

    @event_priority(-100)  # after every other plugin has finished this language (search writes its index)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        search.finish_index(Path(config.site_dir), self.memory().search, self.theme_indexed, self.page_urls)
        if not self.build_others or self.language != self._languages()[0]:
            return
        assert self.base is not None
        try:
            for language in self._languages()[1:]:
                self.language = language
                build(config, dirty=False)
        finally:
            self.language = self._languages()[0]
            config.site_dir, config.site_url = self.base.site_dir, self.base.site_url
        adapter.finish_sitemaps(Path(self.base.site_dir), self._languages(), self.base.site_url)
