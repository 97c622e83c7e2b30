"""What every command shares: exit statuses, the usage error, problems reported as text, GitHub
annotations or JSON, and the content root checked the one way every command checks it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from build_tools.content.dataset import CheckResult, Dataset
from build_tools.content.resolve import check_root
from build_tools.problems import format_problems, has_errors, visible

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called, not in the content."""


def report(result: CheckResult, fmt: str, after_errors: str = "; nothing was written") -> int:
    if result.problems:
        stream = sys.stdout if fmt != "text" else sys.stderr
        print(format_problems(result.problems, fmt), file=stream)
    elif fmt == "json":
        print("[]")
    if has_errors(result.problems):
        if fmt == "text":
            errors = sum(problem.severity == "error" for problem in result.problems)
            print(f"{errors} error(s){after_errors}", file=sys.stderr)
        return EXIT_CONTENT
    return EXIT_OK


def checked_root(root: Path, today: date | None = None) -> CheckResult:
    """``check_root``, and what the site layer can tell of ``docs/`` before MkDocs runs."""
    result = check_root(root, today)
    if result.dataset is None:
        return result
    from build_tools.site.reserved import docs_problems

    problems = result.problems + docs_problems(result.dataset)
    return CheckResult(None if has_errors(problems) else result.dataset, problems)


def not_the_config(root: Path) -> Callable[[Path], str | None]:
    config = root.resolve() / "mkdocs.yml"
    return lambda path: "is the content root's mkdocs.yml" if path == config else None


def revision_option(option: str, value: str) -> None:
    """A revision given to git, which would read one that starts with '-' as an option (such as
    ``--output=FILE``, which writes a file): a usage error."""
    if value.startswith("-"):
        raise UsageError(f"{option}: '{visible(value)}' is not a revision (it starts with '-')")


def checked(root: Path, fmt: str = "text") -> Dataset | int:
    """The root's validated dataset, or the exit status once the reasons there is none are reported."""
    result = checked_root(root)
    return result.dataset if result.dataset is not None else report(result, fmt)
