"""The contributor's commands: `new` scaffolds a claim, `init` a content root, `synth` a synthetic one."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from build_tools.cli import main
from conftest import REPO, TODAY, Run


def test_new_claim_from_a_quote(minimal_root: Path, cli: Callable[..., Run]) -> None:
    run = cli("new", "--root", minimal_root, "--seed", "demo", "--quote", 'c\'est "une bonne nouvelle"')
    assert (
        run.out
        == "wrote claims/c-est-une-bonne-nouvelle.yml; fill in every TODO, then run: python -m build_tools check\n"
    )
    text = (minimal_root / "claims/c-est-une-bonne-nouvelle.yml").read_text(encoding="utf-8")
    assert 'quote: "c’est « une bonne nouvelle »"' in text  # as printed in the article
    again = cli("new", "--root", minimal_root, "--seed", "demo", "--quote", 'c\'est "une bonne nouvelle"')
    assert again.out.startswith("wrote claims/c-est-une-bonne-nouvelle-2.yml;")
    check = cli("check", "--root", minimal_root)
    assert check.code == 1
    errors = check.err.splitlines()[:-1]
    assert len(errors) == 40 and all(line.startswith("claims/c-est-une-bonne-nouvelle") for line in errors)
    assert (
        "claims/c-est-une-bonne-nouvelle.yml:6:7: error: 'quote_translation.en': replace the placeholder 'TODO' "
        "with real text [bad-value]" in errors
    )


def test_new_refuses_what_it_cannot_anchor(minimal_root: Path, cli: Callable[..., Run]) -> None:
    missing = cli("new", "--root", minimal_root, "--seed", "demo", "--quote", "le pont mesure 2 km")
    assert (missing.code, missing.err) == (
        1,
        "error: quote not found in seeds/demo.txt; closest passage at line 1, col 56: «le pont mesure 1 200»\n",
    )
    assert cli("new", "--root", minimal_root, "--seed", "nope", "--quote", "x").code == 1
    taken = cli("new", "--root", minimal_root, "--seed", "demo", "--quote", "le pont", "--id", "bridge-length")
    assert (taken.code, taken.err) == (1, "error: claims/bridge-length.yml already exists\n")
    assert list((minimal_root / "claims").glob("*.yml")) == sorted((minimal_root / "claims").glob("*.yml"))
    assert len(list((minimal_root / "claims").glob("*.yml"))) == 2


def test_init_never_overwrites(tmp_path: Path, cli: Callable[..., Run]) -> None:
    first = cli("init", tmp_path / "new")
    assert "wrote mkdocs.yml" in first.out and "wrote data/verdicts.yml" in first.out
    (tmp_path / "new/data/topics.yml").write_text(
        "# mine\ntopics:\n  - id: mine\n    label: {fr: A, en: B}\n", encoding="utf-8"
    )
    second = cli("init", tmp_path / "new")
    assert "kept data/topics.yml (already there)" in second.out
    assert (tmp_path / "new/data/topics.yml").read_text(encoding="utf-8").startswith("# mine")


def test_synthetic_root_checks_and_builds(tmp_path: Path, cli: Callable[..., Run]) -> None:
    assert cli("synth", "60", tmp_path / "synth").code == 0
    assert cli("check", "--root", tmp_path / "synth").out == "ok: 60 claim(s), 2 seed article(s)\n"
    assert cli("build", "--root", tmp_path / "synth").code == 0
    assert (tmp_path / "synth/site/en/claims/claim-00059/index.html").is_file()
    assert cli("synth", "5", tmp_path / "synth").code == 2  # refuses a folder that is not empty


def test_init_writes_a_root_that_checks_and_builds_at_once(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = tmp_path / "desk"
    run = cli("init", root, "--language", "en=Fact-checks", "--language", "fr=Vérifications")
    assert run.code == 0 and run.err == ""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    assert config["site_name"] == "Fact-checks" and config["theme"]["language"] == "en"
    assert config["plugins"][1] == {"search": {"lang": ["en", "fr"]}}
    assert config["site_url"] == "!ENV SITE_URL"  # given by the Pages workflow
    site = yaml.safe_load((root / "data/site.yml").read_text(encoding="utf-8"))
    assert [language["code"] for language in site["languages"]] == ["en", "fr"]
    claim = yaml.safe_load((root / "claims/example-opinion.yml").read_text(encoding="utf-8"))
    assert claim["quote"] in (root / "seeds/example.txt").read_text(encoding="utf-8")
    assert claim["reviewed_on"] == TODAY.isoformat()  # the day of init, as check tells it
    steps = run.out[run.out.index("Next steps") :].splitlines()[1:]
    assert [step.split(". ")[0].strip() for step in steps] == ["1", "2", "3", "4", "5", "6"]
    assert steps[0] == f"  1. cd {root}" and steps[1].startswith("  2. python -m build_tools check ")
    assert cli("check", "--root", root).out == "ok: 1 claim(s), 1 seed article(s)\n"
    assert cli("build", "--root", root).code == 0
    assert (root / "site/claims/example-opinion/index.html").is_file()
    assert (root / "site/fr/claims/example-opinion/index.html").is_file()


class _MkDocsLoader(yaml.SafeLoader):
    """MkDocs' configuration as text: its !ENV tag kept as written."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return f"!ENV {loader.construct_scalar(node)}"


_MkDocsLoader.add_constructor("!ENV", _env_tag)


def test_init_in_a_language_the_engine_has_no_text_for(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = tmp_path / "es"
    run = cli("init", root, "--language", "es=Verificaciones", "--language", "en=Fact-checks")
    assert "2. python -m build_tools check        # lists each text to write in es (TODO)" in run.out
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_MkDocsLoader)
    assert config["theme"]["language"] == "es" and config["plugins"][1] == {"search": {"lang": ["es", "en"]}}
    assert yaml.safe_load((root / "seeds/example.yml").read_text(encoding="utf-8"))["language"] == "en"
    # Every error is a text to write in Spanish, nothing else.
    errors = cli("check", "--root", root).err.splitlines()[:-1]
    assert errors and all("replace the placeholder 'TODO'" in line for line in errors)
    assert any(line.startswith("claims/example-opinion.yml:") and ".es'" in line for line in errors)
    assert not any(".en'" in line for line in errors)


def test_init_adds_no_example_to_a_root_that_has_articles(minimal_root: Path, cli: Callable[..., Run]) -> None:
    assert cli("init", minimal_root).code == 0
    assert (
        not (minimal_root / "seeds/example.yml").exists() and not (minimal_root / "claims/example-opinion.yml").exists()
    )
    assert cli("check", "--root", minimal_root).out == "ok: 2 claim(s), 1 seed article(s)\n"


def test_the_pages_workflow_pins_actions_as_ci_does(tmp_path: Path, cli: Callable[..., Run]) -> None:
    cli("init", tmp_path / "desk")
    written = (tmp_path / "desk/.github/workflows/pages.yml").read_text(encoding="utf-8")
    ours = (REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    pins = set(re.findall(r"uses: (\S+@\S+)  # (\S+)", written))
    assert len(pins) == 5 and pins <= set(re.findall(r"uses: (\S+@\S+)  # (\S+)", ours))
    steps = [step for job in yaml.safe_load(written)["jobs"].values() for step in job["steps"]]
    build = next(step for step in steps if step.get("run") == "factcheck build")
    assert build["env"] == {"SITE_URL": "${{ steps.pages.outputs.base_url }}"}
    # The linters `make test` runs on this repository's workflows, on the one a new root gets.
    tools = Path(sys.executable).parent
    lint = [str(tools / "actionlint"), "-no-color", "-shellcheck", str(tools / "shellcheck"), "-pyflakes="]
    for command in (lint, [str(tools / "zizmor"), "--offline", "--min-severity", "low", "--no-progress"]):
        found = subprocess.run([*command, ".github/workflows/pages.yml"], cwd=tmp_path / "desk", capture_output=True)
        assert found.returncode == 0, found.stdout.decode() + found.stderr.decode()


def test_new_article_writes_the_metadata_and_the_text(minimal_root: Path, cli: Callable[..., Run]) -> None:
    source = minimal_root.parent / "article.txt"
    source.write_bytes("Le pont mesure 1 180 mètres.\r\nSelon le registre.\r\n".encode())
    run = cli(
        "new-article", "--root", minimal_root, "--title", "Le registre", "--language", "fr",
        "--published", "2025-01-05", "--text", source,
    )  # fmt: skip
    assert run.out == (
        "wrote seeds/le-registre.yml and seeds/le-registre.txt\n"
        'next: python -m build_tools new --seed le-registre --quote "the words, as in the article"\n'
    )
    assert (minimal_root / "seeds/le-registre.txt").read_bytes() == source.read_bytes()
    seed = yaml.safe_load((minimal_root / "seeds/le-registre.yml").read_text(encoding="utf-8"))
    assert seed == {
        "id": "le-registre", "title": "Le registre", "language": "fr", "published": "2025-01-05",
        "publisher": "unknown", "url": "unknown",
    }  # fmt: skip
    assert cli("check", "--root", minimal_root).out == "ok: 2 claim(s), 2 seed article(s)\n"
    assert cli("new", "--root", minimal_root, "--seed", "le-registre", "--quote", "1 180 mètres").code == 0


def test_new_article_leaves_what_it_does_not_know_to_fill_in(minimal_root: Path, cli: Callable[..., Run]) -> None:
    run = cli("new-article", "--root", minimal_root, "--title", "Un autre article", "--id", "other")
    assert run.out.startswith(
        "wrote seeds/other.yml and seeds/other.txt; fill in the TODO in seeds/other.yml, "
        "paste the article's text into seeds/other.txt, byte for byte, then run: python -m build_tools check\n"
    )
    errors = cli("check", "--root", minimal_root).err.splitlines()
    assert "seeds/other.yml:6:12: error: 'published': 'TODO' is not a date written YYYY-MM-DD [bad-value]" in errors


def test_new_article_refuses_to_overwrite_and_bad_options(minimal_root: Path, cli: Callable[..., Run]) -> None:
    taken = cli("new-article", "--root", minimal_root, "--title", "Démo", "--id", "demo")
    assert (taken.code, taken.err) == (
        1,
        "seeds/demo.txt:0:0: error: already exists; choose another --id [already-exists]\n"
        "seeds/demo.yml:0:0: error: already exists; choose another --id [already-exists]\n"
        "2 error(s); nothing was written\n",
    )
    refused = {
        ("--language", "de"): "error: --language: 'de' is not a language of the site (fr, en)\n",
        ("--url", "ftp://example.org/a"): "error: --url: 'ftp://example.org/a' is not an absolute http(s) URL\n",
        ("--id", "Bad Id"): "error: --id 'Bad Id' is not a seed id (lower-case letters and digits joined by '-' or "
        "'_', at most 80 characters)\n",
        ("--text", minimal_root / "nothing.txt"): f"error: --text {minimal_root / 'nothing.txt'}: cannot read it: "
        "No such file or directory\n",
    }
    for (option, value), message in refused.items():
        run = cli("new-article", "--root", minimal_root, "--title", "Un titre", option, value)
        assert (run.code, run.err) == (2, message)
    assert cli("new-article", "--root", minimal_root, "--title", "X", "--published", "2025-02-30").code == 2
    assert sorted(path.name for path in (minimal_root / "seeds").iterdir()) == ["demo.txt", "demo.yml"]
    outside = cli("new-article", "--root", minimal_root.parent, "--title", "Un titre")
    assert (outside.code, outside.err.splitlines()[0]) == (
        1,
        "data/site.yml:0:0: error: cannot read file: No such file or directory [unreadable]",
    )


def test_new_article_never_writes_out_of_the_root(minimal_root: Path, tmp_path: Path, cli: Callable[..., Run]) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (minimal_root / "seeds/demo.txt").rename(tmp_path / "demo.txt")
    (minimal_root / "seeds/demo.yml").rename(tmp_path / "demo.yml")
    (minimal_root / "seeds").rmdir()
    (minimal_root / "seeds").symlink_to(elsewhere)
    run = cli("new-article", "--root", minimal_root, "--title", "Un titre")
    assert (run.code, run.err.splitlines()[0]) == (
        1,
        "seeds:0:0: error: symbolic link to a place outside the content root; copy the file in [outside-root]",
    )
    assert list(elsewhere.iterdir()) == []
    (minimal_root / "seeds").unlink()
    (minimal_root / "seeds").mkdir()
    (minimal_root / "seeds/un-titre.txt").symlink_to(elsewhere / "victim.txt")  # a link to nothing
    run = cli("new-article", "--root", minimal_root, "--title", "Un titre")
    assert run.err.splitlines()[0] == (
        "seeds/un-titre.txt:0:0: error: a symbolic link is in the way; choose another --id [already-exists]"
    )
    assert list(elsewhere.iterdir()) == [] and not (minimal_root / "seeds/un-titre.yml").exists()


def test_init_takes_each_language_once(tmp_path: Path, cli: Callable[..., Run]) -> None:
    run = cli("init", tmp_path / "new", "--language", "en=Checks", "--language", "en=Other")
    assert (run.code, run.err) == (2, "error: --language: each language once\n")
    assert not (tmp_path / "new").exists()


def test_the_next_steps_name_the_command_as_it_was_typed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "my checks")], prog="factcheck") == 0
    steps = capsys.readouterr().out.split("Next steps")[1].splitlines()
    assert steps[1] == f"  1. cd '{tmp_path / 'my checks'}'"
    assert steps[2].startswith("  2. factcheck check ") and steps[5].startswith("  5. factcheck new --seed ")
