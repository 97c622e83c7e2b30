"""What ``check`` can say of ``docs/`` before MkDocs runs: hand-written files the generator would
overwrite, and hand-written pages missing in one of the site's languages. The build refuses both
too (``adapter``), but only ``check`` can point at the file."""

from __future__ import annotations

import os
import re

from build_tools.content.dataset import Dataset
from build_tools.problems import Problem
from build_tools.site.opendata import FEED_PATH
from build_tools.site.page_kinds import page_kinds
from build_tools.site.plan import ARTICLES_DIR
from build_tools.site.share import SHARE_DIR
from build_tools.site.static import ASSETS_DIR

DOCS_DIR = "docs"
#: ``name.fr.md`` is the French version of ``name.md``.
SUFFIXED = re.compile(r"^(?P<stem>.+)\.(?P<code>[a-z]{2})(?P<ext>\.[^./]+)$")
# Folders the generator fills in every language; a hand-written file there would be shadowed or shadow.
_GENERATED_FOLDERS = ("claims", ARTICLES_DIR, os.path.dirname(FEED_PATH), ASSETS_DIR, SHARE_DIR, "search")


def docs_problems(dataset: Dataset) -> list[Problem]:
    docs = dataset.root / DOCS_DIR
    if not docs.is_dir():
        return []
    codes = set(dataset.language_codes)
    # Every page type's address, whether or not this site has the page today.
    generated = {"index.md", *(f"{kind.name}/index.md" for kind in page_kinds() if kind.name != "home")}
    problems: list[Problem] = []
    versions: dict[str, set[str]] = {}
    for path in sorted(docs.rglob("*")):
        if path.is_dir() or any(part.startswith(".") for part in path.relative_to(docs).parts):
            continue
        uri = path.relative_to(docs).as_posix()
        rel = f"{DOCS_DIR}/{uri}"
        match = SUFFIXED.match(uri)
        plain = match["stem"] + match["ext"] if match and match["code"] in codes else uri
        if match and match["code"] in codes and uri.endswith(".md"):
            versions.setdefault(plain, set()).add(match["code"])
        first = plain.split("/")[0]
        if plain in generated or first in codes or any(plain.startswith(f"{folder}/") for folder in _GENERATED_FOLDERS):
            problems.append(
                Problem(rel, 0, 0, "generated-path", f"the generator writes '{plain}' itself; rename or move this file")
            )
    for page, found in sorted(versions.items()):
        if missing := sorted(codes - found):
            names = ", ".join(f"{DOCS_DIR}/{page.removesuffix('.md')}.{code}.md" for code in missing)
            problems.append(
                Problem(
                    f"{DOCS_DIR}/{page.removesuffix('.md')}.{sorted(found)[0]}.md",
                    0,
                    0,
                    "missing-translation",
                    f"a hand-written page exists in every language, or the switcher leads nowhere: add {names}",
                )
            )
    return problems
