"""Interface strings as data: one catalogue file per language.

The engine ships catalogues in ``catalogues/``; a content root adds a language, or changes a
string, with ``data/catalogues/<code>.yml`` (its keys replace the engine's). Every language the
site is published in must end up with every key the reference catalogue has.
"""

from __future__ import annotations

import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.content.kinds import DATA_DIR
from build_tools.content.load import Document, load_yaml_file
from build_tools.problems import Problem

ENGINE_CATALOGUES = Path(__file__).parent / "catalogues"
REFERENCE = "en"  # the catalogue whose keys every other must have
ROOT_CATALOGUES = f"{DATA_DIR}/catalogues"


@dataclass(frozen=True)
class Catalogue:
    code: str
    strings: dict[str, str]
    months: tuple[str, ...] = field(default=())

    def text(self, key: str) -> str:
        return self.strings[key]

    def date(self, iso: str) -> str:
        """A YYYY-MM-DD date written out the way the language writes dates."""
        year, month, day = (int(part) for part in iso.split("-"))
        day_text = self.strings["day_one"] if day == 1 else str(day)
        return fill(self.strings["date_format"], {"day": day_text, "month": self.months[month - 1], "year": str(year)})


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by its value and ``{{``, ``}}`` by one brace. Nothing
    else is read: catalogue strings come from contributors, and Python's own formatting would let
    ``{x.__class__}`` walk from a value to the engine's internals."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group()[0] if name is None else values.get(name, match.group())

    return _PLACEHOLDER.sub(one, text)


def placeholders(text: str) -> set[str] | str:
    """The names a string's ``{name}`` placeholders use, or why it has one that is not of that form."""
    names: set[str] = set()
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return "has a lone '{' or '}' (write '{{' or '}}' for a brace)"
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not re.fullmatch(r"[a-z_]+", name) or spec or conversion:
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            return f"has the placeholder {{{written}}}, which is not a plain {{name}}"
        names.add(name)
    return names


def reference_keys() -> set[str]:
    return set(_reference())


def _reference() -> dict[str, object]:
    doc, _ = load_yaml_file(ENGINE_CATALOGUES, f"{REFERENCE}.yml")
    assert doc is not None, "the engine's reference catalogue is unreadable"
    return doc.data


def load_catalogues(root: Path, codes: list[str], site_doc: Document) -> tuple[dict[str, Catalogue], list[Problem]]:
    """The catalogue of each site language, with a problem for each that is missing or incomplete."""
    reference = _reference()
    keys = set(reference)
    catalogues: dict[str, Catalogue] = {}
    problems: list[Problem] = []
    for index, code in enumerate(codes):
        merged: dict[str, object] = {}
        found: list[str] = []
        count = len(problems)
        for home, rel in ((ENGINE_CATALOGUES, f"{code}.yml"), (root, f"{ROOT_CATALOGUES}/{code}.yml")):
            if os.path.lexists(home / rel):
                doc, load_problems = load_yaml_file(home, rel)
                problems += load_problems
                if doc is not None:
                    problems += _shape_problems(doc, reference)
                    merged |= doc.data
                    found.append(rel)
        if not found:
            problems.append(
                site_doc.problem(
                    ("languages", index, "code"),
                    "missing-catalogue",
                    f"no interface strings for '{code}': add {ROOT_CATALOGUES}/{code}.yml with the keys of "
                    f"the engine's {REFERENCE}.yml",
                )
            )
        elif missing := sorted(keys - set(merged)):
            problems.append(
                Problem(found[-1], 1, 1, "incomplete-catalogue", f"missing key(s) for '{code}': {', '.join(missing)}")
            )
        elif len(problems) == count:
            months = merged.pop("months")
            assert isinstance(months, list)  # checked by _shape_problems
            strings = {key: str(value) for key, value in merged.items()}
            catalogues[code] = Catalogue(code, strings, tuple(str(month) for month in months))
    return catalogues, problems


def _shape_problems(doc: Document, reference: dict[str, object]) -> list[Problem]:
    problems = []
    for key, value in doc.data.items():
        if key not in reference:
            problems.append(doc.problem((key,), "unknown-field", f"'{key}' is not an interface string", key=True))
        elif key == "months":
            if not (isinstance(value, list) and len(value) == 12 and all(isinstance(m, str) and m for m in value)):
                problems.append(doc.problem((key,), "bad-value", "'months' must list the twelve month names"))
        elif not isinstance(value, str):
            problems.append(doc.problem((key,), "wrong-type", f"'{key}' should be text"))
        else:
            problems += _placeholder_problems(doc, key, value, str(reference[key]))
    return problems


def _placeholder_problems(doc: Document, key: str, value: str, reference: str) -> list[Problem]:
    """A string fills in the values its English original fills in, by name, and nothing else."""
    found, wanted = placeholders(value), placeholders(reference)
    assert isinstance(wanted, set), f"the engine's '{key}' has a malformed placeholder"
    if isinstance(found, str):
        return [doc.problem((key,), "bad-placeholder", f"'{key}' {found}")]
    if unknown := sorted(found - wanted):
        allowed = ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "none"
        shown = ", ".join(f"{{{name}}}" for name in unknown)
        return [doc.problem((key,), "bad-placeholder", f"'{key}' uses {shown}; the values it can show: {allowed}")]
    return []
