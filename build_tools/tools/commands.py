"""The contributor's commands, ``init``, ``new-article`` and ``new``: options in, files written, and
what to run next printed with the exact commands."""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build_tools.content import resolve
from build_tools.content.fields import LANGUAGE_PATTERN, PLACEHOLDER
from build_tools.problems import Problem, format_problems, visible, visible_lines

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
DEFAULT_LANGUAGES = ("fr=Vérifications", "en=Fact-checks")


def add_init_parser(commands: Any) -> None:
    """``init``'s options (``commands``: argparse's sub-parsers)."""
    init = commands.add_parser("init", help="create the skeleton of a new content root (never overwrites)")
    init.add_argument("target", type=Path)
    init.add_argument(
        "--language",
        action="append",
        metavar="CODE=NAME",
        help="a site language and the site's name in it, the default first; repeat for each "
        "(default: --language fr=Vérifications --language en=Fact-checks)",
    )


def add_new_parsers(command: Callable[[str, str], argparse.ArgumentParser], date_text: Callable[[str], str]) -> None:
    """``new`` and ``new-article``'s options; ``command`` adds a command that takes ``--root``."""
    new = command("new", "scaffold a claim file for a quote of a seed article")
    new.add_argument("--seed", required=True, help="id of the seed article (a file in seeds/)")
    new.add_argument("--quote", required=True, help="the statement, as it stands in the article")
    new.add_argument("--id", help="the claim id (default: made from the quote's first words)")
    article = command("new-article", "add a seed article: its metadata, and the file its text goes in")
    article.add_argument("--title", required=True, help="the article's title, or a description if it has none")
    article.add_argument("--id", help="the article's id (default: made from the title's first words)")
    article.add_argument("--language", metavar="CODE", help="a language of the site (default: its first)")
    article.add_argument("--published", type=date_text, metavar="YYYY-MM-DD", help="its publication date")
    article.add_argument("--publisher", default="unknown", help="who published it (default: unknown)")
    article.add_argument("--url", default="unknown", help="where it was published (default: unknown)")
    article.add_argument("--text", type=Path, metavar="FILE", help="a file holding its text, copied byte for byte")


def init_command(args: argparse.Namespace) -> int:
    from build_tools.tools.scaffold import SHIPPED_LANGUAGES, init_root

    pairs = [item.partition("=") for item in args.language or DEFAULT_LANGUAGES]
    if any(not re.fullmatch(LANGUAGE_PATTERN, code) or not sep or not name.strip() for code, sep, name in pairs):
        print("error: --language takes CODE=NAME, a two-letter code and the site's name", file=sys.stderr)
        return EXIT_USAGE
    codes = [code for code, _, _ in pairs]
    if len(set(codes)) != len(codes):
        print("error: --language: each language once", file=sys.stderr)
        return EXIT_USAGE
    if os.path.lexists(args.target) and not args.target.is_dir():
        print(f"error: {visible(str(args.target))} is there and is not a folder", file=sys.stderr)
        return EXIT_USAGE
    try:
        written, kept, skipped = init_root(
            args.target,
            [(code, name.strip()) for code, _, name in pairs],
            example_on=resolve.today_utc(),  # check's today: the example is never in the future
        )
    except OSError as exc:
        print(f"error: cannot write into {visible(str(args.target))}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    for rel in written:
        print(f"wrote {visible(rel)}")
    for rel in kept:
        print(f"kept {visible(rel)} (already there)")
    for reason in sorted(skipped):
        print(f"warning: skipped {visible(reason)}", file=sys.stderr)
    print(next_steps(args.prog, args.target, codes, translate=[c for c in codes if c not in SHIPPED_LANGUAGES]))
    return EXIT_OK


def next_steps(prog: str, target: Path, codes: list[str], translate: list[str]) -> str:
    """The numbered commands from a new root to a published site, each as it is typed."""
    check = (
        f"{prog} check        # lists each text to write in {', '.join(translate)} ({PLACEHOLDER}): fill each in"
        if translate
        else f"{prog} check        # the example claim passes: 1 claim(s), 1 seed article(s)"
    )
    steps = [
        f"cd {shlex.quote(visible(str(target)))}",
        check,
        f"{prog} build        # the site, in site/; {prog} serve previews it on http://127.0.0.1:8000/",
        f'{prog} new-article --id my-article --title "The article\'s title" --language {codes[0]} --text article.txt'
        "   # your article: its text copied from article.txt",
        f'{prog} new --seed my-article --quote "the words, as in the article"   # a claim to fill in',
        "publish: set ENGINE_REPOSITORY and ENGINE_REF in .github/workflows/pages.yml, push to GitHub, "
        "and choose GitHub Actions as the source of Pages",
    ]
    lines = [f"  {number}. {step}" for number, step in enumerate(steps, 1)]
    return "\nNext steps (TUTORIAL.md walks through each):\n" + "\n".join(lines)


def new_command(root: Path, args: argparse.Namespace) -> int:
    from build_tools.tools.scaffold import BadOption, ScaffoldError, new_claim

    try:
        path = new_claim(root, args.seed, args.quote, args.id)
    except BadOption as exc:
        print(f"error: {visible_lines(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except ScaffoldError as exc:
        return _refused(exc.problems, str(exc))
    print(f"wrote {path.relative_to(root)}; fill in every {PLACEHOLDER}, then run: {args.prog} check")
    return EXIT_OK


def new_article_command(root: Path, args: argparse.Namespace) -> int:
    from build_tools.tools.article import Article, article_id, new_article
    from build_tools.tools.scaffold import BadOption, ScaffoldError, site_languages

    text = b""
    if args.text is not None:
        try:
            text = args.text.read_bytes()
        except OSError as exc:
            print(f"error: --text {visible(str(args.text))}: cannot read it: {exc.strerror}", file=sys.stderr)
            return EXIT_USAGE
    try:
        language = args.language or site_languages(root)[0]
        fields = {"published": args.published, "publisher": args.publisher, "url": args.url}
        article = Article(article_id(args.title, args.id), args.title, language, **fields)
        metadata, body = new_article(root, article, text)
    except BadOption as exc:
        print(f"error: {visible_lines(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except ScaffoldError as exc:
        return _refused(exc.problems, str(exc))
    wrote = f"wrote {metadata.relative_to(root)} and {body.relative_to(root)}"
    todo = [] if args.published else [f"fill in the {PLACEHOLDER} in {metadata.relative_to(root)}"]
    todo += [] if text else [f"paste the article's text into {body.relative_to(root)}, byte for byte"]
    print(f"{wrote}; {', '.join(todo)}, then run: {args.prog} check" if todo else wrote)
    print(f'next: {args.prog} new --seed {article.id} --quote "the words, as in the article"')
    return EXIT_OK


def _refused(problems: list[Problem], message: str) -> int:
    """A scaffold refused: located problems when it has them, else its message; exit 1."""
    if problems:
        print(format_problems(problems, "text"), file=sys.stderr)
        print(f"{sum(p.severity == 'error' for p in problems)} error(s); nothing was written", file=sys.stderr)
    else:
        print(f"error: {visible_lines(message)}", file=sys.stderr)
    return EXIT_CONTENT
