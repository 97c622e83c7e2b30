"""Interface strings as data: one catalogue file per language, with dates and plural forms from CLDR.

The engine ships catalogues in ``catalogues/``; a content root adds a language, or changes a
string, with ``data/catalogues/<code>.yml`` (its keys replace the engine's). A language's catalogue
needs only the keys it translates: every other key is taken from its fallback (the ``fallback`` its
entry in ``data/site.yml`` names, English when it names none), and check lists those keys in a
warning. Counts choose among plural forms, and dates are written, by Babel from CLDR's data for the
language, never from the machine's locale or time zone.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from build_tools.content.catalogue_values import (
    DATE_FORMAT,
    DEFAULT_DATE_FORMAT,
    RETIRED,
    Value,
    locale_of,
    placeholders,
    plural_category,
    value_problems,
    write_date,
)
from build_tools.content.kinds import DATA_DIR
from build_tools.content.load import Document, load_yaml_file
from build_tools.content.model import SiteLanguage
from build_tools.problems import Problem

__all__ = ["Catalogue", "fill", "load_catalogues", "placeholders", "reference_keys"]

ENGINE_CATALOGUES = Path(__file__).parent / "catalogues"
REFERENCE = "en"  # the catalogue that has every key, and the fallback of a language that names none
ROOT_CATALOGUES = f"{DATA_DIR}/catalogues"


@dataclass(frozen=True)
class Catalogue:
    code: str
    strings: dict[str, Value]
    date_format: str = DEFAULT_DATE_FORMAT
    untranslated: tuple[str, ...] = field(default=())  # keys shown from the fallback

    def text(self, key: str, count: int | None = None) -> str:
        """The string of ``key``; for a key with plural forms, the one CLDR chooses for ``count``."""
        value = self.strings[key]
        if isinstance(value, str):
            return value
        category = "other" if count is None else plural_category(self.code, count)
        return value.get(category, value["other"])

    def forms(self, key: str) -> dict[str, str]:
        """Every plural form of ``key`` by CLDR category, for a count the reader's browser changes."""
        value = self.strings[key]
        return {"other": value} if isinstance(value, str) else dict(value)

    def date(self, iso: str) -> str:
        """A YYYY-MM-DD date written out the way the language writes dates (CLDR's, through Babel)."""
        return write_date(self.code, date.fromisoformat(iso), self.date_format)


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}")


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by its value and ``{{``, ``}}`` by one brace. Nothing
    else is read: catalogue strings come from contributors, and Python's own formatting would let
    ``{x.__class__}`` walk from a value to the engine's internals."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        return match.group()[0] if name is None else values.get(name, match.group())

    return _PLACEHOLDER.sub(one, text)


def reference_keys() -> set[str]:
    return set(_reference())


def _reference() -> dict[str, object]:
    doc, _ = load_yaml_file(ENGINE_CATALOGUES, f"{REFERENCE}.yml")
    assert doc is not None, "the engine's reference catalogue is unreadable"
    return doc.data


@dataclass
class _Own:
    """What one language's own catalogue files give: the engine's, then the root's on top."""

    data: dict[str, Any] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _own(root: Path, code: str, reference: dict[str, Any]) -> _Own:
    own = _Own()
    for home, rel in ((ENGINE_CATALOGUES, f"{code}.yml"), (root, f"{ROOT_CATALOGUES}/{code}.yml")):
        if os.path.lexists(home / rel):
            doc, load_problems = load_yaml_file(home, rel)
            own.problems += load_problems
            if doc is not None:
                own.problems += _shape_problems(doc, code, reference)
                own.data |= doc.data
                own.files.append(rel)
    return own


def load_catalogues(
    root: Path, languages: Sequence[SiteLanguage], site_doc: Document
) -> tuple[dict[str, Catalogue], list[Problem]]:
    """The catalogue of each site language, with a problem for each that is missing or wrong, and a
    warning naming the keys each shows from its fallback."""
    reference = _reference()
    loaded: dict[str, _Own] = {}
    problems: list[Problem] = []

    def own(code: str) -> _Own:
        if code not in loaded:  # a fallback shared by several languages is read, and reported, once
            loaded[code] = _own(root, code, reference)
            problems.extend(loaded[code].problems)
        return loaded[code]

    catalogues: dict[str, Catalogue] = {}
    seen: set[str] = set()
    for index, language in enumerate(languages):
        code, fallback = language.code, language.fallback or REFERENCE
        if code in seen:
            continue  # listed twice: check reports the duplicate
        seen.add(code)
        count = len(problems)
        mine = own(code)
        if locale_of(code) is None:
            message = f"Babel's CLDR data has no language '{code}': its dates and plural forms cannot be written"
            problems.append(site_doc.problem(("languages", index, "code"), "unknown-language", message))
        if language.fallback is not None:
            problems += _fallback_problems(site_doc, index, code, fallback, own(fallback).files)
        base = own(REFERENCE)
        if len(problems) > count or any(part.problems for part in (mine, base, own(fallback))):
            continue
        merged = base.data | own(fallback).data | mine.data
        untranslated = tuple(sorted(set(reference) - set(mine.data) - {DATE_FORMAT}))
        if not mine.files:  # a new language builds at once, in its fallback's words until translated
            message = (
                f"no interface strings in '{code}' yet: every one is shown from '{fallback}'; add "
                f"{ROOT_CATALOGUES}/{code}.yml with the keys it translates"
            )
            problems.append(
                replace(site_doc.problem(("languages", index, "code"), "untranslated", message), severity="warning")
            )
        elif untranslated:
            message = f"not translated into '{code}' yet, shown from '{fallback}': {', '.join(untranslated)}"
            problems.append(Problem(mine.files[-1], 1, 1, "untranslated", message, "warning"))
        strings = {
            key: dict(value) if isinstance(value, dict) else str(value)
            for key, value in merged.items()
            if key != DATE_FORMAT  # each language's own, never its fallback's: see below
        }
        # English's day-month order would be wrong in German; the language's CLDR default is right.
        date_format = str(mine.data.get(DATE_FORMAT, DEFAULT_DATE_FORMAT))
        catalogues[code] = Catalogue(code, strings, date_format, untranslated)
    return catalogues, problems


def _fallback_problems(site_doc: Document, index: int, code: str, fallback: str, files: list[str]) -> list[Problem]:
    where = ("languages", index, "fallback")
    if fallback == code:
        return [site_doc.problem(where, "bad-value", f"'{code}' cannot fall back on itself; name another language")]
    if not files:
        message = f"no interface strings for '{fallback}' to fall back on: the engine ships {_shipped()}"
        return [
            site_doc.problem(where, "missing-catalogue", message + f", a root adds {ROOT_CATALOGUES}/{fallback}.yml")
        ]
    return []


def _shipped() -> str:
    return ", ".join(sorted(path.stem for path in ENGINE_CATALOGUES.glob("*.yml")))


def _shape_problems(doc: Document, code: str, reference: dict[str, Any]) -> list[Problem]:
    problems = []
    for key, value in doc.data.items():
        if key in RETIRED:
            problems.append(doc.problem((key,), "unknown-field", RETIRED[key], key=True))
        elif key not in reference:
            problems.append(doc.problem((key,), "unknown-field", f"'{key}' is not an interface string", key=True))
        else:
            problems += value_problems(doc, code, key, value, reference[key])
    return problems
