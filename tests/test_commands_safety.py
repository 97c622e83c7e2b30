"""No option makes a command overwrite content or write outside the root, links and hard links included.

Each command that writes is tried against what a pull request (or a careless option) can put in its
way: a symbolic link in the folder it writes to, a link to nothing, a hard link to a claim, an output
path inside the content, a folder that does not exist, a revision that git would read as an option.
Each is refused as a located error (exit 1) or a usage error (exit 2), and nothing is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.content.schema import schema_files
from build_tools.tools.bench.measure import MARK_END, MARK_START
from conftest import Run

CLAIM = "claims/good-news.yml"
VICTIM = "a file of the build machine\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder of the build machine beside the root, holding one file nobody may touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "victim.txt").write_text(VICTIM, encoding="utf-8")
    return folder


def _untouched(outside: Path) -> None:
    assert sorted(path.name for path in outside.iterdir()) == ["victim.txt"]
    assert (outside / "victim.txt").read_text(encoding="utf-8") == VICTIM


# --------------------------------------------------------------------------------------------------
# schema


def test_schema_refuses_a_link_out_of_the_root_and_writes_nothing(
    minimal_root: Path, outside: Path, cli: Callable[..., Run]
) -> None:
    (minimal_root / "schema").mkdir()
    (minimal_root / "schema/claim.schema.json").symlink_to(outside / "victim.txt")
    run = cli("schema", "--root", minimal_root)
    assert run.code == 1, run.err
    assert run.err.splitlines() == [
        "schema/claim.schema.json:0:0: error: symbolic link to a place outside the content root; remove it, "
        "the schema command writes this file [outside-root]",
        "1 error(s); nothing was written",
    ]
    _untouched(outside)
    assert sorted(path.name for path in (minimal_root / "schema").iterdir()) == ["claim.schema.json"]
    check = cli("schema", "--root", minimal_root, "--check")  # --check does not read through it either
    assert check.code == 1 and check.err.startswith("schema/claim.schema.json:0:0: error: symbolic link")


def test_schema_replaces_a_link_inside_the_root_instead_of_writing_through_it(
    minimal_root: Path, cli: Callable[..., Run]
) -> None:
    claim = (minimal_root / CLAIM).read_bytes()
    (minimal_root / "schema").mkdir()
    (minimal_root / "schema/seed.schema.json").symlink_to(f"../{CLAIM}")
    run = cli("schema", "--root", minimal_root)
    assert run.code == 0, run.err
    assert (minimal_root / CLAIM).read_bytes() == claim
    written = minimal_root / "schema/seed.schema.json"
    assert not written.is_symlink()
    assert written.read_text(encoding="utf-8") == schema_files()["seed.schema.json"]
    assert sorted(path.name for path in (minimal_root / "schema").iterdir()) == sorted(schema_files())


def test_schema_refuses_a_schema_folder_that_is_a_link(
    minimal_root: Path, outside: Path, cli: Callable[..., Run]
) -> None:
    (minimal_root / "schema").symlink_to(outside)
    run = cli("schema", "--root", minimal_root)
    assert run.code == 1
    assert run.err.startswith("schema:0:0: error: ")
    _untouched(outside)


# --------------------------------------------------------------------------------------------------
# new


def test_new_never_writes_through_a_link_to_nothing(minimal_root: Path, outside: Path, cli: Callable[..., Run]) -> None:
    (minimal_root / "claims/le-pont-mesure-1-200-metres.yml").symlink_to(outside / "new-victim.sh")
    run = cli("new", "--root", minimal_root, "--seed", "demo", "--quote", "le pont mesure 1 200 mètres")
    assert run.code == 1
    assert run.err == (
        "claims/le-pont-mesure-1-200-metres.yml:0:0: error: a symbolic link is in the way; remove it, or choose "
        "another --id [link-in-the-way]\n1 error(s); nothing was written\n"
    )
    _untouched(outside)
    assert sorted(path.name for path in (minimal_root / "claims").iterdir()) == [
        "bridge-length.yml",
        "good-news.yml",
        "le-pont-mesure-1-200-metres.yml",
    ]


def test_new_reads_the_seed_only_inside_the_root(minimal_root: Path, outside: Path, cli: Callable[..., Run]) -> None:
    (minimal_root / "seeds/leak.txt").symlink_to(outside / "victim.txt")
    run = cli("new", "--root", minimal_root, "--seed", "leak", "--quote", "build machine")
    assert run.code == 1
    assert run.err == (
        "seeds/leak.txt:0:0: error: symbolic link to a place outside the content root; copy the file in "
        "[outside-root]\n1 error(s); nothing was written\n"
    )
    assert "build machine" not in run.out + run.err
    assert sorted(path.name for path in (minimal_root / "claims").iterdir()) == ["bridge-length.yml", "good-news.yml"]


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--seed", "../../outside/victim"),
        ("--seed", "/etc/passwd"),
        ("--seed", "Demo"),
        ("--id", "../../outside/claim"),
        ("--id", "Bridge"),
        ("--id", "a" * 81),
    ],
)
def test_new_refuses_ids_that_are_not_ids(
    option: str, value: str, minimal_root: Path, outside: Path, cli: Callable[..., Run]
) -> None:
    args = {"--seed": "demo", "--quote": "le pont", option: value}
    run = cli("new", "--root", minimal_root, *(item for pair in args.items() for item in pair))
    assert run.code == 2, run.err
    assert run.err.startswith(f"error: {option} ")
    _untouched(outside)
    assert sorted(path.name for path in (minimal_root / "claims").iterdir()) == ["bridge-length.yml", "good-news.yml"]


# --------------------------------------------------------------------------------------------------
# init


def test_init_never_writes_through_links_and_never_replaces_a_file(
    tmp_path: Path, outside: Path, cli: Callable[..., Run]
) -> None:
    target = tmp_path / "new"
    target.mkdir()
    (target / "mkdocs.yml").symlink_to(outside / "init-victim.yml")  # a link to nothing
    (target / "data").symlink_to(outside)  # a link to a folder
    (target / "schema").mkdir()
    (target / "schema/claim.schema.json").write_text('{"mine": true}\n', encoding="utf-8")
    (target / "schema/seed.schema.json").symlink_to(outside / "victim.txt")
    run = cli("init", target)
    assert run.code == 0, run.err
    _untouched(outside)
    assert (target / "schema/claim.schema.json").read_text(encoding="utf-8") == '{"mine": true}\n'
    assert "kept schema/claim.schema.json (already there)" in run.out.splitlines()
    assert "wrote schema/claim.schema.json" not in run.out
    assert "wrote schema/topics.schema.json" in run.out.splitlines()
    assert run.err.splitlines() == [
        "warning: skipped data/pages/home.en.md: data is a symbolic link; init never writes through one",
        "warning: skipped data/pages/home.fr.md: data is a symbolic link; init never writes through one",
        "warning: skipped data/site.yml: data is a symbolic link; init never writes through one",
        "warning: skipped data/topics.yml: data is a symbolic link; init never writes through one",
        "warning: skipped data/verdicts.yml: data is a symbolic link; init never writes through one",
        "warning: skipped mkdocs.yml: a symbolic link; init never writes through one",
        "warning: skipped schema/seed.schema.json: a symbolic link; init never writes through one",
    ]


def test_init_refuses_a_target_that_is_a_file(tmp_path: Path, cli: Callable[..., Run]) -> None:
    (tmp_path / "file").write_text("mine\n", encoding="utf-8")
    run = cli("init", tmp_path / "file")
    assert run.code == 2 and run.err.startswith("error: ")
    assert (tmp_path / "file").read_text(encoding="utf-8") == "mine\n"


# --------------------------------------------------------------------------------------------------
# export -o


def test_export_refuses_a_hard_link_of_a_claim(minimal_root: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    claim = (minimal_root / CLAIM).read_bytes()
    os.link(minimal_root / CLAIM, tmp_path / "hard.json")
    run = cli("export", "--root", minimal_root, "-o", tmp_path / "hard.json")
    assert run.code == 2
    assert run.err == (
        f"error: --output: {tmp_path / 'hard.json'} has other hard links (another name of the same file, "
        "perhaps content); remove it first if it is yours; nothing was written\n"
    )
    assert (minimal_root / CLAIM).read_bytes() == claim


def test_export_refuses_a_folder_that_does_not_exist(
    minimal_root: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    run = cli("export", "--root", minimal_root, "-o", tmp_path / "no/such/folder/x.json")
    assert run.code == 2
    assert run.err == f"error: --output: the folder {tmp_path / 'no/such/folder'} does not exist; nothing was written\n"


def test_export_replaces_its_own_file(minimal_root: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    out = tmp_path / "claims.json"
    out.write_text("{}\n", encoding="utf-8")
    inode = out.stat().st_ino
    assert cli("export", "--root", minimal_root, "-o", out).code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["format_version"] == 3
    assert out.stat().st_ino != inode  # a new file took its name: nothing was written through the old one
    assert sorted(path.name for path in tmp_path.iterdir()) == ["claims.json", "root"]  # no temporary file left


# --------------------------------------------------------------------------------------------------
# check --summary


@pytest.mark.parametrize("rel", [CLAIM, "seeds/summary.md", "docs/summary.md", ".git/summary.md", "mkdocs.yml"])
def test_a_summary_is_never_written_into_the_content(rel: str, repo: Path, cli: Callable[..., Run]) -> None:
    before = (repo / rel).read_bytes() if (repo / rel).exists() else None
    run = cli("check", "--root", repo, "--base", "HEAD", "--summary", repo / rel)
    assert run.code == 2
    assert run.err.startswith(f"error: --summary: {repo / rel} ") and run.err.endswith("; nothing was written\n")
    assert ((repo / rel).read_bytes() if (repo / rel).exists() else None) == before


def test_a_summary_is_never_written_through_a_link(repo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    claim = (repo / CLAIM).read_bytes()
    os.link(repo / CLAIM, tmp_path / "hard.md")
    (tmp_path / "soft.md").symlink_to(repo / CLAIM)
    (tmp_path / "nothing.md").symlink_to(tmp_path / "made-through-a-link.md")
    for name in ("hard.md", "soft.md", "nothing.md"):
        run = cli("check", "--root", repo, "--base", "HEAD", "--summary", tmp_path / name)
        assert run.code == 2, name
        assert run.err.startswith(f"error: --summary: {tmp_path / name} ")
    assert (repo / CLAIM).read_bytes() == claim
    assert not (tmp_path / "made-through-a-link.md").exists()


def test_a_summary_into_a_folder_that_does_not_exist_is_a_usage_error(
    repo: Path, tmp_path: Path, cli: Callable[..., Run]
) -> None:
    run = cli("check", "--root", repo, "--base", "HEAD", "--summary", tmp_path / "nodir/x.md")
    assert (run.code, run.err) == (
        2,
        f"error: --summary: the folder {tmp_path / 'nodir'} does not exist; nothing was written\n",
    )


def test_a_summary_is_appended_to_a_file_of_its_own(repo: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("before\n", encoding="utf-8")
    assert cli("check", "--root", repo, "--base", "HEAD", "--summary", summary).code == 0
    assert summary.read_text(encoding="utf-8").startswith("before\n### Fact-check changes since `HEAD`\n")


# --------------------------------------------------------------------------------------------------
# links --changed-only, check --base


def test_a_revision_is_never_read_as_an_option(
    repo: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fetch(urls: list[str], policy: object) -> dict[str, object]:
        assert urls == []  # nothing changed: nothing is fetched (and never anything but 127.0.0.1)
        return {}

    monkeypatch.setattr("build_tools.checks.links.check_urls", no_fetch)
    claim = (repo / CLAIM).read_bytes()
    run = cli("links", "--root", repo, "--allow-private", f"--changed-only=--output={repo / CLAIM}")
    assert (run.code, run.err) == (
        2,
        f"error: --changed-only: '--output={repo / CLAIM}' is not a revision (it starts with '-')\n",
    )
    assert (repo / CLAIM).read_bytes() == claim
    base = cli("check", "--root", repo, f"--base=--output={repo / CLAIM}")
    assert (base.code, base.err) == (
        2,
        f"error: --base: '--output={repo / CLAIM}' is not a revision (it starts with '-')\n",
    )
    assert (repo / CLAIM).read_bytes() == claim


def test_changed_files_passes_the_revision_after_the_end_of_options(repo: Path) -> None:
    from build_tools.checks.links import ChangedFilesError, changed_files

    (repo / CLAIM).write_text((repo / CLAIM).read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert changed_files(repo, "HEAD") == {CLAIM}
    with pytest.raises(ChangedFilesError):
        changed_files(repo, "--output=x")
    assert not (repo / "x").exists()


# --------------------------------------------------------------------------------------------------
# bench -o


@pytest.fixture
def no_bench(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The benchmark replaced by one that measures nothing and reports a fixed table."""
    ran: list[str] = []

    def collect(*args: object, **kwargs: object) -> object:
        ran.append("collect")
        return object()

    monkeypatch.setattr("build_tools.tools.bench.collect", collect)
    monkeypatch.setattr("build_tools.tools.bench.render", lambda report: f"{MARK_START}\n| table |\n{MARK_END}\n")
    return ran


def _bench(cli: Callable[..., Run], output: Path) -> Run:
    return cli("bench", "--sizes", "2", "--runs", "1", "--no-anchor", "-o", output)


def test_bench_never_writes_over_content(
    minimal_root: Path, tmp_path: Path, no_bench: list[str], cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = (minimal_root / CLAIM).read_bytes()
    mine = tmp_path / "notes.md"
    mine.write_text("# My notes\n", encoding="utf-8")
    (tmp_path / "other.md").write_text("# Benchmarks\n", encoding="utf-8")
    os.link(tmp_path / "other.md", tmp_path / "BENCHMARKS-hard.md")
    (tmp_path / "BENCHMARKS-soft.md").symlink_to(minimal_root / CLAIM)
    monkeypatch.chdir(minimal_root)  # the default content root is the current folder
    for output, reason in [
        (minimal_root / CLAIM, "lies inside the content folder claims/"),
        (minimal_root / "docs/BENCHMARKS.md", "lies inside the content folder docs/"),
        (Path("docs/BENCHMARKS.md"), "lies inside the content folder docs/"),
        (mine, "exists and is not a benchmark report (it does not start with '# Benchmarks')"),
        (tmp_path / "BENCHMARKS-hard.md", "has other hard links"),
        (tmp_path / "BENCHMARKS-soft.md", "is a symbolic link"),
        (tmp_path / "no/such/BENCHMARKS.md", "does not exist"),
    ]:
        run = _bench(cli, output)
        assert run.code == 2, (output, run.err)
        assert reason in run.err and run.err.endswith("; nothing was written\n"), run.err
    assert no_bench == []  # refused before anything was measured
    assert (minimal_root / CLAIM).read_bytes() == claim
    assert mine.read_text(encoding="utf-8") == "# My notes\n"
    assert not (minimal_root / "docs/BENCHMARKS.md").exists()


def test_bench_writes_a_new_report_or_its_own(tmp_path: Path, no_bench: list[str], cli: Callable[..., Run]) -> None:
    new = tmp_path / "BENCHMARKS.md"
    assert _bench(cli, new).code == 0
    assert new.read_text(encoding="utf-8") == f"# Benchmarks\n\n{MARK_START}\n| table |\n{MARK_END}\n"
    new.write_text(f"# Benchmarks\n\nnotes\n\n{MARK_START}\nold\n{MARK_END}\n\nmore notes\n", encoding="utf-8")
    assert _bench(cli, new).code == 0
    assert new.read_text(encoding="utf-8") == (
        f"# Benchmarks\n\nnotes\n\n{MARK_START}\n| table |\n{MARK_END}\n\nmore notes\n"
    )
    assert no_bench == ["collect", "collect"]
