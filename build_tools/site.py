"""Build the site with MkDocs into a staging folder, and swap it in only when everything worked."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from .plugin import preloaded
from .resolve import Dataset
from .write import staged_directory


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


def build_site(dataset: Dataset, site_dir: Path, config_file: Path | None = None) -> None:
    from mkdocs.commands.build import build
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
            preloaded(dataset),
            staged_directory(site_dir) as staging,
        ):
            config = load_config(str(config_path), site_dir=str(staging), strict=True)
            build(config)
    except MkDocsException as exc:
        details = "\n".join(collector.messages)
        raise BuildFailed(f"MkDocs failed: {exc}" + (f"\n{details}" if details else "")) from None
    finally:
        logger.removeHandler(collector)
