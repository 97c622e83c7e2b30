"""Turn loaded documents into typed records, each mistake reported where it stands in the file."""

from __future__ import annotations

import difflib
import functools
import typing
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from build_tools.content.fields import LANGUAGE_PATTERN, LOCALIZED, SEED_ID_PATTERN, SLUG_PATTERN
from build_tools.content.load import Document, Loc, describe
from build_tools.content.model import Claim, Seed
from build_tools.problems import Problem

M = TypeVar("M", bound=BaseModel)

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "model_type": "a mapping",
    "dict_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_from_float": "a whole number",
}
_PATTERNS = {
    SLUG_PATTERN: "lower-case letters and digits joined by single hyphens, e.g. 'trump-putin-call'",
    SEED_ID_PATTERN: "lower-case letters and digits joined by '-' or '_'",
    LANGUAGE_PATTERN: "a two-letter language code such as 'fr' or 'en'",
    r"^#[0-9a-fA-F]{6}$": "a colour written #rrggbb",
    r"^[a-z0-9-]+$": "an icon name in lower case, e.g. 'check-circle'",
}


def dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


def validate_document(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        errors = _one_branch_per_union(doc.data, exc.errors(include_url=False))
        return None, [_problem(doc, model, error) for error in errors]


_SCALAR_TAGS = frozenset({"str", "int", "bool", "float", "none"})


def _one_branch_per_union(data: Any, errors: list[ErrorDetails]) -> list[ErrorDetails]:
    """Where a value may take one of several forms (text or a list, an address or 'unknown'), pydantic
    reports each form's failure under a tag of its own ("function-after[...]", "list[str]"). A reader
    wants the failure of the form they wrote: a list's if they wrote a list, else the first other
    form's. Tags are then dropped from the location."""
    parsed = [(error, *_untagged(data, tuple(error["loc"]))) for error in errors]
    branches: dict[Loc, list[str]] = {}
    for _, _, union_at, tag in parsed:
        if union_at is not None and tag is not None and tag not in branches.setdefault(union_at, []):
            branches[union_at].append(tag)
    chosen = {union_at: _branch(_value_at(data, union_at), tags) for union_at, tags in branches.items()}
    return [
        {**error, "loc": real} for error, real, union_at, tag in parsed if union_at is None or chosen[union_at] == tag
    ]


def _branch(value: Any, tags: list[str]) -> str:
    matching = [tag for tag in tags if tag.startswith("list") == isinstance(value, list)]
    return (matching or tags)[0]


def _untagged(data: Any, loc: Loc) -> tuple[Loc, Loc | None, str | None]:
    """The location without union tags, where the first union stands, and its branch's tag."""
    real: list[str | int] = []
    union_at: Loc | None = None
    tag: str | None = None
    current = data
    for part in loc:
        inside_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if (isinstance(current, dict) and part in current) or inside_list:
            current = current[part]
        elif isinstance(part, str) and ("[" in part or part[:1].isupper() or part in _SCALAR_TAGS):
            if union_at is None:
                union_at, tag = tuple(real), part
            continue
        else:
            current = None
        real.append(part)
    return tuple(real), union_at, tag


def _value_at(data: Any, loc: Loc) -> Any:
    current = data
    for part in loc:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return None
    return current


def _problem(doc: Document, model: type[BaseModel], error: ErrorDetails) -> Problem:
    loc: Loc = tuple(error["loc"])
    kind, field = error["type"], dotted(loc)
    ctx = error.get("ctx", {})
    if kind == "missing":
        return doc.problem(loc[:-1], "missing-field", f"missing required field '{field}'")
    if kind == "extra_forbidden":
        name = str(loc[-1])
        hint = _suggestion(name, _fields_at(model, loc[:-1]))
        return doc.problem(loc, "unknown-field", f"unknown field '{field}'{hint}", key=True)
    if kind in _EXPECTED:
        return doc.problem(loc, "wrong-type", f"'{field}' should be {_EXPECTED[kind]}, not {describe(error['input'])}")
    if kind == "string_pattern_mismatch":
        wanted = _PATTERNS.get(str(ctx.get("pattern")), f"text matching {ctx.get('pattern')}")
        return doc.problem(
            loc, "bad-format", f"'{field}' is '{error['input']}'; expected {wanted}{_lookalikes(str(error['input']))}"
        )
    if kind == "literal_error":
        return doc.problem(loc, "bad-value", f"'{field}' must be {ctx.get('expected')}, not {error['input']!r}")
    if kind == "too_short":
        return doc.problem(loc, "too-short", f"'{field}' needs at least {ctx.get('min_length')} item(s)")
    if kind == "string_too_long":
        return doc.problem(loc, "too-long", f"'{field}' is longer than {ctx.get('max_length')} characters")
    message = error["msg"].removeprefix("Value error, ")
    return doc.problem(loc, "bad-value", f"'{field}': {message}")


def _lookalikes(text: str) -> str:
    """Name the characters that are not plain ASCII: a Cyrillic o (U+043E) looks exactly like a Latin one."""
    odd = sorted({char for char in text if ord(char) > 127})
    if not odd:
        return ""
    names = ", ".join(f"U+{ord(char):04X} {unicodedata.name(char, 'UNKNOWN')}" for char in odd)
    return f" (it contains characters that are not plain ASCII: {names})"


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation if part in current.model_fields else None
        current = _record_type(annotation)
        if current is None:
            return []
    return list(current.model_fields)


def _record_type(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _record_type(arg)
        if found is not None:
            return found
    return None


def _suggestion(name: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(candidates)}"


def check_claim_rules(doc: Document, claim: Claim, stem: str, today: date) -> list[Problem]:
    """Rules that concern one claim alone (cross-record rules are in ``resolve``)."""
    problems: list[Problem] = []
    if claim.id != stem:
        problems.append(
            doc.problem(
                ("id",), "id-mismatch", f"id '{claim.id}' differs from the file name '{stem}.yml'; make them equal"
            )
        )
    problems += _future_dates(doc, claim, today)
    for index, source in enumerate(claim.sources):
        if source.date > claim.reviewed_on:
            problems.append(
                doc.problem(
                    ("sources", index, "date"),
                    "source-after-review",
                    f"source dated {source.date} is later than reviewed_on {claim.reviewed_on}",
                )
            )
    for index, entry in enumerate(claim.history[1:], start=1):
        if entry.date < claim.history[index - 1].date:
            problems.append(
                doc.problem(("history", index, "date"), "history-order", "history entries must be oldest first")
            )
    last = claim.history[-1]
    if last.verdict != claim.verdict:
        problems.append(
            doc.problem(
                ("verdict",),
                "verdict-without-history",
                f"verdict is '{claim.verdict}' but the last history entry says '{last.verdict}'; "
                "add a history entry that records the change",
            )
        )
    if claim.id in claim.related:
        index = claim.related.index(claim.id)
        problems.append(doc.problem(("related", index), "self-reference", "a claim cannot be related to itself"))
    return problems


def _future_dates(doc: Document, claim: Claim, today: date) -> list[Problem]:
    dated: list[tuple[Loc, str | None]] = [(("claimed_on",), claim.claimed_on), (("reviewed_on",), claim.reviewed_on)]
    dated += [(("sources", i, "date"), source.date) for i, source in enumerate(claim.sources)]
    dated += [(("history", i, "date"), entry.date) for i, entry in enumerate(claim.history)]
    return [
        doc.problem(loc, "date-in-future", f"'{dotted(loc)}' is {value}, which is in the future")
        for loc, value in dated
        if value is not None and date.fromisoformat(value) > today
    ]


def check_seed_rules(doc: Document, seed: Seed, stem: str) -> list[Problem]:
    if seed.id != stem:
        return [doc.problem(("id",), "id-mismatch", f"id '{seed.id}' differs from the file name '{stem}.yml'")]
    return []


def localized_problems(doc: Document, record: BaseModel, languages: dict[str, str]) -> list[Problem]:
    """Each text in several languages has exactly the site's languages (``languages``: code → name)."""
    problems = []
    for loc, texts in _localized(record, ()):
        for code, name in languages.items():
            if code not in texts:
                problems.append(
                    doc.problem(loc, "missing-translation", f"missing {name} ({code}) text for '{dotted(loc)}'")
                )
        for code in texts:
            if code not in languages:
                known = ", ".join(languages)
                problems.append(
                    doc.problem(
                        (*loc, code),
                        "unknown-language",
                        f"'{code}' is not a language of the site ({known}; see data/site.yml)",
                        key=True,
                    )
                )
    return problems


@functools.cache
def _localized_fields(model: type[BaseModel]) -> tuple[tuple[str, bool], ...]:
    """The fields of ``model`` that hold localized text (True) or records that may (False)."""
    fields = []
    for name, info in model.model_fields.items():
        if any(item is LOCALIZED for item in info.metadata):
            fields.append((name, True))
        elif _record_type(info.annotation) is not None:
            fields.append((name, False))
    return tuple(fields)


def _localized(record: BaseModel, loc: Loc) -> Iterator[tuple[Loc, dict[str, str]]]:
    for name, localized in _localized_fields(type(record)):
        value = getattr(record, name)
        if localized:
            yield (*loc, name), value
        elif isinstance(value, BaseModel):
            yield from _localized(value, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _localized(item, (*loc, name, index))
