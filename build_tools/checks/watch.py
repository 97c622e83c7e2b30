"""``watch``: every cited page read again, and every quote looked for on it.

Each address is fetched once through the vetted fetcher (its address rules, deadline, size limit,
retries and per-host limit), its readable text extracted (``pagetext``), and each quote cited from
it looked for there, folded as seed quotes are. The ledger (data/ledger.yml) is then rewritten
with what was found; a citation whose status became one an editor must look at (changed, moved,
gone, unreadable) since the ledger is an error at the place it is cited, one that became
unreachable a warning (the network may be at fault, not the page).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from build_tools.checks.fetch import FetchPolicy, Outcome, check_urls
from build_tools.checks.pagetext import MIN_ARTICLE_CHARS, PageText, Unreadable, page_text
from build_tools.content.confine import OutsideRoot, inside, replace_file
from build_tools.content.kinds import CLAIMS_DIR, DATA_FILES
from build_tools.content.ledger import (
    LEDGER_FILE,
    MODELINE,
    NEEDS_REVIEW,
    Ledger,
    LedgerEntry,
    WatchStatus,
    cited,
    ledger_text,
    quote_key,
    text_digest,
)
from build_tools.content.load import load_yaml_file
from build_tools.content.markup import is_http_url
from build_tools.content.quotes import fold, normalize
from build_tools.content.validate import validate_document
from build_tools.problems import Problem, has_errors

#: Pages are read whole, up to this size (the link checker needs only a status, and reads less).
WATCH_POLICY = FetchPolicy(max_bytes=4 * 1024 * 1024, accept_encoding="gzip, deflate", keep_body=True)
# Pages are fetched this many at a time and read before the next ones, so that at most this many
# bodies are held at once, whatever the number of sources.
BATCH = 32
_PAYWALL = {401: "asks to sign in (401)", 402: "asks for payment (402)", 403: "refused (403)", 451: "withheld (451)"}
_CLOSEST_MAX = 300  # characters of the closest passage kept in the ledger


@dataclass(frozen=True)
class Citation:
    address: str
    quote: str
    path: str
    line: int
    col: int

    @property
    def key(self) -> tuple[str, str]:
        return self.address, quote_key(self.quote)


@dataclass(frozen=True)
class Finding:
    status: WatchStatus
    detail: str | None = None
    digest: str | None = None
    closest: str | None = None
    similarity: float | None = None
    moved_to: str | None = None
    seen: bool = False  # the quote is on the page (also when the page moved)


@dataclass(frozen=True)
class WatchResult:
    problems: list[Problem]
    entries: list[LedgerEntry]
    written: bool


def collect_citations(root: Path) -> list[Citation]:
    """Every (address, quote) the claims and data files cite, where each is cited."""
    files = [f"{CLAIMS_DIR}/{path.name}" for path in sorted((root / CLAIMS_DIR).glob("*.yml"))]
    files += [rel for rel in DATA_FILES.values() if rel != LEDGER_FILE and (root / rel).is_file()]
    found = []
    for rel in files:
        doc, _ = load_yaml_file(root, rel)
        if doc is None:  # a file that does not load is check's business
            continue
        for loc, address, quote in cited(doc.data):
            if is_http_url(address):
                found.append(Citation(address, quote, doc.path, *doc.mark((*loc, "url"))))
    return found


def load_ledger(root: Path) -> tuple[Ledger | None, list[Problem]]:
    """The ledger (empty when there is none yet), or None and why it cannot be read."""
    if not (root / LEDGER_FILE).exists() and not (root / LEDGER_FILE).is_symlink():
        return Ledger(citations=[]), []
    doc, problems = load_yaml_file(root, LEDGER_FILE)
    if doc is None:
        return None, problems
    record, invalid = validate_document(doc, Ledger)
    return (record if isinstance(record, Ledger) and not has_errors(invalid) else None), invalid


def classify(outcome: Outcome, address: str, quotes: Iterable[str]) -> dict[str, Finding]:
    """What the page at ``address`` says of each quote, by the quote."""
    quotes = list(quotes)
    moved = outcome.reached if outcome.reached and outcome.reached != address else None
    answer = outcome.answer
    if outcome.status == "ok" and answer is not None:
        try:
            text = page_text(answer)
        except Unreadable as exc:
            return dict.fromkeys(quotes, Finding("unreadable", str(exc)))
        cut = f"only the first {len(answer.body):,} bytes of the page were read" if answer.cut else None
        return {quote: _on_page(text, quote, moved, cut) for quote in quotes}
    if moved is not None and outcome.status == "refused":
        finding = Finding("moved", outcome.detail, moved_to=moved)
    elif outcome.status == "broken" and (
        (answer is not None and answer.status in (404, 410)) or outcome.detail.startswith("no such host")
    ):
        finding = Finding("gone", outcome.detail)
    elif answer is not None and answer.status in _PAYWALL:
        finding = Finding("unreadable", f"the page {_PAYWALL[answer.status]}: a paywall or a block")
    else:
        finding = Finding("unreachable", outcome.detail)
    return dict.fromkeys(quotes, finding)


def _on_page(text: PageText, quote: str, moved: str | None, cut: str | None) -> Finding:
    article, whole = text.folded
    readable, folded = (text.article, article) if len(article) >= MIN_ARTICLE_CHARS else (text.whole, whole)
    digest = text_digest(readable)
    needle = fold(quote)
    present = bool(needle) and (needle in article or needle in whole)
    if moved is not None:
        where = "the quote is still there" if present else "the quote is not there"
        return Finding("moved", f"redirected to {moved}; {where}", digest, moved_to=moved, seen=present)
    if present:
        return Finding("present", digest=digest, seen=True)
    if len(folded) < MIN_ARTICLE_CHARS:
        shown = len(folded)
        why = f"the page shows {shown} characters of text: a paywall, a script-only page or a cookie wall"
        return Finding("unreadable", f"{why}; {cut}" if cut else why, digest)
    _, passage = normalize(readable).closest(quote)
    passage = " ".join(passage.split())[:_CLOSEST_MAX]
    similarity = round(difflib.SequenceMatcher(None, needle, fold(passage), autojunk=False).ratio(), 2)
    return Finding("changed", cut, digest, passage or None, similarity)


def updated_entry(citation: Citation, finding: Finding, old: LedgerEntry | None, today: str) -> LedgerEntry:
    kept = old is not None and old.status == finding.status
    return LedgerEntry(
        address=citation.address,
        quote=citation.key[1],
        status=finding.status,
        status_on=old.status_on if kept and old is not None else today,
        present_on=today if finding.seen else (old.present_on if old is not None else None),
        text_digest=finding.digest,
        closest=finding.closest,
        similarity=finding.similarity,
        moved_to=finding.moved_to,
        detail=finding.detail,
    )


def _annotation(citation: Citation, entry: LedgerEntry, old: LedgerEntry | None) -> Problem | None:
    if old is not None and old.status == entry.status:
        return None  # already in the ledger: an editor has seen it
    if entry.status not in NEEDS_REVIEW and entry.status != "unreachable":
        return None
    was = f" (was {old.status})" if old is not None else ""
    message = f"{citation.address} → {entry.status}{was}"
    if entry.status == "changed":
        message += f": the quote is not on the page; closest passage «{entry.closest or ''}» "
        message += f"(similarity {entry.similarity})"
    elif entry.detail:
        message += f": {entry.detail}"
    problem = Problem(citation.path, citation.line, citation.col, f"source-{entry.status}", message)
    return replace(problem, severity="warning") if entry.status == "unreachable" else problem


def watch(
    root: Path,
    today: date,
    policy: FetchPolicy = WATCH_POLICY,
    fetch: Callable[[Iterable[str], FetchPolicy], dict[str, Outcome]] = check_urls,
) -> WatchResult:
    """Read every cited page, update the ledger (written only when it changes), and say what changed."""
    ledger, problems = load_ledger(root)
    if ledger is None:
        return WatchResult(problems, [], written=False)
    citations = collect_citations(root)
    old = {(entry.address, entry.quote): entry for entry in ledger.citations}
    quotes_of: dict[str, dict[str, None]] = {}
    for citation in citations:
        quotes_of.setdefault(citation.address, {})[citation.quote] = None
    findings: dict[tuple[str, str], Finding] = {}
    addresses = sorted(quotes_of)
    for start in range(0, len(addresses), BATCH):
        for address, outcome in fetch(addresses[start : start + BATCH], policy).items():
            for quote, finding in classify(outcome, address, quotes_of[address]).items():
                findings[(address, quote)] = finding
    entries: dict[tuple[str, str], LedgerEntry] = {}
    for citation in citations:
        previous = old.get(citation.key)
        entry = entries.setdefault(
            citation.key,
            updated_entry(citation, findings[(citation.address, citation.quote)], previous, today.isoformat()),
        )
        if (annotation := _annotation(citation, entry, previous)) is not None:
            problems.append(annotation)
    written, refused = _write_ledger(root, list(entries.values()))
    return WatchResult(problems + refused, sorted(entries.values(), key=lambda e: (e.address, e.quote)), written)


def _write_ledger(root: Path, entries: list[LedgerEntry]) -> tuple[bool, list[Problem]]:
    """Writes the ledger when its text changes, through a new file renamed over it; never through a
    link, and never into a data folder that leads out of the root."""
    try:
        path = inside(root, LEDGER_FILE)
        if not path.parent.resolve().is_relative_to(root.resolve()) or path.parent.is_symlink():
            raise OutsideRoot(
                Problem(LEDGER_FILE, 0, 0, "outside-root", "data/ is a symbolic link or leads out of the root")
            )
    except OutsideRoot as refused:
        return False, [replace(refused.problem, message=refused.problem.message + "; the ledger was not written")]
    try:
        old = path.read_text(encoding="utf-8") if path.is_file() else ""
        first = old.partition("\n")[0]
        text = ledger_text(entries, first + "\n" if first.startswith("# yaml-language-server:") else MODELINE)
        if old == text:
            return False, []
        replace_file(path, text)
    except (OSError, UnicodeDecodeError) as exc:  # no data/ folder, no permission, a ledger replaced meanwhile
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return False, [Problem(LEDGER_FILE, 0, 0, "ledger-not-written", f"cannot write the ledger: {reason}")]
    return True, []


def _markdown_text(text: str) -> str:
    """Page text shown as text in the summary: no markup, link or HTML of a page's gets through."""
    return "".join("\\" + char if char in "\\`*_[]<>|#!~&" else char for char in text)


def summary_markdown(result: WatchResult, today: date) -> str:
    """The job summary: how many citations are in each state, and what needs an editor."""
    counts = Counter(entry.status for entry in result.entries)
    lines = [f"## Source watch, {today.isoformat()}", "", "| status | citations |", "|---|---:|"]
    lines += [f"| {status} | {count} |" for status, count in sorted(counts.items())]
    flagged = [problem.shown() for problem in result.problems if problem.code.startswith("source-")]
    if flagged:
        lines += ["", "### Needs an editor", ""]
        lines += [f"- `{p.path}:{p.line}` {p.severity}: {_markdown_text(p.message)}" for p in flagged]
    return "\n".join(lines) + "\n"
