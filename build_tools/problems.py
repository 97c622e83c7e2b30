"""The one value every stage returns when something is wrong, and its three output formats."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]

# What a terminal or an annotation would act on rather than show: C0 and C1 controls (an ANSI
# escape, a newline forging an "ok" line), DEL, bidirectional controls and lone surrogates.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def visible(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\u202e``)."""
    return _INVISIBLE.sub(lambda match: ascii(match.group())[1:-1], text)


def visible_lines(text: str) -> str:
    """A message of several lines for a terminal: its line breaks kept, every other control escaped."""
    return "\n".join(visible(line) for line in text.split("\n"))


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

    def shown(self) -> Problem:
        """The problem with its path and message safe to print (see ``visible``)."""
        return replace(self, path=visible(self.path), message=visible(self.message))

    def as_text(self) -> str:
        shown = self.shown()
        return f"{shown.path}:{self.line}:{self.col}: {self.severity}: {shown.message} [{self.code}]"

    def as_github(self) -> str:
        # Workflow commands need their own escaping: properties also escape ':' and ','.
        shown = self.shown()
        props = ",".join(
            f"{key}={_escape_property(str(value))}"
            for key, value in (
                ("file", shown.path),
                ("line", max(self.line, 1)),
                ("col", max(self.col, 1)),
                ("title", self.code),
            )
        )
        return f"::{self.severity} {props}::{_escape_data(shown.message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(problem.severity == "error" for problem in problems)


def format_problems(problems: Iterable[Problem], fmt: str) -> str:
    ordered = sorted(problems)
    if fmt == "json":
        return json.dumps([asdict(problem.shown()) for problem in ordered], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(problem.as_github() for problem in ordered)
    return "\n".join(problem.as_text() for problem in ordered)
