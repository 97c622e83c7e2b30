"""``links``: every external URL of the content checked (or looked up in the cache), and every
internal link and anchor of the built site."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast, get_args

from markdown_it import MarkdownIt

from build_tools.checks.fetch import FetchPolicy, Outcome, Status, check_urls
from build_tools.checks.sitelinks import check_site_links
from build_tools.content.confine import OutsideRoot, cache_path, inside
from build_tools.content.kinds import CLAIMS_DIR, DATA_FILES, SEEDS_DIR
from build_tools.content.ledger import LEDGER_FILE
from build_tools.content.load import Document, Loc, load_yaml_file, read_text
from build_tools.content.markup import is_http_url, link_targets
from build_tools.content.pages import page_files
from build_tools.problems import Problem

CACHE_FILE = ".cache/links.json"
MAX_AGE = timedelta(days=7)
STATUSES = get_args(Status)
_ENTRY_KEYS = ("checked", "status", "detail")


@dataclass(frozen=True)
class Link:
    url: str
    path: str
    line: int
    col: int
    archive: str | None = None  # the archived copy of the same source, if the record gives one
    is_archive: bool = False


def collect_links(root: Path) -> list[Link]:
    links: list[Link] = []
    yaml_files = [
        f"{folder}/{p.name}" for folder in (CLAIMS_DIR, SEEDS_DIR) for p in sorted((root / folder).glob("*.yml"))
    ]
    # Not the ledger: the passages it keeps are the cited pages' words, and their links are not the site's.
    yaml_files += [rel for rel in DATA_FILES.values() if rel != LEDGER_FILE and (root / rel).is_file()]
    for rel in yaml_files:
        doc, _ = load_yaml_file(root, rel)
        if doc is not None:  # files that do not load are check's business
            links += _document_links(doc)
    for rel in page_files(root):
        links += _markdown_links(root, rel)
    return links


def _walk(value: Any, loc: Loc) -> Iterator[tuple[Loc, Any, dict[str, Any] | None]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*loc, key), item, value
            yield from _walk(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*loc, index))


def _document_links(doc: Document) -> list[Link]:
    found: list[Link] = []
    for loc, value, parent in _walk(doc.data, ()):
        if not isinstance(value, str):
            continue
        field = loc[-1]
        if field in ("url", "archive_url") and value != "unknown":
            archive = parent.get("archive_url") if field == "url" and parent else None
            line, col = doc.mark(loc)
            found.append(
                Link(
                    value,
                    doc.path,
                    line,
                    col,
                    archive if isinstance(archive, str) else None,
                    is_archive=field == "archive_url",
                )
            )
        elif "](" in value or "<http" in value:
            line, col = doc.mark(loc)
            found += [Link(url, doc.path, line, col) for url in link_targets(value)]
    return found


def _markdown_links(root: Path, rel: str) -> list[Link]:
    text, _ = read_text(root, rel)  # a page check refuses (a link out of the root) has no links to fetch
    found = []
    for token in MarkdownIt("commonmark").parse(text or ""):
        for child in token.children or ():
            href = str(child.attrs.get("href", "")) if child.type == "link_open" else ""
            if href.startswith(("http://", "https://")):
                found.append(Link(href, rel, (token.map[0] + 1) if token.map else 1, 1))
    return found


class ChangedFilesError(Exception):
    """``--changed-only``: git could not say what changed since the base."""


def changed_files(root: Path, base: str) -> set[str]:
    """Files changed since ``base`` (committed or not), relative to the content root."""

    def git(*args: str) -> list[str]:
        out = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        if out.returncode != 0:
            raise ChangedFilesError(f"git {args[0]}: {out.stderr.strip() or f'exit status {out.returncode}'}")
        return [line for line in out.stdout.splitlines() if line]

    if base.startswith("-"):  # git would read it as an option (--output=FILE writes a file)
        raise ChangedFilesError(f"'{base}' is not a revision (it starts with '-')")
    top = Path(git("rev-parse", "--show-toplevel")[0])
    names = git("diff", "--name-only", "--end-of-options", base, "--")
    names += git("ls-files", "--others", "--exclude-standard")
    if not root.resolve().is_relative_to(top.resolve()):
        raise ChangedFilesError(f"{root} is not inside the git work tree {top}")
    prefix = root.resolve().relative_to(top.resolve())
    return {Path(name).relative_to(prefix).as_posix() for name in names if Path(name).is_relative_to(prefix)}


_STAMP = "%Y-%m-%dT%H:%M:%SZ"


def _load_cache(root: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The cached results, or none and a warning when the file is not what ``_save_cache`` writes."""
    if not os.path.lexists(root / CACHE_FILE):
        return {}, []
    reason: str | None
    try:
        path = inside(root, CACHE_FILE)  # a cache linked out of the root is never read, nor echoed
        data = json.loads(path.read_text(encoding="utf-8"))
    except OutsideRoot:
        reason = "is a link out of the content root"
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror})"
    except UnicodeDecodeError:
        reason = "is not UTF-8 text"
    except ValueError as exc:
        reason = f"is not valid JSON ({exc})"
    else:
        reason = _cache_defect(data)
    if reason is None:
        return data, []
    message = f"link cache {reason}; ignored, and rebuilt by the next online check"
    return {}, [Problem(CACHE_FILE, 0, 0, "link-cache", message, "warning")]


def _cache_defect(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "is not a JSON object of URLs"
    for url, entry in data.items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(key), str) for key in _ENTRY_KEYS):
            return f"entry for {url!r} is not an object with text fields {', '.join(_ENTRY_KEYS)}"
        if entry["status"] not in STATUSES:
            return f"entry for {url!r} has an unknown status {entry['status']!r}"
        try:
            datetime.strptime(entry["checked"], _STAMP)
        except ValueError:
            return f"entry for {url!r} has a 'checked' time that is not YYYY-MM-DDTHH:MM:SSZ"
    return None


def _save_cache(root: Path, cache: dict[str, dict[str, str]]) -> list[Problem]:
    """Writes the cache, through a new file put in place (a link of that name is replaced, the
    file it points at never written); nothing when the cache folder leads out of the root."""
    try:
        path = cache_path(root, CACHE_FILE)
    except OutsideRoot as refused:
        return [replace(refused.problem, severity="warning", message=refused.problem.message + "; results not saved")]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".links-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(cache, indent=1, sort_keys=True) + "\n")
    os.replace(tmp, path)
    return []


def check_links(
    root: Path,
    site: Path,
    *,
    offline: bool,
    policy: FetchPolicy,
    changed_only: str | None = None,
    now: datetime | None = None,
) -> list[Problem]:
    now = now or datetime.now(UTC)
    links = collect_links(root)
    problems = [
        Problem(link.path, link.line, link.col, "bad-url", f"{link.url} → not an absolute http(s) URL")
        for link in links
        if not is_http_url(link.url)
    ]
    links = [link for link in links if is_http_url(link.url)]
    cache, cache_problems = _load_cache(root)
    problems += cache_problems
    if not offline:
        scope = links
        if changed_only:
            changed = changed_files(root, changed_only)
            scope = [link for link in links if link.path in changed]
        wanted = {url for link in scope for url in (link.url, link.archive) if url}
        due = [url for url in wanted if _stale(cache.get(url), now)]
        stamp = now.strftime(_STAMP)
        for url, outcome in check_urls(due, policy).items():
            cache[url] = {"checked": stamp, "status": outcome.status, "detail": outcome.detail}
        problems += _save_cache(root, cache)
    for link in links:
        problems += _judge(link, cache)
    if site.is_dir():
        within = site.resolve().is_relative_to(root.resolve())
        problems += check_site_links(
            site, site.resolve().relative_to(root.resolve()).as_posix() + "/" if within else ""
        )
    else:
        problems.append(Problem(site.name, 0, 0, "no-site", f"no built site at {site}; run the build first"))
    return problems


def _stale(entry: dict[str, str] | None, now: datetime) -> bool:
    if not entry or entry.get("status") != "ok":
        return True
    checked = datetime.strptime(entry["checked"], _STAMP).replace(tzinfo=UTC)
    return now - checked > MAX_AGE


def _outcome(cache: dict[str, dict[str, str]], url: str | None) -> Outcome | None:
    entry = cache.get(url or "")
    if not entry or entry.get("status") not in STATUSES:
        return None
    return Outcome(cast(Status, entry["status"]), entry.get("detail", ""))


def _judge(link: Link, cache: dict[str, dict[str, str]]) -> list[Problem]:
    outcome = _outcome(cache, link.url)
    if outcome is None or outcome.status == "ok":
        return []

    def problem(severity: str, message: str) -> Problem:
        return Problem(
            link.path,
            link.line,
            link.col,
            f"link-{outcome.status}",
            f"{link.url} → {message}",
            "error" if severity == "error" else "warning",
        )

    if outcome.status == "unreachable":
        return [problem("warning", f"unreachable now: {outcome.detail}")]
    if outcome.status == "refused":
        return [problem("error", f"refused: {outcome.detail}")]
    archive = _outcome(cache, link.archive)
    if archive is not None and archive.status == "ok":
        return [problem("warning", f"broken: {outcome.detail}; the archived copy {link.archive} still works")]
    missing = "" if link.archive or link.is_archive else "; no archived copy is recorded"
    return [problem("error", f"broken: {outcome.detail}{missing}")]
