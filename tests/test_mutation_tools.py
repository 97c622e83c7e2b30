"""The mutation report and the sampler read mutmut's results as `make mutation` leaves them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mutation_report
import mutation_sample


def _repo(tmp_path: Path, codes: dict[str, int | None], equivalent: str = "") -> Path:
    meta = tmp_path / "mutants/build_tools/site/pages.py.meta"
    meta.parent.mkdir(parents=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes}), encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/mutation_equivalent.txt").write_text(equivalent, encoding="utf-8")
    return tmp_path


def _names(count: int) -> list[str]:
    return [f"build_tools.site.pages.x_f__mutmut_{i}" for i in range(1, count + 1)]


def test_the_score_leaves_out_equivalent_mutants(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b, c, d, e = _names(5)
    repo = _repo(tmp_path, {a: 1, b: 37, c: 0, d: 0, e: 1}, f"# why\n{c}  no test can tell\n")
    assert mutation_report.main([], repo) == 1  # 3 of 4: under the 80 % of a site module
    out = capsys.readouterr().out.splitlines()
    expected = "site.pages 3/4 75.0% (target 80%; tests 2, mypy 1, survived 1, equivalent 1; ran all)"
    assert " ".join(out[0].split()) == expected
    assert out[1:] == [f"survived: {d}"]


def test_a_listed_mutant_that_the_tests_kill_fails_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (a,) = _names(1)
    assert mutation_report.main([], _repo(tmp_path, {a: 1}, f"{a} thought equivalent\n")) == 1
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == f"mutation_equivalent.txt calls {a} equivalent, but the tests kill it"
    )


def test_a_partial_run_gives_the_interval_of_a_sample(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = _names(60)
    codes: dict[str, int | None] = {name: None for name in names[50:]} | {name: 1 for name in names[:47]}
    codes |= {name: 0 for name in names[47:50]}
    assert mutation_report.main(["--markdown"], _repo(tmp_path, codes)) == 0
    row = capsys.readouterr().out.splitlines()[2]
    assert row == (
        "| site.pages | 50 of 60 (partial), 95 % interval 83.8%–97.9% if a random sample | 47 | 0 | 3 | 0 | "
        "47/50 = 94.0% | 80% |"
    )


def test_the_sample_is_the_same_for_the_same_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = _repo(tmp_path, dict.fromkeys(_names(40)))
    drawn = []
    for seed in ("1", "1", "2"):
        assert mutation_sample.main(["build_tools.site.pages", "10", "--seed", seed], repo) == 0
        drawn.append(capsys.readouterr().out.split())
    assert drawn[0] == drawn[1] != drawn[2]
    assert len(set(drawn[0])) == 10 and set(drawn[0]) <= set(_names(40))
    assert mutation_sample.main(["build_tools.site.adapter", "10"], repo) == 2


def test_a_sample_is_enlarged_among_the_mutants_not_tried(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    names = _names(30)
    repo = _repo(tmp_path, {name: (1 if index < 25 else None) for index, name in enumerate(names)})
    assert mutation_sample.main(["build_tools.site.pages", "10", "--untried", "--seed", "2"], repo) == 0
    assert sorted(capsys.readouterr().out.split()) == sorted(names[25:])
