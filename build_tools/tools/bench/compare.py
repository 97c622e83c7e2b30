"""The same build with an older revision of this repository, in the same run."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from build_tools.tools.bench.hugo import count_pages, tree_mb
from build_tools.tools.bench.measure import SAMPLE_INTERVAL, BenchFailed, _child_env, _mb, measure
from build_tools.tools.bench.stages import Comparison

# --------------------------------------------------------------------------------------------------
# An older revision of this repository, measured in the same run


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchFailed(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout


def _run(command: Sequence[str], cwd: Path | None = None) -> None:
    result = subprocess.run(list(command), cwd=cwd, env=_child_env(), capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-20:])
        raise BenchFailed(f"{' '.join(command)} exited with {result.returncode}:\n{tail}")


@contextmanager
def _worktree(repo: Path, commit: str, target: Path) -> Iterator[Path]:
    _git(repo, "worktree", "add", "--quiet", "--detach", str(target), commit)
    try:
        yield target
    finally:
        _git(repo, "worktree", "remove", "--force", str(target))


def _venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def _prepare_venv(venv: Path, tree: Path) -> str:
    """A virtual environment with the revision's pinned requirements (installed once per requirements
    file) and the revision itself installed in development mode from its worktree."""
    if venv.resolve() == Path(sys.prefix).resolve():
        raise BenchFailed(f"{venv} is the environment running the benchmark; give the comparison its own")
    requirements = tree / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    stamp = venv / f".bench-requirements-{digest}"
    python = _venv_python(venv)
    if stamp.is_file() and python.is_file():
        setup = "an environment kept from an earlier run (--compare-venv), made from its requirements.txt"
    else:
        if not python.is_file():
            _run([sys.executable, "-m", "venv", str(venv)])
        _run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", str(requirements)])
        stamp.touch()
        setup = "a new environment from its requirements.txt"
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps"]
    _run([*pip, "--no-build-isolation", "-e", str(tree)])
    _run([str(python), "-m", "compileall", "-q", str(tree / "build_tools")])  # no first-run compilation
    return setup


def compare_revision(
    rev: str,
    claims: int,
    runs: int,
    scratch: Path,
    *,
    venv: Path | None = None,
    interval: float = SAMPLE_INTERVAL,
    progress: Callable[[str], None] = lambda message: None,
) -> Comparison:
    """Build ``claims`` claims with revision ``rev`` of this repository: its own synthetic root
    (``python -m build_tools synth``), its own dependencies, its own ``python -m build_tools build``."""
    repo = Path(_git(Path(__file__).resolve().parent, "rev-parse", "--show-toplevel").strip())
    commit = _git(repo, "rev-parse", "--verify", f"{rev}^{{commit}}").strip()
    progress(f"comparison: preparing {rev} ({commit[:10]})")
    with _worktree(repo, commit, scratch / f"rev-{commit[:10]}") as tree:
        setup = _prepare_venv(venv or scratch / "rev-venv", tree)
        python = str(_venv_python(venv or scratch / "rev-venv"))
        root = scratch / f"rev-{commit[:10]}-n{claims}"
        results = []
        for _ in range(runs):
            # A new root each time: that revision writes its generated pages into the root's docs/.
            shutil.rmtree(root, ignore_errors=True)
            _run([python, "-m", "build_tools", "synth", str(claims), str(root)], cwd=tree)
            command = [python, "-m", "build_tools", "build", "--root", str(root)]
            results.append(measure(command, cwd=tree, interval=interval))
        comparison = Comparison(rev, commit, claims, results, count_pages(root / "site"), tree_mb(root / "site"), setup)
        progress(f"comparison: {rev} builds {claims} claims in {comparison.wall:.2f} s, {_mb(comparison.peak_mb)}")
        shutil.rmtree(root, ignore_errors=True)
    return comparison
