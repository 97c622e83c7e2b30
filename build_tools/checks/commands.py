"""The commands that check sources and the built site: ``links``, ``watch`` and ``coverage``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from build_tools.content.dataset import CheckResult
from build_tools.outcome import EXIT_CONTENT, EXIT_OK, UsageError, checked, not_the_config, report, revision_option
from build_tools.problems import visible


def links_command(root: Path, args: argparse.Namespace) -> int:
    from build_tools.checks.fetch import FetchPolicy
    from build_tools.checks.links import ChangedFilesError, check_links

    if args.changed_only is not None:
        revision_option("--changed-only", args.changed_only)
    policy = FetchPolicy(timeout=args.timeout, allow_private=args.allow_private)
    site = (args.site_dir or root / "site").resolve()
    try:
        problems = check_links(root, site, offline=args.offline, policy=policy, changed_only=args.changed_only)
    except ChangedFilesError as exc:
        raise UsageError(f"cannot compare with {args.changed_only}: {exc}") from None
    status = report(CheckResult(None, problems), args.format, after_errors="")
    if status == EXIT_OK and args.format == "text":
        print("links ok" + (f" ({len(problems)} warning(s))" if problems else ""))
    return status


def watch_command(root: Path, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from build_tools.checks.watch import WATCH_POLICY, summary_markdown, watch
    from build_tools.content.resolve import today_utc
    from build_tools.site.write import UnsafeOutput, append_file, refuse_unsafe_file

    if args.summary:
        try:
            refuse_unsafe_file(args.summary, root, accept=not_the_config(root))
        except UnsafeOutput as exc:
            raise UsageError(f"--summary: {exc}; nothing was written") from None
    if not 0 < args.timeout <= 300:
        raise UsageError("--timeout takes a number of seconds from 0 to 300")
    today = args.today or today_utc()
    result = watch(root, today, replace(WATCH_POLICY, timeout=args.timeout, allow_loopback=args.allow_private))
    if args.summary:
        try:
            append_file(args.summary, summary_markdown(result, today))
        except (UnsafeOutput, OSError) as exc:
            print(f"warning: --summary: cannot write {visible(str(args.summary))}: {exc}", file=sys.stderr)
    status = report(CheckResult(None, result.problems), args.format, after_errors="")
    if status == EXIT_OK and args.format == "text":
        state = "updated" if result.written else "unchanged"
        print(f"watch ok: {len(result.entries)} citation(s), ledger {state}")
    return status


def coverage_command(root: Path, args: argparse.Namespace) -> int:
    from build_tools.checks.coverage import coverage_report, seed_coverage

    dataset = checked(root)
    if isinstance(dataset, int):
        return dataset
    sys.stdout.write(coverage_report(dataset))
    low = [seed for seed in sorted(dataset.seeds) if seed_coverage(dataset, seed).percent < args.fail_under]
    return EXIT_CONTENT if low else EXIT_OK
