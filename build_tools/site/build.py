"""Build the site with MkDocs into a staging folder, and swap it in only when everything worked.

The content is checked once, here; then the languages are built at the same time, the first in
this process and each other one in a process of its own (forked, so each inherits the dataset
without copying it), each rendering that language's pages and building them, at most as many at a
time as the machine has cores. The result is the same, byte for byte, as one process building
the languages in turn (``parallel=False``, and what ``mkdocs build`` does).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import shutil
import tempfile
import traceback
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from build_tools.content.dataset import Dataset
from build_tools.content.model import SiteLanguage
from build_tools.site import adapter
from build_tools.site.plugin import FactcheckPlugin
from build_tools.site.state import BuildMemory, SiteState
from build_tools.site.templating import template_problem
from build_tools.site.write import refuse_unsafe_output, staged_directory

NO_SITE_URL = (
    "no site_url in mkdocs.yml: ClaimReview 'url', og:url and the sitemap's addresses are left out, and share "
    "images are linked from the server's root; set site_url (CI sets SITE_URL) to publish them"
)


TEMPLATE_FAILED = "a template failed: "


class BuildFailed(Exception):
    """MkDocs refused the site (a strict-mode warning, a broken link, a theme error)."""


def content_epoch(dataset: Dataset) -> int:
    """The newest date in the content, as the build date: the same content gives the same bytes."""
    dates = [article.meta.published for article in dataset.seeds.values()]
    dates += [claim.history[-1].date for claim in dataset.claims.values()]
    dates += [claim.reviewed_on for claim in dataset.claims.values()]
    newest = max(dates, default="1970-01-01")
    return int(datetime.fromisoformat(newest).replace(tzinfo=UTC).timestamp())


@contextmanager
def _environment(name: str, value: str) -> Iterator[None]:
    previous = os.environ.get(name)
    os.environ.setdefault(name, value)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)


class _WarningCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def collected_warnings() -> Iterator[_WarningCollector]:
    collector = _WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        yield collector
    finally:
        logger.removeHandler(collector)


def build_site(
    dataset: Dataset, site_dir: Path, config_file: Path | None = None, *, parallel: bool = True
) -> list[str]:
    """Build the site into a staging folder and swap it in; on any failure the old site stays.
    Returns what a reader of the build should know (what was left out, and why). A ``site_dir``
    that could hold content raises ``UnsafeOutput`` before anything is touched."""
    from jinja2 import TemplateError
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    refuse_unsafe_output(site_dir, dataset.root)
    site_dir = site_dir.resolve()
    config_path = config_file or dataset.root / "mkdocs.yml"
    if not config_path.is_file():
        raise BuildFailed(f"no MkDocs configuration at {config_path}")
    with collected_warnings() as collector:
        try:
            with (
                _environment("SOURCE_DATE_EPOCH", str(content_epoch(dataset))),
                staged_directory(site_dir) as staging,
            ):
                config = load_config(str(config_path), site_dir=str(staging), strict=True)
                notices = [] if config.site_url else [NO_SITE_URL]
                plugin = plugin_of(config)
                state = SiteState.of(dataset, plugin.render_options(), defer=True)
                if parallel and len(dataset.languages) > 1:
                    plugin.draw_missing_images(dataset)  # on every core, before the languages take them
                build_languages(state, config_path, staging, parallel=parallel, site_url=config.site_url)
        except MkDocsException as exc:
            details = "\n".join(collector.messages)
            raise BuildFailed(f"MkDocs failed: {exc}" + (f"\n{details}" if details else "")) from None
        except TemplateError as exc:
            raise BuildFailed(TEMPLATE_FAILED + template_problem(exc, dataset.root).as_text()) from None
    return notices


def plugin_of(config: Any) -> FactcheckPlugin:
    plugin = config.plugins.get("factcheck")
    if not isinstance(plugin, FactcheckPlugin):
        raise BuildFailed("mkdocs.yml does not list the 'factcheck' plugin")
    return plugin


def build_languages(
    state: SiteState,
    config_path: Path,
    site_dir: Path,
    *,
    languages: Sequence[SiteLanguage] | None = None,
    parallel: bool = False,
    strict: bool = True,
    site_url: str | None = None,
    memories: Mapping[str, BuildMemory] | None = None,
) -> None:
    """The one way a site's languages are built, for every caller: ``build_site`` (in parallel, each
    language in its own process), the plugin under a plain ``mkdocs build`` (the languages after the
    default one) and the live preview (with each language's ``memories``: a dirty build). Each
    language is one MkDocs build of its own configuration (``build_language``); then the sitemaps of
    the whole site."""
    languages = list(state.dataset.languages if languages is None else languages)
    if parallel and len(languages) > 1:
        _build_in_parallel(state, config_path, site_dir, languages)
    else:
        for language in languages:
            memory = memories.get(language.code) if memories else None
            build_language(state, language, config_path, site_dir, strict=strict, site_url=site_url, memory=memory)
    adapter.finish_sitemaps(site_dir, state.dataset.languages, site_url)


def build_language(
    state: SiteState,
    language: SiteLanguage,
    config_path: Path,
    site_dir: Path,
    *,
    strict: bool = True,
    site_url: str | None = None,
    memory: BuildMemory | None = None,
) -> None:
    """One language's MkDocs build, into its folder of ``site_dir``; with ``memory``, a dirty build
    that leaves the files unchanged since the build that memory comes from."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    settings = {"site_dir": str(site_dir)} | ({"site_url": site_url} if site_url is not None else {})
    config = load_config(str(config_path), strict=strict, **settings)
    plugin_of(config).use(state, only=language, memory=memory)
    build(config, dirty=memory is not None and bool(memory.files))


class LanguageBuildCrashed(Exception):
    """A language's build, in its own process, ended with an exception that is a defect, not the
    content's fault: the caller reports it as such (``main`` exits with 3)."""


def _build_in_parallel(state: SiteState, config_path: Path, staging: Path, languages: list[SiteLanguage]) -> None:
    from mkdocs.exceptions import Abort

    # The default language's build empties its folder first, so the others build beside it.
    targets = {languages[0].code: staging}
    for language in languages[1:]:
        targets[language.code] = Path(tempfile.mkdtemp(prefix=f".{staging.name}.{language.code}-", dir=staging.parent))
    # The language builds inherit the dataset and pages; the cyclic garbage collector of each would
    # write to every inherited object's header and so copy the pages holding them. Frozen, it leaves
    # them alone: they stay shared, and the whole tree's memory counts them once.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        failures: list[str] = []
        crashes: list[str] = []
        width = os.cpu_count() or 1
        for start in range(0, len(languages), width):
            batch = []
            # This process builds the first language itself, beside the others' processes: reading
            # the dataset writes to its objects (their reference counts), so each process that
            # builds holds its own copy of the pages it reads; one process fewer, one copy fewer.
            here = languages[start] if start == 0 else None
            for language in languages[start : start + width]:
                if language is here:
                    continue
                receive, send = context.Pipe(duplex=False)
                worker = context.Process(
                    target=_build_language, args=(state, language, config_path, targets[language.code], send)
                )
                worker.start()
                send.close()
                batch.append((worker, receive))
            outcomes = []
            try:
                if here is not None:
                    kept = _Kept()
                    _build_language(state, here, config_path, targets[here.code], kept)
                    outcomes.append(kept.value)
            finally:
                for worker, receive in batch:
                    outcomes.append(_result(receive))
                    worker.join()
            for crashed, messages in outcomes:
                (crashes if crashed else failures).extend(message for message in messages if message)
        if crashes:  # the first line names the language, the last the exception
            first, *_, last = crashes[0].splitlines() or [""]
            raise LanguageBuildCrashed(f"{first} {last}")
        if template_failures := [failure for failure in failures if failure.startswith(TEMPLATE_FAILED)]:
            raise BuildFailed(template_failures[0])
        if failures:
            raise Abort("\n".join(failures))
        for language in languages[1:]:
            shutil.move(str(targets[language.code] / language.code), str(staging / language.code))
    finally:
        gc.unfreeze()
        for language in languages[1:]:
            shutil.rmtree(targets[language.code], ignore_errors=True)


class _Sender(Protocol):
    def send(self, value: Any, /) -> None: ...
    def close(self) -> None: ...


class _Kept:
    """What a language build in this process reports, kept here instead of sent down a pipe."""

    def __init__(self) -> None:
        self.value: tuple[bool, list[str]] = (True, ["a language build ended without a result"])

    def send(self, value: tuple[bool, list[str]], /) -> None:
        self.value = value

    def close(self) -> None:
        pass


def _result(receive: Connection) -> tuple[bool, list[str]]:
    """(whether the build crashed, what went wrong)."""
    try:
        crashed, messages = receive.recv()
        return bool(crashed), list(messages)
    except EOFError:
        return True, ["a language build ended without a result"]


def _build_language(state: SiteState, language: SiteLanguage, config_path: Path, site_dir: Path, send: _Sender) -> None:
    """One language's build (in a forked process, or the building one); sends back what went wrong,
    or nothing."""
    from jinja2 import TemplateError
    from mkdocs.exceptions import MkDocsException

    messages: list[str] = []
    crashed = False
    with collected_warnings() as collector:
        try:
            build_language(state, language, config_path, site_dir)
        except (MkDocsException, BuildFailed) as exc:
            messages = [str(exc), *collector.messages]
        except TemplateError as exc:  # the content's templates: located, not a defect
            messages = [TEMPLATE_FAILED + template_problem(exc, state.dataset.root).as_text()]
        except Exception:  # a defect, not the content's fault: its traceback must reach the caller
            crashed, messages = True, [f"the {language.code} build crashed:\n{traceback.format_exc().rstrip()}"]
    send.send((crashed, messages))
    send.close()
