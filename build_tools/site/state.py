"""What a build of the site works from, and what a live preview keeps from one build to the next.

``SiteState`` is handed to every language's build (the checked dataset, its open data and the pages
each language renders when first asked); ``BuildMemory`` is what one language's build leaves for the
next build of a live preview.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from build_tools.content.dataset import Dataset
from build_tools.site import search
from build_tools.site.listings import site_modified
from build_tools.site.opendata import open_data
from build_tools.site.pages import LanguagePages, Rendered, RenderOptions, render_language
from build_tools.site.templating import make_environment


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
    # Claim pages rendered as each is written (``render_language``'s ``defer``); a live preview
    # keeps them rendered instead, to render its next version against.
    defer: bool = False

    @property
    def modified(self) -> str:
        """The last change of the content, for pages with no date of their own (hand-written ones)."""
        return site_modified(self.dataset)

    @classmethod
    def of(
        cls, dataset: Dataset, options: RenderOptions, previous: SiteState | None = None, *, defer: bool = False
    ) -> SiteState:
        """With ``previous`` (a live preview's last state, with the same templates), unchanged claim
        pages are not rendered again; with ``defer``, each claim page is rendered as it is written."""
        env = previous.env if previous else make_environment(dataset.root)
        earlier = Rendered(previous.dataset, previous.pages) if previous else None
        return cls(dataset, open_data(dataset), options, env, earlier, defer=defer)

    def language_pages(self, code: str) -> LanguagePages:
        if code not in self.pages:
            self.pages[code] = render_language(
                self.dataset, code, self.options, self.previous, self.env, defer=self.defer
            )
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
