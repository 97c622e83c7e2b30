"""Build the site with MkDocs into a staging folder, and swap it in only when everything worked."""

from __future__ import annotations

import gzip
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from build_tools.site.plugin import preloaded
from build_tools.site.render import GENERATED_DIRS, render_pages
from build_tools.content.resolve import Dataset
from build_tools.site.write import staged_directory, sync_tree


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


def build_site(dataset: Dataset, site_dir: Path, config_file: Path | None = None, *, parallel: bool = True) -> None:
    """Build the site into a staging folder and swap it in; on any failure the old site stays.

    With two languages and ``parallel``, each language is built in its own process (the machine has
    two cores), after the pages were generated once; the result is the same, byte for byte.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_path = config_file or dataset.root / "mkdocs.yml"
    if not config_path.is_file():
        raise BuildFailed(f"no MkDocs configuration at {config_path}")
    collector = _WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        with (
            _environment("SOURCE_DATE_EPOCH", str(content_epoch(dataset))),
            staged_directory(site_dir) as staging,
        ):
            config = load_config(str(config_path), site_dir=str(staging), strict=True)
            languages = _languages(config)
            if parallel and len(languages) == 2:
                other_sitemap = _build_in_parallel(dataset, config, staging, languages)
            else:
                with preloaded(dataset):
                    _build(config)
                other_sitemap = ""
            _finish_sitemap(staging, config.site_url, other_sitemap)
    except (MkDocsException, _WorkerFailed) as exc:
        details = "\n".join(collector.messages)
        raise BuildFailed(f"MkDocs failed: {exc}" + (f"\n{details}" if details else "")) from None
    finally:
        logger.removeHandler(collector)


def _build(config: Any) -> None:
    from mkdocs.commands.build import build

    build(config)


def _languages(config: Any) -> list[str]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return []
    return [lang.locale for lang in i18n.config.languages if lang.build]


class _WorkerFailed(Exception):
    pass


def _build_in_parallel(dataset: Dataset, config: Any, staging: Path, languages: list[str]) -> str:
    """Returns the other language's sitemap, to be merged into the default one."""
    # Pages are generated once, here; the workers are forked, so they inherit them with the dataset.
    plugin = config.plugins["factcheck"]
    rendered = render_pages(dataset, plugin.render_options(config))
    sync_tree(Path(config.docs_dir), rendered.files, GENERATED_DIRS)
    default, other = languages
    other_dir = Path(tempfile.mkdtemp(prefix=f".{staging.name}.{other}-", dir=staging.parent))
    try:
        with preloaded(dataset, rendered):
            context = multiprocessing.get_context("fork")
            with context.Pool(2) as pool:
                jobs = [
                    pool.apply_async(_build_language, (str(config.config_file_path), str(target), lang))
                    for target, lang in ((staging, default), (other_dir, other))
                ]
                failures = [job.get() for job in jobs]
        failures = [failure for failure in failures if failure]
        if failures:
            raise _WorkerFailed("\n".join(failures))
        shutil.copytree(other_dir / other, staging / other)
        _merge_search_indexes(staging, other_dir)
        return (other_dir / "sitemap.xml").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(other_dir, ignore_errors=True)


def _build_language(config_path: str, site_dir: str, language: str) -> str:
    """One language's build, in a worker process; returns what went wrong, or nothing."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collector = _WarningCollector()
    logging.getLogger("mkdocs").addHandler(collector)
    try:
        config = load_config(config_path, site_dir=site_dir, strict=True)
        i18n: Any = config.plugins["i18n"]
        # Build this language only: static-i18n would otherwise build the others from inside.
        i18n.current_language = language
        i18n.building = True
        _build(config)
    except MkDocsException as exc:
        return "\n".join([str(exc), *collector.messages])
    return ""


_URLSET_END = "</urlset>"
_EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<!-- No site_url is configured, so no absolute address can be given. -->\n"
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


def _finish_sitemap(site: Path, site_url: str | None, other: str) -> None:
    """A sitemap lists absolute addresses: with no site_url, write an empty one rather than "None/...".
    After a parallel build, add the other language's entries, as the sequential build lists them."""
    from mkdocs.utils import get_build_timestamp

    path = site / "sitemap.xml"
    if not path.is_file():
        return
    if not site_url:
        text = _EMPTY_SITEMAP
    else:
        text = path.read_text(encoding="utf-8")
        if other and "<url>" in other:
            first = other.rindex("\n", 0, other.index("<url>")) + 1  # from the start of its line
            end = text.rindex(_URLSET_END)
            text = text[:end] + other[first : other.rindex(_URLSET_END)] + text[end:]
    path.write_text(text, encoding="utf-8")
    with (
        path.with_suffix(".xml.gz").open("wb") as handle,
        gzip.GzipFile(fileobj=handle, filename=str(path) + ".gz", mode="wb", mtime=get_build_timestamp()) as compressed,
    ):
        compressed.write(text.encode("utf-8"))


def _merge_search_indexes(site: Path, other: Path) -> None:
    """One index for both languages, as static-i18n writes it: the default language's entries first."""
    path = site / "search" / "search_index.json"
    main = json.loads(path.read_text(encoding="utf-8"))
    extra = json.loads((other / "search" / "search_index.json").read_text(encoding="utf-8"))
    main["docs"] += extra["docs"]
    path.write_text(json.dumps(main, separators=(",", ":"), default=str), encoding="utf-8")
