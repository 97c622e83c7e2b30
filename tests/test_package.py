"""The engine as another newsroom installs it: a built wheel, not this repository's editable install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import FIXTURES, copy_root

REPO = Path(__file__).parent.parent


def test_a_built_wheel_holds_the_engine_and_builds_a_root_from_elsewhere(tmp_path: Path) -> None:
    # Built from a copy of the sources, as a release would be: no build folder left in the repository,
    # and none from an earlier build to hide a file the package data leaves out.
    source = tmp_path / "source"
    shutil.copytree(REPO / "build_tools", source / "build_tools", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", source)
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", wheels, source],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = wheels.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    data = [path for path in (REPO / "build_tools").rglob("*") if path.suffix in (".yml", ".html", ".css", ".js")]
    assert data and [path for path in data if path.relative_to(REPO).as_posix() not in names] == []
    installed = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", installed, wheel], check=True
    )
    assert (installed / "bin/factcheck").is_file()  # the console command
    root = copy_root(FIXTURES / "minimal", tmp_path / "newsroom")
    # The installed copy comes first on the path, ahead of this repository's editable install, and
    # the command runs from another folder: nothing may come from the repository.
    environment = {**os.environ, "PYTHONPATH": str(installed)}
    probe = subprocess.run(
        [sys.executable, "-c", "import build_tools; print(build_tools.__file__)"],
        env=environment, cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert Path(probe.stdout.strip()).is_relative_to(installed)
    run = subprocess.run(
        [sys.executable, "-m", "build_tools", "build", "--root", root],
        env=environment, cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (root / "site/index.html").is_file() and (root / "site/en/claims/bridge-length/index.html").is_file()
