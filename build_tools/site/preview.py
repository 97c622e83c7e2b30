"""A live preview that rebuilds only what an edit changed (``python -m build_tools serve``, ``make serve``).

The whole site is built once into a temporary folder and served by MkDocs' live-reload server.
When a file of the content root changes, the content is checked again (an error is printed,
located, and the served site stays as it was), the pages are rendered against the previous
version (a claim page whose claim, related claims and surroundings are unchanged is taken as it
was; a listing page too when nothing it read changed, and the claims index writes again only the
cards of edited claims: ``listing_reuse``), and each language is built by MkDocs in its dirty mode:
only the generated files that differ from the previous build go through the theme and are written.
The search index keeps every page's entries (``search.IndexMemory``); the pages of a deleted claim
are removed. A change to the templates or to anything a claim page shows besides claims renders
every page again; restarting the preview, or ``mkdocs serve``, rebuilds everything. The watcher
does not poll while a build runs, and the installed theme's files are listed once.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader
from mkdocs.livereload import LiveReloadServer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingEmitter, PollingObserver

from build_tools.content.kinds import CLAIMS_DIR, DATA_DIR, SEEDS_DIR
from build_tools.content.resolve import LoadCache, check_root
from build_tools.problems import Problem, format_problems, visible_lines
from build_tools.site import adapter
from build_tools.site.build import BuildFailed, build_languages, collected_warnings, plugin_of
from build_tools.site.state import BuildMemory, CompiledTemplates, SiteState
from build_tools.site.templating import ENGINE_TEMPLATES, ROOT_TEMPLATES

log = logging.getLogger("build_tools.preview")


@dataclass
class PreviewBuild:
    """What one build of the preview did."""

    problems: list[Problem] = field(default_factory=list)  # content errors: nothing was built
    rebuilt: dict[str, list[str]] = field(default_factory=dict)  # language → generated files written again
    seconds: float = 0.0


class Preview:
    """A site kept up to date in ``site_dir``, one build per change of the content root."""

    def __init__(self, root: Path, site_dir: Path, config_file: Path | None = None, site_url: str | None = None):
        self.root, self.site_dir = root, site_dir
        self.config_file = config_file or root / "mkdocs.yml"
        self.site_url = site_url  # the server's address, as `mkdocs serve` sets it
        self.state: SiteState | None = None
        self.templates: dict[str, int] = {}
        self.memories: dict[str, BuildMemory] = {}
        self.loaded = LoadCache()
        self.compiled = CompiledTemplates()
        self.theme_files: dict[tuple[tuple[str, ...], bool], list[str]] = {}

    def watched(self) -> list[Path]:
        folders = [self.root / name for name in (CLAIMS_DIR, SEEDS_DIR, DATA_DIR, ROOT_TEMPLATES)]
        return [folder for folder in folders if folder.is_dir()] + [self.config_file]

    def build(self) -> PreviewBuild:
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        started = time.perf_counter()
        result = check_root(self.root, cache=self.loaded)
        if result.dataset is None:
            return PreviewBuild(problems=[p for p in result.problems if p.severity == "error"])
        templates = _template_files(self.root)
        previous = self.state if templates == self.templates else None
        try:
            with (
                collected_warnings() as collector,
                _without_dirty_notice(),
                _theme_listed_once(self.root, self.theme_files),
            ):
                options = plugin_of(load_config(str(self.config_file))).render_options()
                state = SiteState.of(result.dataset, options, previous)
                languages = state.dataset.languages
                memories = {
                    language.code: self.memories.setdefault(language.code, BuildMemory(templates=self.compiled))
                    for language in languages
                }
                before = {code: (dict(memory.files), set(memory.outputs)) for code, memory in memories.items()}
                # Not strict: MkDocs' notice that a dirty build is under way would stop it.
                build_languages(
                    state, self.config_file, self.site_dir, strict=False, site_url=self.site_url, memories=memories
                )
                report = PreviewBuild()
                for language in languages:
                    files, written = before[language.code]
                    memory = memories[language.code]
                    report.rebuilt[language.code] = sorted(
                        path for path, content in memory.files.items() if files.get(path) != content
                    )
                    # A dirty build leaves every file it did not write: those of a deleted claim go.
                    folder = self.site_dir / adapter.language_prefix(language, languages)
                    _remove(folder, written - memory.outputs)
        except (MkDocsException, BuildFailed) as exc:
            self.state, self.memories = None, {}  # what is on disk is unknown: the next build is a full one
            details = "\n".join(collector.messages)
            raise BuildFailed(f"MkDocs failed: {exc}" + (f"\n{details}" if details else "")) from None
        except BaseException:  # a defect, or an interruption: the same, and the caller hears of it
            self.state, self.memories = None, {}
            raise
        self.state, self.templates = state, templates
        report.seconds = time.perf_counter() - started
        return report


def _remove(site_dir: Path, names: set[str]) -> None:
    for name in sorted(names):
        path = site_dir / name
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == site_dir or any(folder.iterdir()):
                break
            folder.rmdir()


class _DirtyNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


@contextmanager
def _without_dirty_notice() -> Iterator[None]:
    """MkDocs warns on every dirty build that links may be stale; here the preview keeps them right."""
    logger, notice = logging.getLogger("mkdocs.commands.build"), _DirtyNotice()
    logger.addFilter(notice)
    try:
        yield
    finally:
        logger.removeFilter(notice)


@contextmanager
def _theme_listed_once(root: Path, listed: dict[tuple[tuple[str, ...], bool], list[str]]) -> Iterator[None]:
    """MkDocs lists every file of the theme on every build of every language (Material's are 14,500
    files, a fifth of a second); an installed theme does not change while the preview runs, so its
    listing is kept in ``listed``. Folders of the content root (a ``custom_dir``) are listed each time."""
    original = FileSystemLoader.list_templates
    home = os.path.realpath(root)

    def listing(loader: FileSystemLoader) -> list[str]:
        folders = tuple(os.path.realpath(folder) for folder in loader.searchpath)
        if any(folder == home or folder.startswith(home + os.sep) for folder in folders):
            return original(loader)
        key = (folders, loader.followlinks)
        if key not in listed:
            listed[key] = original(loader)
        return list(listed[key])

    setattr(FileSystemLoader, "list_templates", listing)  # noqa: B010  # mypy refuses assigning a method
    try:
        yield
    finally:
        setattr(FileSystemLoader, "list_templates", original)  # noqa: B010


def _template_files(root: Path) -> dict[str, int]:
    """Every template file with its modification time: an edit to one renders every page again."""
    return {str(path): path.stat().st_mtime_ns for path in _templates(root)}


def _templates(root: Path) -> Iterator[Path]:
    for folder in (root / ROOT_TEMPLATES, ENGINE_TEMPLATES):
        if folder.is_dir():
            yield from (path for path in sorted(folder.rglob("*")) if path.is_file())


class AddressUnavailable(Exception):
    """The preview cannot listen where it was asked to (a busy port, an unknown host...)."""


def serve(root: Path, host: str = "127.0.0.1", port: int = 8000, config_file: Path | None = None) -> None:
    """Build, serve and keep up to date until interrupted.

    The address is taken before anything is built, so a busy port is reported at once and no
    temporary site is left behind."""
    site_dir = Path(tempfile.mkdtemp(prefix="factcheck-preview-"))
    try:
        _serve(root, site_dir, host, port, config_file)
    finally:
        shutil.rmtree(site_dir, ignore_errors=True)


def _serve(root: Path, site_dir: Path, host: str, port: int, config_file: Path | None) -> None:
    preview = Preview(root, site_dir, config_file, site_url=f"http://{_url_host(host)}:{port}/")

    def rebuild() -> None:
        try:
            report = preview.build()
        except BuildFailed as exc:
            log.error("%s", exc)
            return
        if report.problems:
            log.error(
                "the content has errors; the preview shows the last good version:\n%s",
                format_problems(report.problems, "text"),
            )
            return
        count = sum(len(paths) for paths in report.rebuilt.values())
        log.info("%d generated files rebuilt in %.2f s", count, report.seconds)

    # Polled every quarter of a second (MkDocs polls every half): the edit shows sooner.
    server = _PreviewServer(builder=rebuild, host=host, port=port, root=str(site_dir), polling_interval=0.25)
    try:
        server.listen()
        rebuild()
        for path in preview.watched():
            server.watch(str(path))
        server.serve()  # type: ignore[no-untyped-call]  # MkDocs leaves it unannotated
    except KeyboardInterrupt:
        log.info("stopping the preview")
    finally:
        server.shutdown()


class VisibleFormatter(logging.Formatter):
    """Log lines with every control character but the line break escaped: a request line or a
    file name cannot colour the terminal or forge a line of the log."""

    def format(self, record: logging.LogRecord) -> str:
        return visible_lines(super().format(record))


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# What a request path may not hold once decoded: C0 controls (NUL among them) and DEL. A file name
# with them cannot be in the site, and NUL makes open() raise rather than answer "no such file".
_MALFORMED_PATH = re.compile(r"[\x00-\x1f\x7f]")


class _PausedObserver(PollingObserver):
    """MkDocs' polling of the watched folders, paused while the preview builds: each poll reads the
    state of every file of the root, and at thousands of claims its thread took a third of the
    build's time. What is saved meanwhile shows at the next poll, which compares with the last."""

    def __init__(self, interval: float, idle: threading.Event) -> None:
        class PausedWhileBuilding(PollingEmitter):
            def queue_events(self, timeout: float) -> None:
                while not idle.wait(timeout) and self.should_keep_running():
                    pass
                super().queue_events(timeout)

        BaseObserver.__init__(self, PausedWhileBuilding, timeout=interval)  # PollingObserver's, another emitter


class _PreviewServer(LiveReloadServer):
    """MkDocs' live-reload server, bound before the first build, not polling while it builds, and
    answering a malformed request path with 400 (MkDocs answers it with 500 and a traceback in the log)."""

    def __init__(self, *, builder: Callable[[], None], polling_interval: float, **options: Any) -> None:
        self.idle = threading.Event()
        self.idle.set()

        def build() -> None:
            self.idle.clear()
            try:
                builder()
            finally:
                self.idle.set()

        super().__init__(builder=build, polling_interval=polling_interval, **options)
        self.observer = _PausedObserver(polling_interval, self.idle)

    def listen(self) -> None:
        try:
            self.server_bind()
            self.server_activate()
        except (OSError, OverflowError) as exc:  # OverflowError: a port over 65535
            self.server_close()
            raise AddressUnavailable(str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)) from None
        self._listening = True

    def server_bind(self) -> None:
        if not getattr(self, "_listening", False):  # LiveReloadServer.serve() binds again
            super().server_bind()

    def server_activate(self) -> None:
        if not getattr(self, "_listening", False):
            super().server_activate()

    def serve_request(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO", "")).encode("latin-1", "replace").decode("utf-8", "replace")
        if _MALFORMED_PATH.search(path) or "\ufffd" in path:  # MkDocs' request log says which
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request: malformed path\n"]
        return super().serve_request(environ, start_response)
