"""Create the files a new content root needs. Never overwrites: says what it wrote and what it kept."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from build_tools.content.kinds import CLAIMS_DIR, DATA_FILES, SEEDS_DIR
from build_tools.content.load import load_yaml_file
from build_tools.content.model import PLACEHOLDER, SLUG_PATTERN, Site
from build_tools.content.quotes import line_col, normalize
from build_tools.content.schema import SCHEMA_DIR, write_schemas
from build_tools.content.validate import validate_document

DEFAULTS = Path(__file__).parent / "defaults"

_GITIGNORE = """/site/
/.site.*
"""
# Languages are data: the scaffold writes text for each language asked for, from the engine's
# defaults where it has them (fr and en), and a placeholder that `check` rejects for any other.
_HOME = {
    "fr": "Voir [les affirmations vérifiées](claims/index.md) et [la méthode](methodology/index.md).\n",
    "en": "See [the fact-checked claims](claims/index.md) and [the methodology](methodology/index.md).\n",
}
_LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
_TOPIC_LABEL = {"fr": "Général", "en": "General"}
_FIRST_PUBLISHED = {"fr": "Première publication.", "en": "First published."}


def init_root(target: Path, languages: list[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """Write the skeleton of a content root into ``target`` for ``languages`` ((code, site name),
    the default first); returns (written, kept) paths."""
    codes = [code for code, _ in languages]
    mkdocs = (DEFAULTS / "mkdocs.yml").read_text(encoding="utf-8").replace("{site_name}", languages[0][1])
    verdicts = _localized_for(yaml.safe_load((DEFAULTS / "verdicts.yml").read_text(encoding="utf-8")), codes)
    topics = {"topics": [{"id": "general", "label": {code: _TOPIC_LABEL.get(code, PLACEHOLDER) for code in codes}}]}
    site = {
        "languages": [
            {"code": code, "name": _LANGUAGE_NAMES.get(code, PLACEHOLDER), "site_name": name}
            for code, name in languages
        ]
    }
    files = {
        "mkdocs.yml": mkdocs,
        "data/site.yml": _yaml_file("site", site),
        "data/verdicts.yml": _yaml_file("verdicts", verdicts),
        "data/topics.yml": _yaml_file("topics", topics),
        ".gitignore": _GITIGNORE,
        "docs/.gitkeep": "",  # MkDocs needs the folder; hand-written extra pages and assets go there
        **{f"data/pages/home.{code}.md": _HOME.get(code, PLACEHOLDER + "\n") for code, _ in languages},
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


def _localized_for(value: Any, codes: list[str]) -> Any:
    """The defaults' {fr: ..., en: ...} texts, with exactly ``codes`` (a placeholder where missing)."""
    if isinstance(value, dict):
        if value and set(value) <= set(_TOPIC_LABEL):
            return {code: value.get(code, PLACEHOLDER) for code in codes}
        return {key: _localized_for(item, codes) for key, item in value.items()}
    if isinstance(value, list):
        return [_localized_for(item, codes) for item in value]
    return value


def _yaml_file(schema: str, data: Any) -> str:
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    return f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n{body}"


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
    seed_language = _seed_language(root, seed_id)
    languages = _site_languages(root)

    def texts(indent: str, codes: list[str]) -> str:
        return "".join(f"\n{indent}{code}: {PLACEHOLDER}" for code in codes)

    path.write_text(
        _CLAIM_TEMPLATE.format(
            id=candidate,
            seed=seed_id,
            quote=json.dumps(passage, ensure_ascii=False),
            placeholder=PLACEHOLDER,
            translations=texts("  ", [code for code in languages if code != seed_language]),
            texts=texts("  ", languages),
            note="".join(f"\n      {code}: {_FIRST_PUBLISHED.get(code, PLACEHOLDER)}" for code in languages),
        ),
        encoding="utf-8",
    )
    return path


_CLAIM_TEMPLATE = """# yaml-language-server: $schema=../schema/claim.schema.json
id: {id}
seed: {seed}
quote: {quote}
quote_translation:{translations}
summary:{texts}
claimant:{texts}
conclusion:{texts}            # the answer in one sentence per language, at most 200 characters
# claimed_on: "YYYY-MM-DD"   # when the claim was made, if the article says
topic: {placeholder}          # an id from data/topics.yml
verdict: {placeholder}        # an id from data/verdicts.yml
rationale:{texts}
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
    note:{note}
"""


def _site_languages(root: Path) -> list[str]:
    doc, _ = load_yaml_file(root, DATA_FILES["site"])
    site = validate_document(doc, Site)[0] if doc is not None else None
    if site is None:
        raise ScaffoldError(f"{DATA_FILES['site']} is missing or invalid; run: python -m build_tools check")
    return [language.code for language in site.languages]


def _seed_language(root: Path, seed_id: str) -> str | None:
    doc, _ = load_yaml_file(root, f"{SEEDS_DIR}/{seed_id}.yml")
    language = doc.data.get("language") if doc is not None else None
    return language if isinstance(language, str) else None
