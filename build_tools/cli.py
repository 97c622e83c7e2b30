"""``python -m build_tools``: each subcommand parses its options and calls one library function."""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from build_tools.checks.commands import coverage_command, links_command, watch_command
from build_tools.content.dataset import CheckResult
from build_tools.content.fields import _iso_date
from build_tools.content.resolve import BadSourceDateEpoch
from build_tools.outcome import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    UsageError,
    checked,
    checked_root,
    not_the_config,
    report,
    revision_option,
)
from build_tools.problems import has_errors, visible, visible_lines
from build_tools.tools.commands import add_init_parser, add_new_parsers, init_command, new_article_command, new_command

# Any exception that escapes a command is a bug in build_tools, never an answer about the content.
EXIT_INTERNAL = 3


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="Validate fact-check records and build the bilingual site.")
    parser.set_defaults(prog=prog)  # the command as typed, for the next commands a command prints
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--root", type=Path, default=Path("."), help="content root (default: current directory)")
        return sub

    check = command("check", "validate every record and report all problems")
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.add_argument("--base", metavar="REV", help="also compare with REV (corrections, stale translations)")
    check.add_argument(
        "--summary", type=Path, metavar="FILE", help="with --base: append a Markdown summary of the changes to FILE"
    )
    check.add_argument(
        "--today",
        type=_date_option,
        metavar="YYYY-MM-DD",
        help="the date later dates are refused after (default: the UTC date of SOURCE_DATE_EPOCH, else of the clock)",
    )
    export = command("export", "write the validated dataset as JSON")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    schema = command("schema", "write the JSON Schema files into schema/")
    schema.add_argument("--check", action="store_true", help="only report schema files that are out of date")
    coverage = command("coverage", "list each sentence of the seed articles with the claims that account for it")
    coverage.add_argument(
        "--fail-under",
        type=float,
        default=0.0,
        metavar="PERCENT",
        help="exit 1 when a seed's coverage is below PERCENT",
    )
    synth = commands.add_parser("synth", help="write a synthetic content root of N claims")
    synth.add_argument("claims", type=int)
    synth.add_argument("target", type=Path)
    add_init_parser(commands)
    bench = commands.add_parser("bench", help="measure check, generation and build at several sizes")
    bench.add_argument("--sizes", default="500,2000,4000", help="comma-separated claim counts")
    bench.add_argument("--runs", type=int, default=3, help="runs per stage (the median is reported)")
    bench.add_argument("--no-anchor", action="store_true", help="skip the naive-configuration build")
    bench.add_argument("-o", "--output", type=Path, help="write the Markdown table here")
    add_new_parsers(command, _date_text)
    links = command("links", "check external URLs of the content and internal links of the built site")
    links.add_argument("--offline", action="store_true", help="no network: syntax, cache and internal links only")
    links.add_argument("--changed-only", metavar="BASE", help="check only URLs in files changed since BASE")
    links.add_argument("--allow-private", action="store_true", help="allow loopback and private addresses")
    links.add_argument("--site-dir", type=Path, help="the built site (default: site/ in the root)")
    links.add_argument("--timeout", type=float, default=10.0, help="seconds per connection and read")
    links.add_argument("--format", choices=("text", "github", "json"), default="text")
    watch = command("watch", "read every cited page again, look for each quote, and update data/ledger.yml")
    watch.add_argument("--allow-private", action="store_true", help="allow loopback addresses (a local test server)")
    watch.add_argument("--timeout", type=float, default=20.0, help="seconds per request, connection to last byte")
    watch.add_argument("--format", choices=("text", "github", "json"), default="text")
    watch.add_argument("--summary", type=Path, metavar="FILE", help="append a Markdown summary to FILE")
    watch.add_argument(
        "--today", type=_date_option, metavar="YYYY-MM-DD", help="the date recorded (default: as for check)"
    )
    build = command("build", "check, generate the pages and build the site with MkDocs (strict)")
    build.add_argument("--site-dir", type=Path, help="output folder (default: site/ in the root)")
    build.add_argument("--format", choices=("text", "github", "json"), default="text")
    build.add_argument(
        "--no-parallel", action="store_true", help="build the languages one after the other, in this process"
    )
    serve = command("serve", "preview the site, rebuilding only what an edit changes")
    serve.add_argument("--address", default="127.0.0.1:8000", metavar="HOST:PORT", help="where to serve it")
    serve.add_argument(
        "--config", type=Path, metavar="FILE", help="MkDocs configuration (default: mkdocs.yml in the root)"
    )
    return parser


def _date_option(text: str) -> date:
    return date.fromisoformat(_date_text(text))


def _date_text(text: str) -> str:
    try:
        return _iso_date(text)  # the model's rule for dates, with its messages
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run() -> None:
    """The ``factcheck`` console command of an installed engine."""
    sys.exit(main(prog="factcheck"))


def main(argv: Sequence[str] | None = None, prog: str = "python -m build_tools") -> int:
    """Run one command; 0 clean, 1 content errors, 2 usage errors, 3 an internal error (a bug)."""
    try:
        return _main(argv, prog)
    except Exception as exc:
        detail = visible(" ".join(str(exc).split()))[:300]  # one line, whatever the exception says
        print(
            f"internal error: {type(exc).__name__}{': ' + detail if detail else ''} (a bug in build_tools)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _main(argv: Sequence[str] | None, prog: str) -> int:
    try:
        args = _parser(prog).parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage message
        return EXIT_OK if exc.code == 0 else EXIT_USAGE
    if args.command in _ROOTLESS:
        return _ROOTLESS[args.command](args)
    try:
        root: Path = args.root.resolve()
        if not root.is_dir():
            raise UsageError(f"content root {args.root} is not a folder")
        handler = _HANDLERS[args.command]
        return handler(root, args)
    except (UsageError, BadSourceDateEpoch) as exc:
        print(f"error: {visible_lines(str(exc))}", file=sys.stderr)
        return EXIT_USAGE


def _synth(args: argparse.Namespace) -> int:
    from build_tools.tools.synth import write_synthetic_root

    if args.claims < 1 or (
        os.path.lexists(args.target)
        and (args.target.is_symlink() or not args.target.is_dir() or any(args.target.iterdir()))
    ):
        print("error: give a positive number of claims and an empty or new folder", file=sys.stderr)
        return EXIT_USAGE
    write_synthetic_root(args.target, args.claims)
    print(f"wrote {args.claims} claims to {args.target}")
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    from build_tools.tools.bench import main

    try:
        sizes = [int(size) for size in args.sizes.split(",")]
    except ValueError:
        print("error: --sizes takes numbers separated by commas", file=sys.stderr)
        return EXIT_USAGE
    if not sizes or min(sizes) < 1:
        print("error: --sizes takes positive numbers separated by commas", file=sys.stderr)
        return EXIT_USAGE
    # The benchmark's own command writes only its part of the output file, keeping the notes around it.
    argv = ["--sizes", ",".join(map(str, sizes)), "--runs", str(max(args.runs, 1))]
    argv += ["--no-sequential"] if args.no_anchor else []
    argv += ["-o", str(args.output)] if args.output else []
    return main(argv)


_ROOTLESS = {"synth": _synth, "init": init_command, "bench": _bench}


def _check(root: Path, args: argparse.Namespace) -> int:
    from build_tools.site.write import UnsafeOutput, append_file, refuse_unsafe_file

    if args.base is not None:
        revision_option("--base", args.base)
    if args.summary:
        try:
            refuse_unsafe_file(args.summary, root, accept=not_the_config(root))
        except UnsafeOutput as exc:
            raise UsageError(f"--summary: {exc}; nothing was written") from None
    result = checked_root(root, args.today)
    if args.base:
        from build_tools.checks.compare import GitError, compare_with_base, explain_removed_references, summary_markdown

        try:
            extra, change = compare_with_base(root, args.base)
        except GitError as exc:
            raise UsageError(f"cannot read {args.base}: {exc}") from None
        problems = explain_removed_references(result.problems, change, args.base) + extra
        result = CheckResult(result.dataset if not has_errors(problems) else None, problems)
        if args.summary:
            try:
                append_file(args.summary, summary_markdown(change, args.base))
            except UnsafeOutput as exc:
                raise UsageError(f"--summary: {exc}; nothing was written") from None
            except OSError as exc:
                raise UsageError(
                    f"--summary: cannot write {args.summary}: {exc.strerror}; nothing was written"
                ) from None
    status = report(result, args.format)
    if status == EXIT_OK and args.format == "text" and result.dataset is not None:
        print(f"ok: {len(result.dataset.claims)} claim(s), {len(result.dataset.seeds)} seed article(s)")
    return status


def _export(root: Path, args: argparse.Namespace) -> int:
    from build_tools.content.confine import replace_file
    from build_tools.site.export import export_json
    from build_tools.site.write import UnsafeOutput, refuse_unsafe_output

    if args.output:
        try:
            refuse_unsafe_output(args.output, root, folder=False)
        except UnsafeOutput as exc:
            raise UsageError(f"--output: {exc}; nothing was written") from None
    dataset = checked(root)
    if isinstance(dataset, int):
        return dataset
    text = export_json(dataset)
    if args.output:
        try:  # a new file renamed over the old one: nothing is written through a link that appeared meanwhile
            replace_file(refuse_unsafe_output(args.output, root, folder=False), text)
        except UnsafeOutput as exc:
            raise UsageError(f"--output: {exc}; nothing was written") from None
        except OSError as exc:
            raise UsageError(f"--output: cannot write {args.output}: {exc.strerror}; nothing was written") from None
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _schema(root: Path, args: argparse.Namespace) -> int:
    from build_tools.content.schema import SCHEMA_DIR, schema_problems, stale_schemas, write_schemas

    if args.check:
        if problems := schema_problems(root):  # never read through a link out of the root
            return report(CheckResult(None, problems), "text", after_errors="")
        stale = stale_schemas(root / SCHEMA_DIR)
        for name in stale:
            print(f"{SCHEMA_DIR}/{name}: error: out of date; run python -m build_tools schema", file=sys.stderr)
        return EXIT_CONTENT if stale else EXIT_OK
    written, problems = write_schemas(root)
    if problems:
        return report(CheckResult(None, problems), "text")
    for rel in written:
        print(f"wrote {rel}")
    return EXIT_OK


def _build(root: Path, args: argparse.Namespace) -> int:
    from build_tools.site.build import BuildFailed, build_site
    from build_tools.site.write import UnsafeOutput

    dataset = checked(root, args.format)
    if isinstance(dataset, int):
        return dataset
    site_dir = args.site_dir or root / "site"
    try:
        notices = build_site(dataset, site_dir, parallel=not args.no_parallel)
    except UnsafeOutput as exc:
        raise UsageError(f"--site-dir: {exc}; nothing was written or removed") from None
    except BuildFailed as exc:
        print(f"error: {visible_lines(str(exc))}", file=sys.stderr)
        return EXIT_CONTENT
    for notice in notices:
        print(f"warning: {visible_lines(notice)}", file=sys.stderr)
    print(f"built {site_dir.resolve()}")
    return EXIT_OK


def _serve(root: Path, args: argparse.Namespace) -> int:
    import logging

    from build_tools.site.preview import AddressUnavailable, VisibleFormatter, serve

    host, port = _address_option(str(args.address))
    handler = logging.StreamHandler()
    handler.setFormatter(VisibleFormatter("%(levelname)-7s -  %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    config = args.config.resolve() if args.config else None
    if config is not None and not config.is_file():
        raise UsageError(f"--config {args.config}: no such file")
    if config is None and not (root / "mkdocs.yml").is_file():
        raise UsageError(
            f"{visible(str(root))} is not a content root (it has no mkdocs.yml): give one with --root, "
            f"or make one with {args.prog} init DIR"
        )
    try:
        serve(root, host, port, config)
    except AddressUnavailable as exc:
        raise UsageError(f"--address {args.address}: cannot listen there ({exc})") from None
    return EXIT_OK


_ADDRESS = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\s\[\]]+)):(?P<port>[0-9]{1,5})")


def _address_option(text: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 address in brackets) with a port from 1 to 65535, or a usage error."""
    match = _ADDRESS.fullmatch(text)
    if not match or not 0 < int(match["port"]) < 65536:
        raise UsageError(
            f"--address {visible(text)}: expected HOST:PORT with a port from 1 to 65535, such as 127.0.0.1:8000"
        )
    return match["v6"] or match["host"], int(match["port"])


_HANDLERS = {
    "check": _check,
    "export": _export,
    "schema": _schema,
    "build": _build,
    "serve": _serve,
    "coverage": coverage_command,
    "links": links_command,
    "new": new_command,
    "new-article": new_article_command,
    "watch": watch_command,
}
