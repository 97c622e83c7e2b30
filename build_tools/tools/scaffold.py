"""Create the files a new content root needs. Never overwrites: says what it wrote and what it kept."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from build_tools.content.load import CLAIMS_DIR, SEEDS_DIR
from build_tools.content.model import PLACEHOLDER, SLUG_PATTERN
from build_tools.content.quotes import line_col, normalize
from build_tools.content.schema import SCHEMA_DIR, write_schemas

DEFAULTS = Path(__file__).parent / "defaults"

_TOPICS = """# yaml-language-server: $schema=../schema/topics.schema.json
topics:
  - id: general
    label: {fr: Général, en: General}
"""
_HOME = {
    "fr": "# {name}\n\nVoir [les affirmations vérifiées](claims/index.md) et [la méthode](methodology/index.md).\n",
    "en": "# {name}\n\nSee [the fact-checked claims](claims/index.md) and [the methodology](methodology/index.md).\n",
}
_GITIGNORE = """/site/
/.site.*
/docs/claims/
/docs/article/
/docs/faq/
/docs/timeline/
/docs/options/
/docs/sources/
/docs/methodology/
/docs/corrections/
/docs/opendata/
/docs/assets/factcheck/
"""


def init_root(target: Path, site_name_fr: str, site_name_en: str) -> tuple[list[str], list[str]]:
    """Write the skeleton of a content root into ``target``; returns (written, kept) paths."""
    mkdocs = (DEFAULTS / "mkdocs.yml").read_text(encoding="utf-8")
    files = {
        "mkdocs.yml": mkdocs.replace("{site_name_fr}", site_name_fr).replace("{site_name_en}", site_name_en),
        "data/verdicts.yml": (DEFAULTS / "verdicts.yml").read_text(encoding="utf-8"),
        "data/topics.yml": _TOPICS,
        "docs/index.fr.md": _HOME["fr"].format(name=site_name_fr),
        "docs/index.en.md": _HOME["en"].format(name=site_name_en),
        ".gitignore": _GITIGNORE,
    }
    written: list[str] = []
    kept: list[str] = []
    for rel, content in files.items():
        path = target / rel
        if path.exists():
            kept.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(rel)
    for folder in ("claims", "seeds"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    written += [str(path.relative_to(target)) for path in write_schemas(target / SCHEMA_DIR)]
    return written, kept


class ScaffoldError(Exception):
    """The claim cannot be scaffolded (unknown seed, quote not in the article)."""


def _slug(text: str, words: int = 6) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text)[:words]) or "claim"


def new_claim(root: Path, seed_id: str, quote: str, claim_id: str | None = None) -> Path:
    """Write claims/<id>.yml for ``quote``, found in seed ``seed_id``; every other field is a placeholder
    that ``check`` rejects until a person fills it in."""
    text_path = root / SEEDS_DIR / f"{seed_id}.txt"
    if not text_path.is_file():
        raise ScaffoldError(f"no seed article {seed_id} (expected {text_path.relative_to(root)})")
    article = normalize(text_path.read_text(encoding="utf-8"))
    span = article.find(quote)
    if span is None:
        offset, passage = article.closest(quote)
        line, col = line_col(article.original, offset)
        raise ScaffoldError(
            f"quote not found in {SEEDS_DIR}/{seed_id}.txt; closest passage at line {line}, col {col}: «{passage}»"
        )
    base = claim_id or _slug(quote)
    if not re.fullmatch(SLUG_PATTERN, base):
        raise ScaffoldError(f"'{base}' is not a valid id (lower-case words joined by hyphens)")
    candidate, number = base, 1
    while (root / CLAIMS_DIR / f"{candidate}.yml").exists():
        if claim_id:
            raise ScaffoldError(f"{CLAIMS_DIR}/{claim_id}.yml already exists")
        number += 1
        candidate = f"{base}-{number}"
    passage = article.original[span[0] : span[1]]
    path = root / CLAIMS_DIR / f"{candidate}.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        _CLAIM_TEMPLATE.format(
            id=candidate, seed=seed_id, quote=json.dumps(passage, ensure_ascii=False), placeholder=PLACEHOLDER
        ),
        encoding="utf-8",
    )
    return path


_CLAIM_TEMPLATE = """# yaml-language-server: $schema=../schema/claim.schema.json
id: {id}
seed: {seed}
quote: {quote}
quote_translation: {placeholder}
summary:
  fr: {placeholder}
  en: {placeholder}
claimant:
  fr: {placeholder}
  en: {placeholder}
# claimed_on: "YYYY-MM-DD"   # when the claim was made, if the article says
topic: {placeholder}          # an id from data/topics.yml
verdict: {placeholder}        # an id from data/verdicts.yml
rationale:
  fr: {placeholder}
  en: {placeholder}
sources:
  - title: {placeholder}      # the source's own headline, or null if the page shows none
    publisher: {placeholder}
    date: {placeholder}       # "YYYY-MM-DD", the source's own date
    url: {placeholder}        # the address of the page you read
    archive_url: null
    quote: {placeholder}      # copied from the source, word for word
    language: {placeholder}   # fr, en, ru, uk...
    stance: supports          # supports, contradicts or context
reviewed_on: {placeholder}    # "YYYY-MM-DD"
history:
  - date: {placeholder}       # "YYYY-MM-DD", the day it is published
    verdict: {placeholder}    # the same as verdict above
    note:
      fr: Première publication.
      en: First published.
"""
