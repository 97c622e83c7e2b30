"""Shared helpers: a fresh copy of a fixture content root, and the CLI run in-process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

import pytest

from build_tools.cli import main

# The browser fixtures (``browser``, ``page``) for every test that reads the site as a reader does.
pytest_plugins = ["browsing"]

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent

# No test depends on the machine's clock or time zone. The fixture roots are dated January 2025;
# every check that is given no date runs as on TODAY (subprocesses get it as SOURCE_DATE_EPOCH).
TODAY = date(2026, 1, 1)
TODAY_EPOCH = str(int(datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC).timestamp()))
# The repository's content is checked as on the day of its newest date, which it never passes: the
# real date is CI's `make check` (and test_today's time-zone test) to judge, not the unit tests'.
REPO_TODAY = max(
    date.fromisoformat(found)
    for folder in ("claims", "seeds", "data")
    for path in sorted((REPO / folder).glob("*.yml"))
    for found in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", path.read_text(encoding="utf-8"))
)


def built_site_scope(fixture_name: str, config: pytest.Config) -> Literal["function", "module"]:
    """The scope of a fixture that builds a site: one build per test module, except while mutation
    testing records which tests reach which function ("stats"). mutmut then runs, for each mutant,
    only the tests tied to the mutated function, and a build made once per module would tie the
    functions it calls (ClaimReview, the feeds, the adapter) to the module's first test alone."""
    return "function" if os.environ.get("MUTANT_UNDER_TEST") == "stats" else "module"


@pytest.fixture(autouse=True, scope="session")
def _pinned_today() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("build_tools.content.resolve.today_utc", lambda *args: TODAY)
        yield


# The published address of the sites the platform tests build: share previews, search engines and
# feeds need absolute addresses, which only a site_url gives.
SITE_URL = "https://example.org/checks/"
# Every page of the three-language fixture, from a language's root.
SHARED_PAGES = ["", "claims/", "claims/bridge-length/", "claims/good-news/", "article/", "faq/", "timeline/"]
SHARED_PAGES += ["options/", "sources/", "methodology/", "corrections/"]


@pytest.fixture(scope=built_site_scope)
def shared_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three-language fixture built with a site_url, once per module."""
    root = copy_root(FIXTURES / "trilingual", tmp_path_factory.mktemp("share") / "root")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("site_dir: site", f"site_dir: site\nsite_url: {SITE_URL}")
    )
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


@dataclass
class Run:
    code: int
    out: str
    err: str


def git(root: Path, *args: str) -> None:
    """A git command in ``root``, as a fixed author."""
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@t", "-c", "user.name=t", *args], check=True, capture_output=True
    )


@pytest.fixture
def repo(minimal_root: Path) -> Path:
    """A copy of the minimal root with its content committed to a new git repository."""
    git(minimal_root, "init", "-q")
    git(minimal_root, "add", "-A")
    git(minimal_root, "commit", "-q", "-m", "published")
    return minimal_root


@pytest.fixture
def minimal_root(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/minimal (two claims, one seed)."""
    return copy_root(FIXTURES / "minimal", tmp_path / "root")


def copy_root(source: Path, target: Path) -> Path:
    """Copy a content root without its built site (as a fresh clone has it)."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {"site"} & set(names) if Path(folder) == source else set()

    shutil.copytree(source, target, ignore=ignore)
    return target


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    def run(*args: str | Path) -> Run:
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Set TZ with it, then call time.tzset(); the process's zone is restored afterwards."""
    yield monkeypatch
    monkeypatch.undo()
    time.tzset()


@dataclass(frozen=True)
class ServedSite:
    folder: Path
    url: str  # where it is served, on 127.0.0.1; also its site_url


@pytest.fixture(scope="session")
def platform_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """The repository's site as it is published: built with its address as site_url (absolute
    hreflang links, canonical addresses), served on 127.0.0.1 with compression, once per session,
    for the platforms' own checkers (the Nu checker, Lighthouse, pa11y, structured data)."""
    from siteserver import free_port, serving

    from build_tools.content.resolve import check_root
    from build_tools.site.build import build_site

    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    dataset = check_root(REPO, REPO_TODAY).dataset
    assert dataset is not None
    folder = tmp_path_factory.mktemp("published") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITE_URL", url)
        build_site(dataset, folder)
    with serving(folder, port) as served:
        assert served == url
        yield ServedSite(folder, url)
