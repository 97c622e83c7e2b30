"""Create the files a new content root needs. Never overwrites: says what it wrote and what it kept."""

from __future__ import annotations

import json
import os
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from build_tools.content.confine import OutsideRoot, create_file, inside
from build_tools.content.fields import PLACEHOLDER, SEED_ID_PATTERN, SLUG_PATTERN
from build_tools.content.kinds import CLAIMS_DIR, DATA_FILES, SEEDS_DIR
from build_tools.content.load import load_yaml_file, read_text
from build_tools.content.model import Site
from build_tools.content.quotes import line_col, normalize
from build_tools.content.schema import SCHEMA_DIR, schema_files
from build_tools.content.validate import validate_document
from build_tools.problems import Problem

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


#: The languages the engine has text for: a root in these alone builds as soon as ``init`` made it.
SHIPPED_LANGUAGES = tuple(_TOPIC_LABEL)


def init_root(
    target: Path, languages: list[tuple[str, str]], example_on: date | None = None
) -> tuple[list[str], list[str], list[str]]:
    """Write the skeleton of a content root into ``target`` for ``languages`` ((code, site name),
    the default first); returns the paths written, the paths kept (already there) and the paths
    skipped with the reason (``"PATH: WHY"``). Every file is created exclusively, so nothing already
    there is replaced, and no symbolic link is written through or created into. Given ``example_on``,
    a root with no seed article yet gets an example article and claim of that date, so that it
    builds at once."""
    from build_tools.tools.article import example_files

    codes = [code for code, _ in languages]
    verdicts = _localized_for(yaml.safe_load((DEFAULTS / "verdicts.yml").read_text(encoding="utf-8")), codes)
    topics = {"topics": [{"id": "general", "label": {code: _TOPIC_LABEL.get(code, PLACEHOLDER) for code in codes}}]}
    site = {
        "languages": [
            {"code": code, "name": _LANGUAGE_NAMES.get(code, PLACEHOLDER), "site_name": name}
            for code, name in languages
        ]
    }
    files = {
        "mkdocs.yml": _mkdocs_yml(languages),
        "data/site.yml": yaml_file("site", site),
        "data/verdicts.yml": yaml_file("verdicts", verdicts),
        "data/topics.yml": yaml_file("topics", topics),
        ".gitignore": _GITIGNORE,
        ".github/workflows/pages.yml": (DEFAULTS / "pages.yml").read_text(encoding="utf-8"),
        "docs/.gitkeep": "",  # MkDocs needs the folder; hand-written extra pages and assets go there
        **{f"data/pages/home.{code}.md": _HOME.get(code, PLACEHOLDER + "\n") for code, _ in languages},
        **{f"{SCHEMA_DIR}/{name}": content for name, content in schema_files().items()},
    }
    if example_on is not None and not _has_seeds(target):
        files |= example_files(codes, example_on)
    written: list[str] = []
    kept: list[str] = []
    skipped: list[str] = []
    target.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        if (blocked := _blocked(target, rel)) is not None:
            skipped.append(f"{rel}: {blocked}")
            continue
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            create_file(path, content)
        except FileExistsError:
            if path.is_symlink():
                skipped.append(f"{rel}: a symbolic link{_NEVER_THROUGH}")
            else:
                kept.append(rel)
            continue
        written.append(rel)
    for folder in (CLAIMS_DIR, SEEDS_DIR):
        if (blocked := _blocked(target, f"{folder}/")) is not None:
            skipped.append(f"{folder}/: {blocked}")
        elif not (target / folder).is_dir():
            (target / folder).mkdir()
    return written, kept, skipped


def _mkdocs_yml(languages: list[tuple[str, str]]) -> str:
    """The defaults' mkdocs.yml with the site's name, its default language and the search languages."""
    from mkdocs.contrib.search import LangOption

    codes = [code for code, _ in languages]
    # MkDocs' own rule: a language lunr.js cannot stem is searched as English (uk as ru), so the list
    # written is the one search will use.
    searched = list(dict.fromkeys(LangOption().run_validation(list(codes))))
    return (
        (DEFAULTS / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("{site_name}", json.dumps(languages[0][1], ensure_ascii=False))
        .replace("{language}", codes[0])
        .replace("{search_languages}", "[" + ", ".join(searched) + "]")
    )


def _has_seeds(target: Path) -> bool:
    """Whether ``target`` already has seed articles (or anything in the way of seeds/): the example
    is for a new root only."""
    folder = target / SEEDS_DIR
    if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
        return True
    return folder.is_dir() and any(folder.iterdir())


_NEVER_THROUGH = "; init never writes through one"


def _blocked(target: Path, rel: str) -> str | None:
    """Why ``rel`` cannot be written under ``target``: a folder on its way (a name ending in ``/``
    is itself a folder) is a symbolic link, or is there and not a folder."""
    parts = rel.rstrip("/").split("/")
    depth = len(parts) if rel.endswith("/") else len(parts) - 1
    for end in range(1, depth + 1):
        name, folder = "/".join(parts[:end]), target.joinpath(*parts[:end])
        if folder.is_symlink():
            return f"{name} is a symbolic link{_NEVER_THROUGH}"
        if folder.exists() and not folder.is_dir():
            return f"{name} is not a folder"
    return None


def _localized_for(value: Any, codes: list[str]) -> Any:
    """The defaults' {fr: ..., en: ...} texts, with exactly ``codes`` (a placeholder where missing)."""
    if isinstance(value, dict):
        if value and set(value) <= set(_TOPIC_LABEL):
            return {code: value.get(code, PLACEHOLDER) for code in codes}
        return {key: _localized_for(item, codes) for key, item in value.items()}
    if isinstance(value, list):
        return [_localized_for(item, codes) for item in value]
    return value


def yaml_file(schema: str, data: Any) -> str:
    """A YAML file naming its schema on its first line: ``data`` dumped, or a text already written."""
    body = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    return f"# yaml-language-server: $schema=../schema/{schema}.schema.json\n{body}"


class ScaffoldError(Exception):
    """The claim cannot be scaffolded (unknown seed, quote not in the article, a name in the way);
    ``problems`` locates it in the content when it can."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []

    @classmethod
    def located(cls, problems: list[Problem]) -> ScaffoldError:
        return cls("; ".join(problem.message for problem in problems), problems)


class BadOption(ScaffoldError):
    """``--seed`` or ``--id`` is not an id: a usage error."""


#: The model's limit on ids, and the room a generated one leaves for a "-NN" suffix.
MAX_ID = 80
_SLUG_ROOM = MAX_ID - 4


def slug(text: str, words: int = 6, fallback: str = "claim") -> str:
    """An id from the first words of ``text``, in ASCII, with room left for a "-NN" suffix."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    made = "-".join(re.findall(r"[a-z0-9]+", ascii_text)[:words])[:_SLUG_ROOM].strip("-")
    return made or fallback


def option_id(option: str, value: str, pattern: str, what: str) -> None:
    if not re.fullmatch(pattern, value) or len(value) > MAX_ID:
        raise BadOption(f"{option} '{value}' is not {what} ({_ID_RULES[pattern]}, at most {MAX_ID} characters)")


_ID_RULES = {
    SEED_ID_PATTERN: "lower-case letters and digits joined by '-' or '_'",
    SLUG_PATTERN: "lower-case letters and digits joined by single hyphens",
}


def new_claim(root: Path, seed_id: str, quote: str, claim_id: str | None = None) -> Path:
    """Write claims/<id>.yml for ``quote``, found in seed ``seed_id``; every other field is a placeholder
    that ``check`` rejects until a person fills it in. The seed is read only inside the root, and the
    claim file is created exclusively: a name already taken (a link to nothing included) is an error."""
    option_id("--seed", seed_id, SEED_ID_PATTERN, "a seed id")
    if claim_id is not None:
        option_id("--id", claim_id, SLUG_PATTERN, "a claim id")
    root = root.resolve()
    text_rel = f"{SEEDS_DIR}/{seed_id}.txt"
    try:
        inside(root, SEEDS_DIR)  # not even whether a file exists is asked outside the root
    except OutsideRoot as refused:
        raise ScaffoldError.located([refused.problem]) from None
    if not os.path.lexists(root / text_rel):
        raise ScaffoldError(f"no seed article {seed_id} (expected {text_rel})")
    text, problems = read_text(root, text_rel)
    if text is None:
        raise ScaffoldError.located(problems)
    article = normalize(text)
    span = article.find(quote)
    if span is None:
        offset, passage = article.closest(quote)
        line, col = line_col(article.original, offset)
        raise ScaffoldError(f"quote not found in {text_rel}; closest passage at line {line}, col {col}: «{passage}»")
    folder = _claims_folder(root)
    base = claim_id or slug(quote)
    candidate, number = base, 1
    while os.path.lexists(folder / f"{candidate}.yml"):
        if (folder / f"{candidate}.yml").is_symlink():
            raise ScaffoldError.located([_in_the_way(folder, candidate)])
        if claim_id:
            raise ScaffoldError(f"{CLAIMS_DIR}/{claim_id}.yml already exists")
        number += 1
        candidate = f"{base}-{number}"
    passage = article.original[span[0] : span[1]]
    path = folder / f"{candidate}.yml"
    seed_language = _seed_language(root, seed_id)
    languages = site_languages(root)

    def texts(indent: str, codes: list[str]) -> str:
        return "".join(f"\n{indent}{code}: {PLACEHOLDER}" for code in codes)

    claim = _CLAIM_TEMPLATE.format(
        id=candidate,
        seed=seed_id,
        quote=json.dumps(passage, ensure_ascii=False),
        placeholder=PLACEHOLDER,
        translations=texts("  ", [code for code in languages if code != seed_language]),
        texts=texts("  ", languages),
        note="".join(f"\n      {code}: {_FIRST_PUBLISHED.get(code, PLACEHOLDER)}" for code in languages),
    )
    try:
        create_file(path, claim)
    except FileExistsError:  # taken meanwhile
        raise ScaffoldError.located([_in_the_way(folder, candidate)]) from None
    return root / CLAIMS_DIR / path.name


def _claims_folder(root: Path) -> Path:
    """``claims/`` of ``root``, made if missing, refused if it leads out of the root or is not a folder."""
    try:
        folder = inside(root, CLAIMS_DIR)
    except OutsideRoot as refused:
        raise ScaffoldError.located([refused.problem]) from None
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError.located([Problem(CLAIMS_DIR, 0, 0, "not-a-folder", "not a folder")])
    folder.mkdir(exist_ok=True)
    return folder


def _in_the_way(folder: Path, candidate: str) -> Problem:
    rel = f"{CLAIMS_DIR}/{candidate}.yml"
    if (folder / f"{candidate}.yml").is_symlink():
        return Problem(rel, 0, 0, "link-in-the-way", "a symbolic link is in the way; remove it, or choose another --id")
    return Problem(rel, 0, 0, "already-exists", "already exists; choose another --id")


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


def site_languages(root: Path) -> list[str]:
    """The codes of the site's languages, the default first; the reasons there are none, located."""
    rel = DATA_FILES["site"]
    doc, problems = load_yaml_file(root, rel)
    site, invalid = validate_document(doc, Site) if doc is not None else (None, [])
    if site is None:
        raise ScaffoldError.located(
            problems + invalid or [Problem(rel, 0, 0, "missing-file", f"{rel} is required and does not exist")]
        )
    return [language.code for language in site.languages]


def _seed_language(root: Path, seed_id: str) -> str | None:
    doc, _ = load_yaml_file(root, f"{SEEDS_DIR}/{seed_id}.yml")
    language = doc.data.get("language") if doc is not None else None
    return language if isinstance(language, str) else None
