"""The templates' environment: where templates come from, the sandbox they render in, and the filters
and functions they call (interface strings, dates, names of languages and countries).

A content root's templates come from strangers' pull requests: every template renders in Jinja's
immutable sandbox, from confined folders, with autoescaping on.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateNotFound
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from build_tools.content.catalogue import Catalogue, fill
from build_tools.content.dataset import Dataset
from build_tools.content.markup import is_http_url, render_inline
from build_tools.problems import Problem

ENGINE_TEMPLATES = Path(__file__).parent / "templates"
ROOT_TEMPLATES = "templates"  # a content root's folder of template overrides


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


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its verdict on an attribute remembered by the object's type and the
    attribute's name: the verdict depends on nothing else (``is_internal_attribute`` and
    ``modifies_known_mutable`` look at what type the object is, and the name), and a site's pages ask
    the same few hundred questions hundreds of thousands of times."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def make_environment(root: Path) -> Environment:
    """Templates from the content root's ``templates/`` first, then the engine's. A content root's
    templates come from strangers' pull requests: every template renders in Jinja's immutable
    sandbox, which refuses the attribute walks (``__globals__``, ``__subclasses__``) that reach code."""
    folders = [root / ROOT_TEMPLATES] if (root / ROOT_TEMPLATES).is_dir() else []
    env = Sandbox(
        loader=ChoiceLoader([ConfinedLoader(folder) for folder in [*folders, ENGINE_TEMPLATES]]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=False,
        # A template is read once per environment: a build is over before anyone edits one, and the
        # live preview makes a new environment when a template changes. Otherwise every
        # ``{% import %}`` of every page asks the file system whether the file changed.
        auto_reload=False,
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


def render_footer(
    dataset: Dataset, lang: str, root: str, issues_url: str | None, env: Environment | None = None
) -> str:
    """The footer of one language's pages; ``root`` is that language's address from the server's root.
    ``env``: the build's templates, compiled already (a live preview renders the footer on every save)."""
    env = env or make_environment(dataset.root)
    values = {"lang": lang, "root": root, "issues_url": issues_url, "licence": dataset.site.data_licence}
    return env.get_template("footer.html").render(values, **catalogue_functions(dataset.catalogues[lang]))


def render_head_tags(env: Environment, values: dict[str, Any]) -> str:
    return env.get_template("head.html").render(values)


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


def language_name(page_language: str, code: str) -> str:
    """A language's name in the page's language ("russe" on a French page), or its code if unknown."""
    return _locale_name(page_language, "languages", code)


def country_name(page_language: str, code: str) -> str:
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
