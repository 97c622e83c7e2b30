"""The one value every stage returns when something is wrong, and its three output formats."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong in the content, located in a file relative to the content root.

    ``line`` and ``col`` are 1-based; 0 means the whole file.
    """

    path: str
    line: int
    col: int
    code: str
    message: str
    severity: Severity = "error"

    def as_text(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"

    def as_github(self) -> str:
        # Workflow commands need their own escaping: properties also escape ':' and ','.
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", self.path),
                ("line", max(self.line, 1)),
                ("col", max(self.col, 1)),
                ("title", self.code),
            )
        )
        return f"::{self.severity} {props}::{_escape_data(self.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)


def format_problems(problems: Iterable[Problem], fmt: str) -> str:
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(problem) for problem in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(problem.as_github() for problem in ordered)
    return "\n".join(problem.as_text() for problem in ordered)
