"""What a catalogue's values may be: text, plural forms keyed by CLDR category, a CLDR date format.

Plural categories and date patterns come from Babel's copy of CLDR for the language's code, so they
are the same on every machine whatever its locale or time zone.
"""

from __future__ import annotations

import functools
import re
import string
from datetime import date

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from build_tools.content.load import Document
from build_tools.problems import Problem

DATE_FORMAT = "date_format"  # a CLDR width or pattern; the one key each language decides for itself
DATE_WIDTHS = ("short", "medium", "long", "full")
DEFAULT_DATE_FORMAT = "long"
CATEGORIES = ("zero", "one", "two", "few", "many", "other")  # CLDR's plural categories, in its order
# Keys earlier catalogues had: a root written for them is told what replaced them.
RETIRED = {
    "months": "month names come from CLDR: remove 'months' (or set 'date_format')",
    "day_one": "dates come from CLDR: remove 'day_one' (or set 'date_format')",
}

Plural = dict[str, str]  # CLDR category -> text
Value = str | Plural


@functools.cache
def locale_of(code: str) -> Locale | None:
    """Babel's locale for a language code, or None when CLDR has no data for it."""
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return None


def categories(code: str) -> tuple[str, ...]:
    """The plural categories the language uses, in CLDR's order (``other`` is always one); all of
    them for a code CLDR does not know, which check reports once, at the site's language list."""
    locale = locale_of(code)
    used = (locale.plural_form.tags if locale is not None else set(CATEGORIES)) | {"other"}
    return tuple(category for category in CATEGORIES if category in used)


def plural_category(code: str, count: int) -> str:
    locale = locale_of(code)
    return "other" if locale is None else str(locale.plural_form(count))


def write_date(code: str, when: date, form: str) -> str:
    locale = locale_of(code)
    assert locale is not None, f"no CLDR data for '{code}' (check reports it)"
    return str(format_date(when, form, locale=locale))


_SAMPLE_DAY = date(2025, 12, 31)  # two-digit day and month, so every field of a pattern shows


def date_format_problem(code: str, form: object) -> str | None:
    """Why ``form`` is not a date format Babel can write the language's dates with, or None."""
    if not isinstance(form, str) or not form.strip():
        return f"'{DATE_FORMAT}' is one of {', '.join(DATE_WIDTHS)} or a CLDR date pattern such as 'd MMMM y'"
    if form in DATE_WIDTHS or locale_of(code) is None:
        return None
    try:
        write_date(code, _SAMPLE_DAY, form)
    # Babel reports a pattern it cannot apply to a date (a time field, a stray quote) with whatever
    # its parser or formatter raises: each is the same answer here, a pattern to fix.
    except Exception as refused:
        return f"'{DATE_FORMAT}' {form!r} is not a CLDR date pattern Babel can write a date with ({refused})"
    return None


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


def forms_of(value: object) -> list[str]:
    """The texts of a value: itself, or each of its plural forms."""
    return [str(text) for text in value.values()] if isinstance(value, dict) else [str(value)]


def value_problems(doc: Document, code: str, key: str, value: object, reference: object) -> list[Problem]:
    """A value of key ``key`` in the catalogue of ``code``, checked against the engine's English one."""
    if key == DATE_FORMAT:
        why = date_format_problem(code, value)
        return [doc.problem((key,), "bad-value", why)] if why else []
    if isinstance(value, str):
        return _placeholder_problems(doc, (key,), key, value, reference)
    # Any string that shows a number {n} may need plural forms in some language, though English has one.
    counted = isinstance(reference, dict) or "n" in _wanted(key, reference)
    if not isinstance(value, dict) or not counted:
        plural = "text, or its plural forms by CLDR category (one, few, many, other…)"
        return [doc.problem((key,), "wrong-type", f"'{key}' should be {plural if counted else 'text'}")]
    return _plural_problems(doc, code, key, value, reference)


def _wanted(key: str, reference: object) -> set[str]:
    """The values the engine's English string (any of its forms) fills in."""
    wanted: set[str] = set()
    for text in forms_of(reference):
        names = placeholders(text)
        assert isinstance(names, set), f"the engine's '{key}' has a malformed placeholder"
        wanted |= names
    return wanted


def _plural_problems(
    doc: Document, code: str, key: str, value: dict[object, object], reference: object
) -> list[Problem]:
    problems = []
    used = categories(code)
    for category, text in value.items():
        loc = (key, category) if isinstance(category, str | int) else (key,)
        if category not in used:
            what = "a plural category" if category not in CATEGORIES else f"a plural category of '{code}'"
            problems.append(
                doc.problem(
                    loc,
                    "unknown-field",
                    f"'{category}' is not {what} (the forms '{code}' has: {', '.join(used)})",
                    key=True,
                )
            )
        elif not isinstance(text, str):
            problems.append(doc.problem(loc, "wrong-type", f"'{key}.{category}' should be text"))
        else:
            problems += _placeholder_problems(doc, (key, category), f"{key}.{category}", text, reference)
    if "other" not in value:
        problems.append(doc.problem((key,), "missing-field", f"'{key}' needs an 'other' form, used for any count"))
    return problems


def _placeholder_problems(
    doc: Document, loc: tuple[str, ...], name: str, value: str, reference: object
) -> list[Problem]:
    """A string fills in the values its English original fills in, by name, and nothing else."""
    wanted = _wanted(name, reference)
    found = placeholders(value)
    if isinstance(found, str):
        return [doc.problem(loc, "bad-placeholder", f"'{name}' {found}")]
    if unknown := sorted(found - wanted):
        allowed = ", ".join(f"{{{each}}}" for each in sorted(wanted)) or "none"
        shown = ", ".join(f"{{{each}}}" for each in unknown)
        return [doc.problem(loc, "bad-placeholder", f"'{name}' uses {shown}; the values it can show: {allowed}")]
    return []
