"""The contributor's documents held to the code: CONTRIBUTING.md lists every check CI runs, in English
and in French, by the `make` target that runs it, and the one command given runs all of a pull
request's; the README's way to depend on the engine names its distribution and its pins as they are."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import REPO

CONTRIBUTING = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
SECTIONS = {
    "en": "### What CI checks, and the same on your machine",
    "fr": "### Ce que vérifie la CI, et la même chose chez vous",
}


def _section(heading: str) -> str:
    start = CONTRIBUTING.index(heading)
    end = CONTRIBUTING.find("\n### ", start + len(heading))
    return CONTRIBUTING[start : end if end != -1 else None]


def _make_targets(workflow: str) -> list[str]:
    """The `make` targets a workflow runs, with those of `make test` for `.ci/run` (which runs it)."""
    data = yaml.safe_load((REPO / ".github/workflows" / workflow).read_text(encoding="utf-8"))
    runs = [str(step["run"]) for job in data["jobs"].values() for step in job.get("steps", []) if "run" in step]
    targets = []
    for command in runs:
        if command.strip() == "bash .ci/run":
            assert (REPO / ".ci/run").read_text(encoding="utf-8").rstrip().endswith("\nmake test")
            targets.append("test")
        else:
            match = re.match(r"make ([a-z-]+)", command)
            assert match, f"a CI step CONTRIBUTING cannot name by its make target: {command}"
            targets.append(match[1])
    return targets


def _test_prerequisites() -> list[str]:
    match = re.search(r"^test: (.*)$", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
    assert match
    return match[1].split()


def test_contributing_lists_every_check_ci_runs() -> None:
    pull_request = _make_targets("ci.yml")
    weekly = _make_targets("links.yml")
    every = (set(pull_request) - {"test"}) | set(_test_prerequisites()) | set(weekly)
    for heading in SECTIONS.values():
        section = _section(heading)
        table = {found for found in re.findall(r"\| `make ([a-z-]+)`", section)}
        assert table == set(pull_request) - {"test"} | set(_test_prerequisites()), heading
        named = set(re.findall(r"`make ([a-z-]+)`", section))
        assert every <= named, f"{heading}: not named: {sorted(every - named)}"
        assert "`make test` " in section and ", ".join(_test_prerequisites()[:-1]) in section.replace(" et ", ", ")


def test_the_one_command_runs_what_a_pull_request_runs() -> None:
    ci = (REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert "--base origin/$BASE" in ci  # what CHECK_ARGS stands for locally
    for heading in SECTIONS.values():
        [command] = re.findall(r"```sh\n(make [^\n]*)\n```", _section(heading))
        targets = re.findall(r"(?<![=\w-])([a-z][a-z-]*)(?= |$)", command.removeprefix("make "))
        # In CI's order, so `site` is built before `links-offline` reads it.
        assert [target for target in targets if target in _make_targets("ci.yml")] == _make_targets("ci.yml")
        assert 'CHECK_ARGS="--base origin/main"' in command


def test_contributing_names_the_virtual_environment_s_command() -> None:
    assert "python -m build_tools new" not in CONTRIBUTING.replace(".venv/bin/python -m build_tools", "")
    assert CONTRIBUTING.count(".venv/bin/factcheck new --seed") == 2 and CONTRIBUTING.count("`make check`") >= 4


def test_the_readme_depends_on_the_engine_as_it_is_packaged() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Depending on the engine by version") :]
    section = section[: section.index("\n## ")]
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert f"`{project['name']} @ git+" in section and f"distribution is `{project['name']}`" in section
    # The package declares no dependency: the pins are installed from requirements.txt, then the engine alone.
    assert project["dependencies"] == [] and "`dependencies = []`" in section
    assert "pip install -r engine/requirements.txt" in section and "pip install --no-deps ./engine" in section
    assert "factcheck" in project["scripts"]
    workflow = (REPO / "build_tools/tools/defaults/pages.yml").read_text(encoding="utf-8")
    assert "pip install --quiet -r .engine/requirements.txt" in workflow and "--no-deps ./.engine" in workflow
    assert "[TUTORIAL.md](TUTORIAL.md)" in readme
