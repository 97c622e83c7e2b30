"""Whatever bytes or YAML a contributor sends, `check` answers with problems, never a traceback."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_tools.cli import main
from build_tools.content.load import load_yaml_text
from conftest import FIXTURES, copy_root

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
documents = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
claim_like = st.fixed_dictionaries(
    {},
    optional={
        key: documents
        for key in (
            "id",
            "seed",
            "quote",
            "summary",
            "verdict",
            "sources",
            "history",
            "rationale",
            "reviewed_on",
            "claimant",
            "topic",
            "related",
        )
    },
)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(st.binary(max_size=300))
def test_random_bytes_never_crash_the_loader(raw: bytes) -> None:
    text = raw.decode("utf-8", errors="replace")
    doc, problems = load_yaml_text(text, "f.yml")
    assert (doc is None) == bool(problems)
    assert all(p.path == "f.yml" and p.line >= 1 for p in problems)


@SETTINGS
@given(st.text(max_size=200))
def test_random_text_never_crashes_the_loader(text: str) -> None:
    doc, problems = load_yaml_text(text, "f.yml")
    assert (doc is None) == bool(problems)


def _check(root: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--root", str(root)])
    return code, err.getvalue()


@SETTINGS
@given(data=claim_like)
def test_random_claims_get_located_problems(data: dict[str, object]) -> None:
    root = _fresh()
    (root / "claims/random.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    code, err = _check(root)
    assert code == 1
    assert "Traceback" not in err
    assert err.splitlines()[0].startswith("claims/random.yml:")


@SETTINGS
@given(raw=st.binary(max_size=400))
def test_random_bytes_as_a_claim_file(raw: bytes) -> None:
    root = _fresh()
    (root / "claims/random.yml").write_bytes(raw)
    code, err = _check(root)
    assert code == 1
    assert "Traceback" not in err


_ROOT: list[Path] = []


def _fresh() -> Path:
    """One scratch copy of the fixture reused across examples; only claims/random.yml changes."""
    if not _ROOT:
        import tempfile

        _ROOT.append(copy_root(FIXTURES / "minimal", Path(tempfile.mkdtemp()) / "root"))
    random_claim = _ROOT[0] / "claims/random.yml"
    random_claim.unlink(missing_ok=True)
    return _ROOT[0]


def teardown_module() -> None:
    for root in _ROOT:
        shutil.rmtree(root.parent, ignore_errors=True)


markdown_pieces = st.sampled_from(
    [*"ab :/.()[]!<>*_`#-+=~&\\\n 1\t\r\x0b\x0c", "https://e.org/x", "](", "  \n", "[a](", "![a](", "1)", "10.", "    "]
)
markdownish = st.lists(markdown_pieces, max_size=25).map("".join)


@SETTINGS
@given(markdownish)
def test_markdown_fast_path_never_accepts_what_the_parser_refuses(text: str) -> None:
    from build_tools.content.markup import markdown_problems, parsed_markdown_problems

    if not parsed_markdown_problems(text):
        return
    assert markdown_problems(text) != []


FOLDABLE = "ab \u00ab\u00bb\u201c\u201d\"' \u00a0\u2019\t\n\u00a8\uff21-\u2014\u00e9\u0301"


@SETTINGS
@given(st.text(alphabet=st.sampled_from(list(FOLDABLE)), max_size=40))
def test_normalize_and_fold_agree(text: str) -> None:
    from build_tools.content.quotes import fold, normalize

    result = normalize(text)
    assert result.folded == fold(text)
    assert len(result.offsets) == len(result.folded)
    assert list(result.offsets) == sorted(result.offsets)
