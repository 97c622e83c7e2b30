"""Create the files a new content root needs. Never overwrites: says what it wrote and what it kept."""

from __future__ import annotations

from pathlib import Path

from .schema import SCHEMA_DIR, write_schemas

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
