"""Rules that need the base branch: what a pull request changes, compared with what was published."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from build_tools.content.fields import LANGUAGE_PATTERN
from build_tools.content.kinds import CLAIMS_DIR
from build_tools.content.ledger import LEDGER_FILE, status_changes
from build_tools.content.load import Document, Loc, load_yaml_file, load_yaml_text
from build_tools.problems import Problem


class GitError(Exception):
    """The base revision cannot be read (not a git checkout, unknown revision)."""


@dataclass
class Change:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    verdicts: list[tuple[str, str, str]] = field(default_factory=list)  # id, before, after
    sources_added: dict[str, int] = field(default_factory=dict)
    edited: list[str] = field(default_factory=list)
    ledger: dict[str, int] = field(default_factory=dict)  # "present → changed": how many citations


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        out = subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = (
            exc.stderr.decode("utf-8", "replace").strip()
            if isinstance(exc, subprocess.CalledProcessError)
            else str(exc)
        )
        raise GitError(detail or "git failed") from None
    return out.stdout


def _git_text(root: Path, *args: str) -> str:
    return _git(root, *args).decode("utf-8", "replace")


def base_claim_texts(root: Path, base: str) -> dict[str, str]:
    """Claim file name → its text at ``base``, read in one git process."""
    prefix = _git_text(root, "rev-parse", "--show-prefix").strip()
    if not _has_tree(root, base, prefix):
        return {}
    names = [
        line
        for line in _git_text(root, "ls-tree", "--name-only", f"{base}:{prefix}{CLAIMS_DIR}").splitlines()
        if line.endswith(".yml")
    ]
    request = "".join(f"{base}:{prefix}{CLAIMS_DIR}/{name}\n" for name in names).encode("utf-8")
    rest = _git(root, "cat-file", "--batch", stdin=request)
    texts: dict[str, str] = {}
    for name in names:
        # Each blob comes as "<sha> blob <size in bytes>\n<content>\n".
        header, _, rest = rest.partition(b"\n")
        size = int(header.split()[2])
        texts[name] = rest[:size].decode("utf-8", "replace")
        rest = rest[size + 1 :]
    return texts


def _has_tree(root: Path, base: str, prefix: str) -> bool:
    _git(root, "rev-parse", "--verify", f"{base}^{{commit}}")
    try:
        _git(root, "rev-parse", "--verify", f"{base}:{prefix}{CLAIMS_DIR}")
    except GitError:
        return False
    return True


def compare_with_base(root: Path, base: str) -> tuple[list[Problem], Change]:
    before = base_claim_texts(root, base)
    now = sorted(p.name for p in (root / CLAIMS_DIR).glob("*.yml"))
    change = Change(
        added=[Path(n).stem for n in now if n not in before],
        removed=[Path(n).stem for n in sorted(before) if n not in set(now)],
    )
    problems: list[Problem] = []
    for name in now:
        rel = f"{CLAIMS_DIR}/{name}"
        if name not in before or (root / rel).read_text(encoding="utf-8", errors="replace") == before[name]:
            continue
        old, _ = load_yaml_text(before[name], rel)
        new, _ = load_yaml_file(root, rel)
        if old is None or new is None:
            continue  # check reports files that do not load
        change.edited.append(Path(name).stem)
        problems += _compare_claim(old.data, new, base, change)
    change.ledger = _ledger_changes(root, base)
    return problems, change


def _ledger_changes(root: Path, base: str) -> dict[str, int]:
    prefix = _git_text(root, "rev-parse", "--show-prefix").strip()
    try:
        old_text = _git_text(root, "show", f"{base}:{prefix}{LEDGER_FILE}")
    except GitError:
        old_text = ""  # no ledger at the base
    old = load_yaml_text(old_text, LEDGER_FILE)[0] if old_text else None
    new = load_yaml_file(root, LEDGER_FILE)[0] if (root / LEDGER_FILE).is_file() else None
    return status_changes(old.data if old else None, new.data if new else None)


def _compare_claim(old: dict[str, Any], new: Document, base: str, change: Change) -> list[Problem]:
    problems: list[Problem] = []
    claim_id = Path(new.path).stem
    old_history, new_history = old.get("history") or [], new.data.get("history") or []
    if old.get("verdict") != new.data.get("verdict"):
        change.verdicts.append((claim_id, str(old.get("verdict")), str(new.data.get("verdict"))))
        if len(new_history) <= len(old_history):
            problems.append(
                new.problem(
                    ("verdict",),
                    "verdict-changed-silently",
                    f"verdict changed from '{old.get('verdict')}' (at {base}) to "
                    f"'{new.data.get('verdict')}' without a new history entry; add one that "
                    "explains the correction",
                )
            )
    for index, (was, now) in enumerate(zip(old_history, new_history, strict=False)):
        if was != now:
            message = "published history entries are a record: add a new entry instead of editing this one"
            problems.append(replace(new.problem(("history", index), "history-rewritten", message), severity="warning"))
    problems += _stale_translations(old, new.data, (), new)
    added = len(new.data.get("sources") or []) - len(old.get("sources") or [])
    if added > 0:
        change.sources_added[claim_id] = added
    return problems


def _stale_translations(old: Any, new: Any, loc: Loc, doc: Document) -> list[Problem]:
    if not isinstance(old, dict) or not isinstance(new, dict):
        if isinstance(old, list) and isinstance(new, list):
            return [
                p
                for i, (a, b) in enumerate(zip(old, new, strict=False))
                for p in _stale_translations(a, b, (*loc, i), doc)
            ]
        return []
    if _is_localized(old) and _is_localized(new) and set(old) == set(new):
        changed = sorted(code for code in new if old[code] != new[code])
        if changed and len(changed) < len(new):
            edited = ", ".join(f"'{code}'" for code in changed)
            return [
                replace(
                    doc.problem(
                        (*loc, code),
                        "stale-translation",
                        f"the {edited} text changed but the '{code}' one did not; "
                        "update the translation (or confirm it still says the same)",
                    ),
                    severity="warning",
                )
                for code in new
                if code not in changed
            ]
        return []
    return [p for key in new if key in old for p in _stale_translations(old[key], new[key], (*loc, key), doc)]


def explain_removed_references(problems: list[Problem], change: Change, base: str) -> list[Problem]:
    """An unknown claim that existed at the base was removed by this change: say so."""
    removed = set(change.removed)
    out = []
    for problem in problems:
        claim_id = problem.message.split("'")[1] if problem.code == "unknown-claim" else ""
        if claim_id in removed:
            problem = replace(
                problem,
                code="removed-claim-referenced",
                message=f"claim '{claim_id}' is removed by this change (it exists at {base}) but is "
                "still referenced here",
            )
        out.append(problem)
    return out


def summary_markdown(change: Change, base: str) -> str:
    def ids(items: list[str]) -> str:
        return ", ".join(f"`{item}`" for item in items) if items else "none"

    lines = [
        f"### Fact-check changes since `{base}`",
        "",
        f"- Claims added ({len(change.added)}): {ids(change.added)}",
        f"- Claims removed ({len(change.removed)}): {ids(change.removed)}",
        f"- Claims edited ({len(change.edited)}): {ids(change.edited)}",
    ]
    if change.verdicts:
        lines.append(f"- Verdicts changed ({len(change.verdicts)}):")
        lines += [f"  - `{claim}`: {before} → {after}" for claim, before, after in change.verdicts]
    else:
        lines.append("- Verdicts changed: none")
    total = sum(change.sources_added.values())
    lines.append(
        f"- Sources added: {total}"
        + (" (" + ", ".join(f"`{c}` +{n}" for c, n in sorted(change.sources_added.items())) + ")" if total else "")
    )
    if change.ledger:  # data/ledger.yml: what the source watch found changed
        moves = ", ".join(f"{move} ×{count}" for move, count in change.ledger.items())
        lines.append(f"- Source ledger, citations whose status changed ({sum(change.ledger.values())}): {moves}")
    return "\n".join(lines) + "\n"


def _is_localized(value: Any) -> bool:
    """Text keyed by language code, in two languages or more."""
    return (
        isinstance(value, dict)
        and len(value) > 1
        and all(
            isinstance(k, str) and re.fullmatch(LANGUAGE_PATTERN, k) and isinstance(v, str) for k, v in value.items()
        )
    )
