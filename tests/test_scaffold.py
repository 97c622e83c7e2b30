"""The contributor's commands: `new` scaffolds a claim, `init` a content root, `synth` a synthetic one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import Run


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
