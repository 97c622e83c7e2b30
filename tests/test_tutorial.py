"""TUTORIAL.md as a newcomer follows it: every command as written, from `init` to a built site with
one real claim. Its `sh` blocks run in order in one shell, each file block is written where it says,
and a block marked as not run says why on the line before it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from conftest import REPO

TUTORIAL = REPO / "TUTORIAL.md"
_BLOCK = re.compile(r"(?P<before>[^\n]*)\n```(?P<info>[^\n]*)\n(?P<body>.*?)\n```\n", re.S)
_NOT_RUN = re.compile(r"<!-- not run by tests/test_tutorial\.py: .+ -->")
_FILE = re.compile(r'\w+ title="(?P<path>[^"]+)"')


def tutorial_script(text: str) -> tuple[str, int]:
    """The tutorial as one shell script: ``sh`` blocks as written, file blocks as here-documents;
    and how many blocks were left out, each marked with its reason."""
    lines, left_out = [], 0
    for block in _BLOCK.finditer(text):
        if _NOT_RUN.fullmatch(block["before"]):
            left_out += 1
        elif block["info"] == "sh":
            lines.append(block["body"])
        elif file := _FILE.fullmatch(block["info"]):
            assert "TUTORIAL_EOF" not in block["body"]
            lines.append(f"cat > '{file['path']}' <<'TUTORIAL_EOF'\n{block['body']}\nTUTORIAL_EOF")
        else:
            raise AssertionError(f"a block the test does not know how to run: ```{block['info']}")
    return "\n".join(lines) + "\n", left_out


def _newest_date(text: str) -> date:
    return max(date.fromisoformat(found) for found in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text))


def test_the_tutorial_runs_as_written_to_a_built_site_with_its_claim(tmp_path: Path) -> None:
    text = TUTORIAL.read_text(encoding="utf-8")
    script, left_out = tutorial_script(text)
    assert left_out == 2  # installing the engine, and pushing to GitHub
    assert "factcheck init " in script and "factcheck build" in script
    # `factcheck` is this checkout's engine, run by the test's Python. Today is the newest date the
    # tutorial writes, so the run does not depend on the clock and no date of it is in the future.
    today = _newest_date(text)
    epoch = int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp())
    prelude = f'factcheck() {{ "{sys.executable}" -m build_tools "$@"; }}\n'
    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", prelude + script],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    # check, on init's example, then on the tutorial's claim alone
    assert [line for line in run.stdout.splitlines() if line.startswith("ok: ")] == [
        "ok: 1 claim(s), 1 seed article(s)",
        "ok: 1 claim(s), 1 seed article(s)",
    ]
    root = tmp_path / "my-checks"
    page = (root / "site/claims/kremlin-warning/index.html").read_text(encoding="utf-8")
    assert "According to Yuri Ushakov, Putin told Trump on 16 October" in page
    assert (root / "site/fr/claims/kremlin-warning/index.html").is_file()
    assert not (root / "site/claims/example-opinion").exists()
    assert (root / "seeds/tomahawk-talks.txt").read_bytes().endswith("règlement du conflit.\n".encode())


def test_the_tutorials_article_and_claim_are_the_repositorys_own() -> None:
    """Nothing in the walk-through is made up: its paragraph is the demo article's, word for word, and
    its claim's sources are the demo claim's."""
    text = TUTORIAL.read_text(encoding="utf-8")
    article = re.search(r'```text title="article.txt"\n(.*?)\n```', text, re.S)
    assert article is not None
    assert article[1] + "\n" in (REPO / "seeds/000_15e9420a4c454b8b.txt").read_text(encoding="utf-8")
    claim = re.search(r'```yaml title="claims/kremlin-warning.yml"\n(.*?)\n```', text, re.S)
    assert claim is not None
    demo = yaml.safe_load((REPO / "claims/kremlin-warning.yml").read_text(encoding="utf-8"))
    seen = {source["url"]: source for source in demo["sources"]}
    sources = yaml.safe_load(claim[1])["sources"]
    assert sources and all(
        {key: source[key] for key in ("title", "date", "url", "quote", "language", "stance")}
        == {key: seen[source["url"]][key] for key in ("title", "date", "url", "quote", "language", "stance")}
        for source in sources
    )
    seed = yaml.safe_load((REPO / "seeds/000_15e9420a4c454b8b.yml").read_text(encoding="utf-8"))
    assert all(f"--{key} {seed[key]}" in text for key in ("published", "publisher", "url"))
