"""The same content as a Hugo site: the yardstick the benchmark sets the engine's builds beside.

From a checked root, one Hugo content file per claim and language, one list page of the claims per
language, a home page and one page for each other page type the engine generates (the timeline and
the FAQ with their items, the others with their title), so that both builds write the same number of
``index.html`` files in the same languages at the same addresses. The layout is minimal but real: a
``baseof`` with the head, the title, the navigation and the main part, a single and a list template.
Hugo converts the claims' Markdown as the engine converts it; it has no search index and no share
images, which is what the ratio against it leaves out.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from build_tools.content.dataset import Dataset
from build_tools.content.model import Claim
from build_tools.site.listings import events_of, questions_of
from build_tools.site.page_kinds import kind_text, page_kind
from build_tools.site.plan import plan_site
from build_tools.tools.bench.measure import SAMPLE_INTERVAL, Run, measure

HUGO = "hugo"  # Debian's package (apt-get install hugo); the benchmark reports its absence
PUBLIC = "public"  # where Hugo writes the site, under the Hugo site's folder

_BASEOF = """\
<!doctype html>
<html lang="{{ .Site.Language.Lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} - {{ .Site.Title }}{{ end }}</title>
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .RelPermalink }}">
{{ end }}</head>
<body>
<header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
<nav><ul>
{{ range .Site.Menus.main }}<li><a href="{{ .URL }}">{{ .Name }}</a></li>
{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
_SINGLE = '{{ define "main" }}<article>\n<h1>{{ .Title }}</h1>\n{{ .Content }}\n</article>{{ end }}\n'
_LIST = (
    '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n'
    '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>\n{{ end }}</ul>{{ end }}\n'
)


@dataclass
class HugoResult:
    """Hugo's build of the same content, in the same run; ``missing`` says why it was not measured."""

    claims: int
    runs: list[Run] = field(default_factory=list)
    pages: int = 0
    site_mb: float = 0.0
    version: str = ""
    missing: str = ""

    @property
    def wall(self) -> float | None:
        return statistics.median(run.wall for run in self.runs) if self.runs else None


@dataclass(frozen=True)
class HugoSite:
    folder: Path
    languages: tuple[str, ...]
    pages: int  # content files that become an index.html, in every language


def _string(text: str) -> str:
    """A double-quoted string that TOML and YAML read alike (JSON's escapes are valid in both)."""
    return json.dumps(text, ensure_ascii=False)


def _front(title: str, weight: int | None = None) -> str:
    menu = f"menu:\n  main:\n    weight: {weight}\n" if weight is not None else ""
    return f"---\ntitle: {_string(title)}\n{menu}---\n\n"


def _claim_body(dataset: Dataset, claim: Claim, code: str) -> str:
    catalogue = dataset.catalogues[code]
    label = dataset.verdicts[claim.verdict].label[code]
    lines = [f"> {claim.quote}", ""]
    if code in claim.quote_translation:
        lines += [f"*{claim.quote_translation[code]}*", ""]
    lines += [f"**{label}** — {claim.conclusion[code]}", "", f"## {catalogue.text('reasoning')}", ""]
    lines += [claim.rationale[code], "", f"## {catalogue.text('sources')}", ""]
    for number, source in enumerate(claim.sources, 1):
        lines.append(
            f"{number}. {source.title or source.publisher} — {source.publisher}, {source.date}, <{source.url}>"
        )
        lines.append(f"   > {source.quote}")
    lines += ["", f"## {catalogue.text('history')}", ""]
    lines += [
        f"- {entry.date}: {dataset.verdicts[entry.verdict].label[code]} — {entry.note[code]}" for entry in claim.history
    ]
    return "\n".join(lines) + "\n"


def _type_body(dataset: Dataset, name: str, seed_id: str | None, code: str) -> str:
    """The text of an article's timeline or questions, as the engine's page shows them."""
    if name == "timeline" and seed_id is not None:
        events = events_of(dataset, seed_id)
        return "".join(f"- **{event.date}** {event.title[code]}: {event.text[code]}\n" for event in events)
    if name == "faq" and seed_id is not None:
        questions = questions_of(dataset, seed_id)
        return "".join(f"## {item.question[code]}\n\n{item.answer[code]}\n\n" for item in questions)
    return ""


def write_hugo_site(dataset: Dataset, folder: Path) -> HugoSite:
    """Write the Hugo site of ``dataset`` into ``folder`` (replaced if it exists)."""
    shutil.rmtree(folder, ignore_errors=True)
    codes = tuple(language.code for language in dataset.languages)
    config = [
        'baseURL = "/"',
        f"defaultContentLanguage = {_string(codes[0])}",
        "defaultContentLanguageInSubdir = false",
        # The engine writes none of these as index.html pages; Hugo would add a page per taxonomy.
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]',
        "enableGitInfo = false",
    ]
    for weight, language in enumerate(dataset.languages, 1):
        config += [
            "",
            f"[languages.{language.code}]",
            f"languageName = {_string(language.name)}",
            f"title = {_string(language.site_name)}",
            f'contentDir = "content/{language.code}"',
            f"weight = {weight}",
        ]
    (folder / "layouts" / "_default").mkdir(parents=True)
    (folder / "hugo.toml").write_text("\n".join(config) + "\n", encoding="utf-8")
    for name, template in (("baseof", _BASEOF), ("single", _SINGLE), ("list", _LIST)):
        (folder / "layouts" / "_default" / f"{name}.html").write_text(template, encoding="utf-8")
    pages = 0
    for code in codes:
        catalogue, content = dataset.catalogues[code], folder / "content" / code
        (content / "claims").mkdir(parents=True)
        planned_pages = plan_site(dataset).pages
        folders = [page.folder for page in planned_pages]
        for weight, planned in enumerate(planned_pages, 1):  # Hugo reads a weight of 0 as none
            title = kind_text(catalogue, page_kind(planned.kind), f"nav_{planned.kind}")
            path = content / hugo_content_path(planned.folder, folders)
            path.parent.mkdir(parents=True, exist_ok=True)
            front = _front(title, weight if planned.in_nav else None)  # in the menu as in the engine's
            path.write_text(front + _type_body(dataset, planned.kind, planned.article, code), encoding="utf-8")
            pages += 1
        for claim in dataset.claims.values():
            body = _front(claim.summary[code]) + _claim_body(dataset, claim, code)
            (content / "claims" / f"{claim.id}.md").write_text(body, encoding="utf-8")
            pages += 1
    return HugoSite(folder, codes, pages)


def hugo_content_path(folder: str, folders: list[str]) -> str:
    """Where Hugo reads the page published at ``folder``: a section's own page (``_index.md``) for the
    home page, the claims index and any page with pages under it (the articles' list, an article with
    its questions…), else a page of its own (``faq.md``)."""
    if folder in ("", "claims/") or any(other != folder and other.startswith(folder) for other in folders):
        return f"{folder}_index.md"
    return f"{folder.rstrip('/')}.md"


def hugo_command(site: HugoSite) -> list[str]:
    """The build, into ``public/`` of the Hugo site, its cache kept beside it (not in the home folder)."""
    return [
        HUGO,
        "--source",
        str(site.folder),
        "--destination",
        str(site.folder / PUBLIC),
        "--cacheDir",
        str(site.folder / ".hugo-cache"),
        "--quiet",
    ]


def hugo_version() -> str | None:
    """Hugo's version line, or None when it is not installed (or does not run)."""
    if shutil.which(HUGO) is None:
        return None
    try:
        result = subprocess.run([HUGO, "version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def tree_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 1e6


def measure_hugo(dataset: Dataset, folder: Path, runs: int, interval: float = SAMPLE_INTERVAL) -> HugoResult:
    """Hugo's build of ``dataset``, ``runs`` times from no built site, measured like the engine's."""
    claims = len(dataset.claims)
    version = hugo_version()
    if version is None:
        return HugoResult(claims, missing=f"`{HUGO}` is not installed (Debian: apt-get install hugo)")
    site = write_hugo_site(dataset, folder)
    result = HugoResult(claims, version=version)
    for _ in range(runs):
        shutil.rmtree(folder / PUBLIC, ignore_errors=True)
        shutil.rmtree(folder / ".hugo-cache", ignore_errors=True)
        result.runs.append(measure(hugo_command(site), interval=interval))
    result.pages, result.site_mb = count_pages(folder / PUBLIC), tree_mb(folder / PUBLIC)
    return result
