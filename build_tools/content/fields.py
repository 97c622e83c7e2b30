"""The value types records are made of: text with one rule for whitespace and invisible characters,
Markdown, dates, addresses, ids, languages and lengths, each declared once with its validation and its
JSON Schema, and ``Record``, what every record is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated
from urllib.parse import parse_qsl, urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from build_tools.content.markup import field_link_targets, http_url_problem, markdown_problems

# A site language is an ISO 639-1 code; which ones a site has is configuration (data/site.yml).
Language = str

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SEED_ID_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
LANGUAGE_PATTERN = r"^[a-z]{2}$"
PLACEHOLDER = "TODO"


class _Localized:
    """Marks a field as text in every site language, so ``validate`` can check that each is there."""


LOCALIZED = _Localized()


def origin_key(name: str) -> str:
    """One key for every spelling of one publisher: compatibility forms, any white space (a trailing
    no-break space), and case folded, so one outlet is never counted as two origins."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("text is empty")
    if PLACEHOLDER in value:
        raise ValueError(f"replace the placeholder '{PLACEHOLDER}' with real text")
    return value


def _markdown(value: str) -> str:
    _text(value)
    problems = markdown_problems(value)
    if problems:
        raise ValueError("; ".join(problems))
    for target in field_link_targets(value):  # a link in text is held to the rule for addresses
        _http_url(target)
    return value


def _iso_date(value: str) -> str:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"'{value}' is not a date written YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a real calendar date") from None
    return value


# Query parameters that identify a reading session or a click, not the page: an address carrying one
# leaks a reader's session or a campaign, and may stop working for everyone else.
_SESSION_OR_TRACKING = frozenset(
    {"sessionid", "session_id", "sid", "phpsessid", "jsessionid", "fbclid", "gclid", "dclid", "gbraid", "wbraid"}
    | {"msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ref_src", "cmpid", "xtor"}
)


def _http_url(value: str) -> str:
    problem = http_url_problem(value)
    if problem is not None:
        raise ValueError(f"'{value}' {problem}")
    tracking = [
        name
        for name, _ in parse_qsl(urlsplit(value).query, keep_blank_values=True)
        if name.lower() in _SESSION_OR_TRACKING or name.lower().startswith("utm_")
    ]
    if tracking:
        raise ValueError(
            f"'{value}' carries a session or tracking parameter ({', '.join(tracking)}); cite the address without it"
        )
    return value


Text = Annotated[str, AfterValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
Markdown = Annotated[
    str,
    AfterValidator(_markdown),
    WithJsonSchema({"type": "string", "minLength": 1, "contentMediaType": "text/markdown"}),
]
IsoDate = Annotated[
    str,
    AfterValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
HttpUrl = Annotated[
    str, AfterValidator(_http_url), WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"})
]
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=80)]
SeedId = Annotated[str, Field(pattern=SEED_ID_PATTERN, max_length=80)]
LanguageCode = Annotated[str, Field(pattern=LANGUAGE_PATTERN)]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
# Text keyed by language code, e.g. {fr: ..., en: ...}: one entry per site language, checked against
# data/site.yml once the whole root is loaded.
LocalizedText = Annotated[dict[LanguageCode, Text], Field(min_length=1), LOCALIZED]
LocalizedMarkdown = Annotated[dict[LanguageCode, Markdown], Field(min_length=1), LOCALIZED]
CONCLUSION_MAX = 200  # characters per language: one sentence a reader takes in at a glance
# Text a stage lays out in a fixed space (share images, badges, the header): limited per field, and
# per word, since a line breaks only between words.
WORD_MAX = 50  # characters; longer than the longest word of the site's languages in common use


def _laid_out(value: str) -> str:
    _text(value)
    longest = max(value.split(), key=len, default="")
    if len(longest) > WORD_MAX:
        raise ValueError(f"the word '{longest[:20]}…' is {len(longest)} characters long; the limit is {WORD_MAX}")
    return value


ConclusionLine = Annotated[str, Field(max_length=CONCLUSION_MAX), AfterValidator(_laid_out)]
SUMMARY_MAX = 250  # a title: share images and feeds cut it at three lines
SummaryLine = Annotated[str, Field(max_length=SUMMARY_MAX), AfterValidator(_laid_out)]
BadgeLine = Annotated[str, Field(max_length=60), AfterValidator(_laid_out)]
NameLine = Annotated[str, Field(max_length=40), AfterValidator(_laid_out)]
SiteNameLine = Annotated[str, Field(max_length=100), AfterValidator(_laid_out)]
DescriptionLine = Annotated[str, Field(max_length=300), AfterValidator(_laid_out)]
LocalizedConclusion = Annotated[dict[LanguageCode, ConclusionLine], Field(min_length=1), LOCALIZED]
LocalizedLine = Annotated[dict[LanguageCode, SummaryLine], Field(min_length=1), LOCALIZED]
LocalizedLabel = Annotated[dict[LanguageCode, BadgeLine], Field(min_length=1), LOCALIZED]


class Record(BaseModel):
    """Unknown fields and silent type conversions are refused everywhere."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
