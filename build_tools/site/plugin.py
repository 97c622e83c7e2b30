"""The MkDocs plugin (``plugins: [factcheck]``): generates the pages from the records on every
build, including each rebuild of ``mkdocs serve``, and adds the machine-readable outputs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page

from build_tools.content.load import CLAIMS_DIR, SEEDS_DIR
from build_tools.content.model import Language
from build_tools.site.opendata import claim_review, json_ld_script
from build_tools.problems import format_problems
from build_tools.site.render import (
    ASSET_FILES,
    ASSETS_DIR,
    GENERATED_DIRS,
    STYLESHEETS,
    Rendered,
    RenderOptions,
    fill_slots,
    render_pages,
)
from build_tools.content.resolve import Dataset, check_root
from build_tools.site.write import sync_tree

_CLAIM_PAGE = re.compile(r"^claims/([a-z0-9-]+)\.(fr|en)\.md$")
# A dataset the command line has already checked, so the build does not check it a second time;
# with its rendered pages too when they are already on disk (the parallel build renders them once,
# before the language builds start).
_PRELOADED: dict[Path, tuple[Dataset, Rendered | None]] = {}


@contextmanager
def preloaded(dataset: Dataset, rendered: Rendered | None = None) -> Iterator[None]:
    _PRELOADED[dataset.root.resolve()] = (dataset, rendered)
    try:
        yield
    finally:
        _PRELOADED.pop(dataset.root.resolve(), None)


class FactcheckConfig(Config):
    content_root = config_options.Type(str, default=".")
    edit_url = config_options.Optional(config_options.Type(str))


class FactcheckPlugin(BasePlugin[FactcheckConfig]):
    def __init__(self) -> None:
        self.dataset: Dataset | None = None
        self.fragments: dict[str, tuple[str, ...]] = {}

    def root(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.content_root).resolve()

    @staticmethod
    def _nested(config: MkDocsConfig) -> bool:
        # static-i18n builds the other language from inside the first build: generate only once.
        i18n = config.plugins.get("i18n")
        return bool(getattr(i18n, "building", False))

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # The badge styles and the verdict filter belong to the engine, so every content root gets them.
        for name in (*STYLESHEETS, *(name for name in ASSET_FILES if name.endswith(".js"))):
            target = config.extra_css if name.endswith(".css") else config.extra_javascript
            path = f"{ASSETS_DIR}/{name}"
            if path not in target:
                target.append(path)
        return config

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self.root(config)
        for folder in (CLAIMS_DIR, SEEDS_DIR, "data"):
            if (root / folder).is_dir():
                server.watch(str(root / folder))
        return server

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self._nested(config) and self.dataset is not None:
            return
        root = self.root(config)
        dataset, rendered = _PRELOADED.get(root, (None, None))
        if dataset is not None and rendered is not None:
            self.dataset, self.fragments = dataset, rendered.fragments
            return
        if dataset is None:
            result = check_root(root)
            if result.dataset is None:
                raise PluginError("the content has errors:\n" + format_problems(result.problems, "text"))
            dataset = result.dataset
        self.dataset = dataset
        rendered = render_pages(dataset, self.render_options(config))
        self.fragments = rendered.fragments
        sync_tree(Path(config.docs_dir), rendered.files, GENERATED_DIRS)

    def render_options(self, config: MkDocsConfig) -> RenderOptions:
        return RenderOptions(edit_url=self.config.edit_url, site_name=config.site_name)

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Any) -> str:
        fragments = self.fragments.get(page.file.src_uri)
        if not fragments:
            return html
        try:
            return fill_slots(html, fragments)
        except ValueError as exc:
            raise PluginError(f"{page.file.src_uri}: {exc}") from None

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        match = _CLAIM_PAGE.match(page.file.src_uri)
        if not match or self.dataset is None or match.group(1) not in self.dataset.claims:
            return output
        lang: Language = "fr" if match.group(2) == "fr" else "en"
        url = page.canonical_url or page.url
        review = claim_review(self.dataset, self.dataset.claims[match.group(1)], lang, url, config.site_name)
        return output.replace("</head>", f"{json_ld_script(review)}\n</head>", 1)
