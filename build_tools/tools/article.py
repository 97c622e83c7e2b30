"""Seed articles from the command line: ``new-article`` writes one's metadata beside the file its text
goes in, and ``init`` writes an example article and claim so that a new root builds at once."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from build_tools.content.confine import OutsideRoot, create_file, inside
from build_tools.content.fields import PLACEHOLDER, SEED_ID_PATTERN
from build_tools.content.kinds import SEEDS_DIR
from build_tools.content.model import Seed
from build_tools.problems import Problem
from build_tools.tools.scaffold import (
    DEFAULTS,
    BadOption,
    ScaffoldError,
    option_id,
    site_languages,
    slug,
    yaml_file,
)


@dataclass(frozen=True)
class Article:
    """A seed article's metadata as given on the command line; ``published`` None is left to fill in."""

    id: str
    title: str
    language: str
    published: str | None = None
    publisher: str = "unknown"
    url: str = "unknown"


# Each option names one field of the seed's metadata, so a refused value is reported by its option.
_OPTIONS = {"title": "--title", "language": "--language", "published": "--published"}
_OPTIONS |= {"publisher": "--publisher", "url": "--url"}


def seed_metadata(article: Article) -> str:
    """The text of ``seeds/<id>.yml``: the fields in the model's order, each with what it means."""
    fields: dict[str, Any] = {
        "id": article.id,
        "title": article.title,
        "language": article.language,
        "published": article.published or PLACEHOLDER,
        "publisher": article.publisher,
        "url": article.url,
    }
    # One line per field, never folded: a comment after the first line of a folded value would cut it.
    body = yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1_000_000)
    notes = {
        "published:": '  # "YYYY-MM-DD", as the article shows it',
        "publisher:": "  # who published it, or unknown",
        "url:": "  # where it was published, or unknown",
    }
    lines = [
        line + next((note for key, note in notes.items() if line.startswith(key)), "") for line in body.split("\n")
    ]
    header = f"# The article's text is {article.id}.txt beside this file, byte for byte as received.\n"
    return yaml_file("seed", "\n".join(lines)).replace("\n", "\n" + header, 1)


def refused_options(article: Article) -> None:
    """``BadOption`` naming the option of the first field the model refuses (the date may be left out)."""
    option_id("--id", article.id, SEED_ID_PATTERN, "a seed id")
    # A date left out is written as a placeholder for later: judge only the fields given.
    fields = {**asdict(article), "published": article.published or "2000-01-01"}
    try:
        Seed.model_validate(fields)
    except ValidationError as exc:
        error = exc.errors()[0]
        option = _OPTIONS.get(str(error["loc"][0]), "--id")
        message = str(error["msg"]).removeprefix("Value error, ")
        raise BadOption(f"{option}: {message}") from None


def new_article(root: Path, article: Article, text: bytes = b"") -> tuple[Path, Path]:
    """Write ``seeds/<id>.yml`` and ``seeds/<id>.txt`` (``text``, byte for byte): both or neither,
    created exclusively, never through a link; the language must be one of the site's."""
    refused_options(article)
    root = root.resolve()
    codes = site_languages(root)
    if article.language not in codes:
        raise BadOption(f"--language: '{article.language}' is not a language of the site ({', '.join(codes)})")
    try:
        folder = inside(root, SEEDS_DIR)
    except OutsideRoot as refused:
        raise ScaffoldError.located([refused.problem]) from None
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError.located([Problem(SEEDS_DIR, 0, 0, "not-a-folder", "not a folder")])
    folder.mkdir(exist_ok=True)
    metadata, body = folder / f"{article.id}.yml", folder / f"{article.id}.txt"
    taken = [path for path in (metadata, body) if os.path.lexists(path)]
    if taken:
        raise ScaffoldError.located([_taken(path) for path in taken])
    create_file(metadata, seed_metadata(article))
    try:
        with open(body, "xb") as stream:  # exclusively, as create_file; bytes, as the article came
            stream.write(text)
    except FileExistsError:  # made meanwhile: the metadata alone would be an article without text
        metadata.unlink()
        raise ScaffoldError.located([_taken(body)]) from None
    return metadata, body


def _taken(path: Path) -> Problem:
    rel = f"{SEEDS_DIR}/{path.name}"
    what = "a symbolic link is in the way" if path.is_symlink() else "already exists"
    return Problem(rel, 0, 0, "already-exists", f"{what}; choose another --id")


def article_id(title: str, given: str | None) -> str:
    """The id given, or one made from the title's first words."""
    return given if given is not None else slug(title, fallback="article")


EXAMPLE_SEED = "example"
EXAMPLE_CLAIM = "example-opinion"


def example_files(codes: list[str], today: date) -> dict[str, str]:
    """An example article and one claim on it, in the first of the site's languages the engine has
    text for (English otherwise), that ``check`` accepts: a root builds as soon as it is made. The
    claim is an opinion (a verdict that needs no source), so nothing in it is a fact to invent."""
    example: dict[str, dict[str, str]] = yaml.safe_load((DEFAULTS / "example.yml").read_text(encoding="utf-8"))
    language = next((code for code in codes if code in example["text"]), "en")

    def texts(key: str, only: list[str]) -> dict[str, str]:
        return {code: example[key].get(code, PLACEHOLDER) for code in only}

    day = today.isoformat()
    article = Article(EXAMPLE_SEED, example["title"][language], language, day)
    claim = {
        "id": EXAMPLE_CLAIM,
        "seed": EXAMPLE_SEED,
        "quote": example["quote"][language],
        "quote_translation": texts("quote", [code for code in codes if code != language]),
        **{key: texts(key, codes) for key in ("summary", "claimant", "conclusion")},
        "topic": "general",
        "verdict": "not-checkable",
        "rationale": texts("rationale", codes),
        "reviewed_on": day,
        "history": [{"date": day, "verdict": "not-checkable", "note": texts("note", codes)}],
    }
    body = yaml.safe_dump(claim, allow_unicode=True, sort_keys=False, width=110)
    return {
        f"{SEEDS_DIR}/{EXAMPLE_SEED}.yml": seed_metadata(article),
        f"{SEEDS_DIR}/{EXAMPLE_SEED}.txt": example["text"][language],
        f"claims/{EXAMPLE_CLAIM}.yml": yaml_file("claim", body),
    }
