"""A pytest plugin for `make mutation` only (``-p tests.mutmut_inprocess`` in pyproject's [tool.mutmut]).

Three things make a mutation run both right and short enough for a laptop:

- ``build`` builds each language in a forked process. mutmut learns which tests reach a function by
  recording calls in the test process, so a call made in a forked language build (ClaimReview, the
  feeds, the share images, every MkDocs touchpoint of the adapter) would tie no test to the function.
  Under mutmut the language builds run one after the other in the test process instead: the same
  function, ``_build_language``, with the same pipe, so the result is the same and every call is seen.
- A mutant of the content core is tried against the tests that do not build a site: the core's own
  tests must catch what breaks it, and a site build costs a second or more per test.
- The tests a mutant is tried against run cheapest first, so that most mutants die in a fraction of a
  second (mutmut stops at the first failure).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest


class _InProcess:
    """Starting it runs the target at once, in this process."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...]) -> None:
        self.target, self.args = target, args

    def start(self) -> None:
        self.target(*self.args)

    def join(self) -> None:
        pass


_CONTEXT = SimpleNamespace(Pipe=multiprocessing.Pipe, Process=_InProcess)


def _in_process_context(method: str) -> SimpleNamespace:
    multiprocessing.get_context(method)  # refuses a start method the real module would refuse
    return _CONTEXT


@pytest.fixture(autouse=True, scope="session")
def _language_builds_in_process() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("build_tools.site.build.multiprocessing", SimpleNamespace(get_context=_in_process_context))
        yield


# Test files whose tests build a site (or run a whole random-input campaign), slowest last.
_SITE_FILES = (
    "test_escaping.py",
    "test_share.py",
    "test_outputs.py",
    "test_search.py",
    "test_preview.py",
    "test_site.py",
)
_SLOW_FILES = ("test_properties.py", *_SITE_FILES)
# Tests elsewhere that build a site: by name, or by the built-site fixture they use.
_SITE_TESTS = ("test_internal_links_and_anchors", "test_synthetic_root_checks_and_builds")
_SITE_FIXTURES = ("trilingual",)


def _builds_a_site(item: pytest.Item) -> bool:
    name = getattr(item, "originalname", item.name)
    fixtures = getattr(item, "fixturenames", ())
    return item.path.name in _SITE_FILES or name in _SITE_TESTS or any(f in fixtures for f in _SITE_FIXTURES)


def _cost(item: pytest.Item) -> int:
    return _SLOW_FILES.index(item.path.name) + 2 if item.path.name in _SLOW_FILES else int(_builds_a_site(item))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if mutant.startswith("build_tools.content."):
        deselected = [item for item in items if _builds_a_site(item)]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not _builds_a_site(item)]
    items.sort(key=_cost)  # stable: a module's tests stay together, in their order
