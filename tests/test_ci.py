"""CI runs what local work runs: the workflows are valid YAML and call the Makefile or .ci/run."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github/workflows"


def _steps(path: Path) -> list[dict[str, object]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def test_workflows_run_the_makefile_targets() -> None:
    targets = set(re.findall(r"^([a-z-]+):", (REPO / "Makefile").read_text(encoding="utf-8"), re.M))
    runs = [str(step["run"]) for path in sorted(WORKFLOWS.glob("*.yml")) for step in _steps(path) if "run" in step]
    assert runs, "no run step found"
    for command in runs:
        match = re.match(r"make ([a-z-]+)|bash \.ci/run$", command)
        assert match, f"CI step does not use the Makefile: {command}"
        assert match.group(1) is None or match.group(1) in targets


def test_pull_requests_are_checked_against_their_base_and_deploy_waits_for_checks() -> None:
    ci = yaml.safe_load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))
    triggers = ci[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    check = next(s for s in ci["jobs"]["checks"]["steps"] if str(s.get("run", "")).startswith("make check"))
    assert "--format github" in str(check["run"]) and "--base origin/$BASE" in str(check["run"])
    deploy = ci["jobs"]["deploy"]
    assert deploy["needs"] == "checks" and "refs/heads/main" in deploy["if"]
    weekly = yaml.safe_load((WORKFLOWS / "links.yml").read_text(encoding="utf-8"))
    assert "schedule" in weekly[True] and "workflow_dispatch" in weekly[True]


def test_ci_script_runs_the_test_target() -> None:
    assert "make test" in (REPO / ".ci/run").read_text(encoding="utf-8")


def test_make_test_lints_the_workflows() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    [test] = re.findall(r"^test: (.*)$", makefile, re.M)
    assert "actionlint" in test.split()
    [recipe] = re.findall(r"^actionlint: setup\n((?:\t.*\n)+)", makefile, re.M)
    assert ".github/workflows/" in recipe and "-shellcheck $(VENV)/bin/shellcheck" in recipe


def test_browser_tests_get_a_browser_on_hosted_runners() -> None:
    """GitHub's Ubuntu runners have no Debian chromium: the workflow installs Chrome and passes its path."""
    steps = yaml.safe_load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))["jobs"]["checks"]["steps"]
    tests = next(i for i, step in enumerate(steps) if step.get("run") == "bash .ci/run")
    chrome = next(i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("browser-actions/"))
    assert chrome < tests
    assert re.fullmatch(r"browser-actions/setup-chrome@[0-9a-f]{40}", steps[chrome]["uses"])  # pinned to a commit
    assert steps[tests]["env"]["FACTCHECK_CHROMIUM"] == f"${{{{ steps.{steps[chrome]['id']}.outputs.chrome-path }}}}"
    script = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert 'if [ -z "${FACTCHECK_CHROMIUM:-}" ] && ! command -v chromium' in script


def test_pre_commit_hooks_are_local() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]
    assert all(hook["language"] == "system" for repo in config["repos"] for hook in repo["hooks"])


def test_the_site_build_reuses_main_s_share_images() -> None:
    """Restored before the site is built, saved after it by runs on main only, under a key that
    changes with the drawing; both steps pinned to one commit of actions/cache."""
    steps = yaml.safe_load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))["jobs"]["checks"]["steps"]
    site = next(i for i, step in enumerate(steps) if step.get("run") == "make site")
    restore = next(i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/cache/restore@"))
    save = next(i for i, step in enumerate(steps) if str(step.get("uses", "")).startswith("actions/cache/save@"))
    assert restore < site < save
    assert steps[restore]["with"]["path"] == steps[save]["with"]["path"] == ".cache/share"
    assert "hashFiles('build_tools/site/share_drawing.py'" in steps[restore]["with"]["key"]
    assert steps[save]["with"]["key"] == f"${{{{ steps.{steps[restore]['id']}.outputs.cache-primary-key }}}}"
    assert steps[save]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    commits = {str(steps[i]["uses"]).split("@")[1] for i in (restore, save)}
    assert len(commits) == 1 and re.fullmatch(r"[0-9a-f]{40}", commits.pop())
