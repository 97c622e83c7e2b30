"""Every touchpoint with MkDocs beyond the plugin events themselves, in one module.

The site is built once per language, each build a plain MkDocs build: the default language at the
site's root, every other one in ``<code>/``. For each build this module sets the language's
settings (theme language, site name, address, navigation), hands MkDocs the generated pages as
virtual files (``File.generated``, nothing written into ``docs/``), picks the hand-written pages of
that language (``index.fr.md`` is ``index.md`` in the French build), gives MkDocs the title and
table of contents of generated pages, points Material's language switcher at the same page in
every other language, and merges the languages' sitemaps once all are built.

``tests/test_adapter.py`` checks these assumptions against the pinned MkDocs and Material.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_timestamp

from build_tools.content.model import SiteLanguage
from build_tools.site.pages import GeneratedPage
from build_tools.site.plan import PlannedPage, SitePlan
from build_tools.site.reserved import SUFFIXED

_SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<!-- No site_url is configured, so no absolute address can be given. -->\n"
    f'<urlset xmlns="{_SITEMAP_NS}"></urlset>\n'
)


def theme_text(text: str) -> str:
    """Text for a value the theme prints without escaping (page and nav titles): escaped here, once."""
    return str(escape(text))


@dataclass(frozen=True)
class BaseSettings:
    """The configuration's values before any language changed them."""

    site_dir: str
    site_url: str | None

    @classmethod
    def of(cls, config: MkDocsConfig) -> BaseSettings:
        return cls(config.site_dir, config.site_url)


def check_settings(config: MkDocsConfig) -> None:
    """Refuse the MkDocs settings the generated links rely on, saying what to change."""
    if not config.use_directory_urls:
        raise PluginError(
            "factcheck: generated pages link to folders ('claims/<id>/'), which needs "
            "'use_directory_urls: true' in mkdocs.yml (remove 'use_directory_urls: false')"
        )


def language_prefix(language: SiteLanguage, languages: list[SiteLanguage]) -> str:
    """Where a language's pages live under the site's root: '' for the default, '<code>/' otherwise."""
    return "" if language.code == languages[0].code else f"{language.code}/"


def configure_language(
    config: MkDocsConfig,
    base: BaseSettings,
    language: SiteLanguage,
    languages: list[SiteLanguage],
    nav: list[Any],
    toggle_names: dict[str, str],
) -> None:
    prefix = language_prefix(language, languages)
    config.site_dir = os.path.join(base.site_dir, prefix) if prefix else base.site_dir
    config.site_url = (base.site_url.rstrip("/") + "/" + prefix) if base.site_url else base.site_url
    # The theme prints these without escaping (in <title>, the header, <meta> attributes).
    config.site_name = theme_text(language.site_name)
    config.site_description = theme_text(language.site_description) if language.site_description else None
    config.theme["language"] = language.code
    # Material's palette toggles are named for the scheme they switch to.
    for palette in config.theme.get("palette") or []:
        toggle = palette.get("toggle") if isinstance(palette, dict) else None
        if isinstance(toggle, dict):
            toggle["name"] = theme_text(toggle_names["slate" if palette.get("scheme") == "default" else "default"])
    config.nav = nav


def navigation(plan: SitePlan, nav_title: Callable[[str], str]) -> list[Any]:
    """The site's menu: the site's pages around its article's (with several articles, the articles'
    list is one of the site's pages, and each article's pages are in its own menu: the site's menu
    keeps its size whatever the number of articles). Claim pages are never in it."""

    def entry(page: PlannedPage) -> dict[str, str]:
        return {theme_text(nav_title(page.kind)): page.src_uri}

    articles = [] if plan.several_articles else [page for article in plan.articles for page in article.pages]
    return [entry(page) for page in (*plan.first, *articles, *plan.last)]


_SUFFIXED = SUFFIXED


class _PageWithoutMarkdown(Page):
    """A generated page that has no Markdown of its own (a claim page). MkDocs would make a Markdown
    converter, with every extension, to convert an empty text: thousands of times in a large site.
    MkDocs lets a plugin give a file its page (``File.page``), as long as it is a ``Page``."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


class _UnchangedFile(File):
    """A generated file the same as in the previous build of a live preview: MkDocs' dirty build
    (``build(config, dirty=True)``) neither renders nor writes it again."""

    def is_modified(self) -> bool:
        return False


class _LinkedCopy(File):
    """A file of the build machine's cache (a share image, its bytes checked against its name just
    before) put in the site as a hard link when both are on one file system: a site of 25,000 claims
    has 50,000 of them, and copying each took most of what the cache saves. Anything at the
    destination is removed first, never written through: it may itself be a link to a cache entry."""

    def is_modified(self) -> bool:
        """Whether a live preview's dirty build must put the file there again: unless the site holds
        this very cache entry (linked), or a copy of it (its size and time, which a copy is given).
        Comparing times alone, as MkDocs does, would keep the newer image of an edit that was undone."""
        assert self.abs_src_path is not None
        try:
            source, there = os.stat(self.abs_src_path), os.stat(self.abs_dest_path, follow_symlinks=False)
        except OSError:
            return True
        linked = (source.st_dev, source.st_ino) == (there.st_dev, there.st_ino)
        return not (linked or (source.st_size, source.st_mtime_ns) == (there.st_size, there.st_mtime_ns))

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        assert self.abs_src_path is not None
        output = self.abs_dest_path
        os.makedirs(os.path.dirname(output), exist_ok=True)
        if os.path.lexists(output):
            os.unlink(output)
        try:
            os.link(self.abs_src_path, output, follow_symlinks=False)
        except OSError:  # another file system, or links refused: a copy, with the entry's time
            shutil.copyfile(self.abs_src_path, output)
            shutil.copystat(self.abs_src_path, output)


def language_files(
    files: Files,
    config: MkDocsConfig,
    lang: str,
    codes: Iterable[str],
    pages: dict[str, GeneratedPage],
    data: Mapping[str, str],
    copies: Mapping[str, Path] | None = None,
    unchanged: Collection[str] = (),
) -> Files:
    """The files of one language's build: its hand-written files under their unsuffixed names, the
    files that have no language, the generated pages and data files as virtual files, and
    ``copies`` (path in the site → a file to copy there, such as a cached share image). Generated
    files named in ``unchanged`` are left as they are by a dirty build."""
    codes = set(codes)
    _check_translated_pages(files, config, codes)
    kept: list[File] = []
    for file in files:
        match = _SUFFIXED.match(file.src_uri) if file.src_dir == config.docs_dir else None
        if match is None or match["code"] not in codes:
            kept.append(file)
        elif match["code"] == lang:
            plain = match["stem"] + match["ext"]
            kept.append(File.generated(config, plain, abs_src_path=file.abs_src_path or ""))
            if plain.endswith(".md") and plain not in pages:
                # A hand-written page of the content root follows the generated ones in the navigation.
                config.nav = [*(config.nav or []), plain]
    out = Files(kept)
    unchanged = frozenset(unchanged)

    def generated(src_uri: str, content: str, inclusion: InclusionLevel = InclusionLevel.UNDEFINED) -> File:
        kind = _UnchangedFile if src_uri in unchanged else File
        return kind.generated(config, src_uri, content=content, inclusion=inclusion)

    for src_uri, page in pages.items():
        file = generated(src_uri, page.intro, _inclusion(page))
        _add(out, file)
        if not page.intro and page.claim_id:  # not in the nav (pages in the nav get their page from it)
            _PageWithoutMarkdown(None, file, config)
    for path, content in data.items():
        _add(out, generated(path, content))
    for path, source in (copies or {}).items():
        _add(out, _LinkedCopy.generated(config, path, abs_src_path=str(source)))
    return out


def page_url(file: File) -> str:
    """The address MkDocs gives the page of ``file`` (``Page.url``: the home page's is '', not './')."""
    return "" if file.url in (".", "./") else file.url


def _check_translated_pages(files: Files, config: MkDocsConfig, codes: set[str]) -> None:
    """A hand-written page exists in every language, or the switcher would lead nowhere."""
    found: dict[str, set[str]] = {}
    for file in files:
        match = _SUFFIXED.match(file.src_uri) if file.src_dir == config.docs_dir else None
        if match is not None and file.is_documentation_page():
            found.setdefault(match["stem"] + match["ext"], set()).add(match["code"])
    problems = [
        f"docs/{page}: no {', '.join(sorted(codes - languages))} version "
        f"(add {', '.join(page.removesuffix('.md') + f'.{code}.md' for code in sorted(codes - languages))})"
        for page, languages in sorted(found.items())
        if languages & codes and codes - languages
    ]
    if problems:
        raise PluginError("factcheck: hand-written pages must exist in every language:\n" + "\n".join(problems))


def _inclusion(page: GeneratedPage) -> InclusionLevel:
    # Claim pages are linked from the index, never listed in the nav: Material renders the whole nav
    # into every page, so a nav of all claims would make the build quadratic.
    return InclusionLevel.NOT_IN_NAV if page.claim_id or not page.in_nav else InclusionLevel.UNDEFINED


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(f"factcheck: docs/ holds '{file.src_uri}', a page the generator writes; remove it")
    files.append(file)


def prepare_generated_page(page: Page, generated: GeneratedPage) -> None:
    """Before MkDocs converts the page's (introduction) Markdown: its title, its description and
    date, and out of Material's search, which would parse its HTML again (the plugin indexes the
    searchable ones itself)."""
    page.meta["title"] = theme_text(generated.title)
    page.meta["search"] = {"exclude": True}
    describe_page(page, generated.description, generated.modified)


def describe_page(page: Page, description: str, modified: str) -> None:
    """What the theme prints as the page's ``<meta name="description">`` (a description the page
    gives itself comes first), and the date of its last change in the sitemap: from the content,
    not the build (``Page.update_date``, which MkDocs' sitemap template prints as ``lastmod``)."""
    if description and not page.meta.get("description"):
        page.meta["description"] = theme_text(description)
    if modified:
        page.update_date = modified


def finish_generated_page(page: Page, generated: GeneratedPage, converted_intro: str) -> str:
    """The page's HTML around its converted introduction, and its table of contents and anchors."""
    tokens: list[Any] = [dict(level=level, id=anchor, name=name, children=[]) for level, anchor, name in generated.toc]
    intro_toc = [_token(link) for link in page.toc]
    page.toc = get_toc(intro_toc + tokens)
    anchors = set(page.present_anchor_ids or ())
    page.present_anchor_ids = (
        anchors
        | {anchor for _, anchor, _ in generated.toc}
        | set(re.findall(r' id="([^"]+)"', generated.before + generated.after))
    )
    return generated.before + converted_intro + generated.after


def _token(link: Any) -> dict[str, Any]:
    return {"level": link.level, "id": link.id, "name": link.title, "children": [_token(c) for c in link.children]}


def language_root(language: SiteLanguage, languages: list[SiteLanguage], site_url: str | None) -> str:
    """A language's address from the server's root: under ``site_url``'s path when it is set."""
    root = urlsplit(site_url).path.rstrip("/") + "/" if site_url else "/"
    return root + language_prefix(language, languages)


def language_address(language: SiteLanguage, languages: list[SiteLanguage], site_url: str | None) -> str:
    """A language's absolute address when ``site_url`` is known, its path from the server's root otherwise."""
    prefix = language_prefix(language, languages)
    return site_url.rstrip("/") + "/" + prefix if site_url else "/" + prefix


def issues_url(repo_url: str | None) -> str | None:
    """Where readers report an error: the repository's issue tracker, when the configuration names one."""
    return repo_url.rstrip("/") + "/issues" if repo_url else None


def set_footer(config: MkDocsConfig, footer_html: str) -> None:
    """Material prints ``copyright`` as it is, in its footer: the HTML comes from an autoescaping template.
    Its 'Made with Material' line gives way to the site's own footer."""
    config.copyright = footer_html
    config.extra["generator"] = False


def alternates(page_url: str, languages: list[SiteLanguage], site_url: str | None) -> list[dict[str, str]]:
    """Material's language switcher entries for one page: the same page in every language.

    The theme prints them as ``hreflang`` links in the head too, which search engines want absolute,
    and passes each through MkDocs' ``url`` filter, which keeps absolute links as they are but cannot
    express a relative one that leaves the current language's folder: so links are absolute under
    ``site_url`` when it is set, from the server's root otherwise."""
    if len(languages) < 2:  # nothing to switch to: Material shows no switcher
        return []
    return [
        {
            "name": theme_text(language.name),
            "link": language_address(language, languages, site_url) + page_url,
            "lang": language.code,
        }
        for language in languages
    ]


def sitemap_paths(languages: list[SiteLanguage], site_url: str | None) -> list[str]:
    """Each language's sitemap, from the server's root: the only sitemaps a site has."""
    return [language_root(language, languages, site_url) + "sitemap.xml" for language in languages]


def add_to_head(output: str, html: str) -> str:
    """Tags for the page's head, before the theme's closing tag."""
    return output.replace("</head>", f"{html}\n</head>", 1)


def finish_sitemaps(site_dir: Path, languages: list[SiteLanguage], site_url: str | None) -> None:
    """One sitemap at the root listing every language's pages (each language keeps its own too);
    with no ``site_url``, an empty one rather than made-up addresses."""
    root = site_dir / "sitemap.xml"
    if not root.is_file():
        return
    if not site_url:
        text = _EMPTY_SITEMAP
        for language in languages[1:]:
            _write_sitemap(site_dir / language.code / "sitemap.xml", _EMPTY_SITEMAP)
    else:
        ET.register_namespace("", _SITEMAP_NS)
        merged = ET.parse(root)
        for language in languages[1:]:
            other = site_dir / language.code / "sitemap.xml"
            if other.is_file():
                merged.getroot().extend(ET.parse(other).getroot())
        ET.indent(merged)
        text = ET.tostring(merged.getroot(), encoding="unicode", xml_declaration=False)
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"
    _write_sitemap(root, text)


def _write_sitemap(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    with (
        path.with_suffix(".xml.gz").open("wb") as handle,
        gzip.GzipFile(fileobj=handle, filename=str(path) + ".gz", mode="wb", mtime=get_build_timestamp()) as zipped,
    ):
        zipped.write(text.encode("utf-8"))
