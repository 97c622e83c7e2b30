"""The strict YAML loader: every refusal with its exact position and message."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from build_tools.content.load import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    discover,
    load_yaml_file,
    load_yaml_text,
    syntax_problem,
)
from build_tools.problems import Problem

REFUSED = [
    (
        "malformed",
        "a: [1\n",
        "f.yml:2:1: error: invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence) [yaml-syntax]",
    ),
    ("tab", "a:\n\tb: 1\n", "f.yml:2:1: error: tab character in indentation; YAML needs spaces [yaml-tab]"),
    (
        "duplicate key",
        "a: 1\nb: 2\na: 3\n",
        "f.yml:3:1: error: duplicate key 'a' (first defined on line 1) [duplicate-key]",
    ),
    (
        "nested duplicate key",
        "a:\n  x: 1\n  x: 2\n",
        "f.yml:3:3: error: duplicate key 'x' (first defined on line 2) [duplicate-key]",
    ),
    ("anchor", "a: &x [1]\nb: *x\n", "f.yml:1:4: error: anchors (&x) are not allowed; write the value out [anchor]"),
    ("alias", "a: [1]\nb: *x\n", "f.yml:2:4: error: aliases (*x) are not allowed; write the value out [alias]"),
    (
        "python tag",
        "a: !!python/object/apply:os.system [ls]\n",
        "f.yml:1:4: error: tags such as 'tag:yaml.org,2002:python/object/apply:os.system' are not allowed [tag]",
    ),
    ("custom tag", "a: !include other.yml\n", "f.yml:1:4: error: tags such as '!include' are not allowed [tag]"),
    ("empty", "", "f.yml:1:1: error: file is empty; expected a YAML mapping [empty-file]"),
    ("only comments", "# nothing\n", "f.yml:1:1: error: file is empty; expected a YAML mapping [empty-file]"),
    (
        "list at top",
        "- a\n- b\n",
        "f.yml:1:1: error: the top level must be a mapping of field names to values, not a list [not-a-mapping]",
    ),
    (
        "scalar at top",
        "hello\n",
        "f.yml:1:1: error: the top level must be a mapping of field names to values, not text [not-a-mapping]",
    ),
    (
        "two documents",
        "a: 1\n---\nb: 2\n",
        "f.yml:2:1: error: only one YAML document per file ('---' starts another) [multiple-documents]",
    ),
    (
        "control character",
        "a: b\x1b[2J\n",
        "f.yml:1:5: error: control character U+001B is not allowed in YAML; remove it [control-character]",
    ),
    ("bare document marker", "---\n", "f.yml:1:1: error: file is empty; expected a YAML mapping [empty-file]"),
    (
        "complex key",
        "? [1]\n: 2\n",
        "f.yml:1:3: error: keys must be plain field names, not lists or mappings [key-type]",
    ),
]


@pytest.mark.parametrize(("text", "expected"), [case[1:] for case in REFUSED], ids=[case[0] for case in REFUSED])
def test_refusals_are_located(text: str, expected: str) -> None:
    doc, problems = load_yaml_text(text, "f.yml")
    assert doc is None
    assert [problem.as_text() for problem in problems] == [expected]


def test_billion_laughs_is_refused_at_the_first_anchor() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
    doc, problems = load_yaml_text("\n".join(lines) + "\n", "f.yml")
    assert doc is None
    assert [(p.line, p.col, p.code) for p in problems] == [(1, 4, "anchor")]


def test_scalars_stay_as_written() -> None:
    doc, problems = load_yaml_text(
        "date: 2025-10-17\nquoted: '2025-10-17'\nn: 3\nf: 1.5\nyes_word: yes\nt: true\nnothing: null\n", "f.yml"
    )
    assert problems == []
    assert doc is not None
    # No implicit timestamp: a date stays a string until the schema validates it.
    assert doc.data == {
        "date": "2025-10-17",
        "quoted": "2025-10-17",
        "n": 3,
        "f": 1.5,
        "yes_word": "yes",
        "t": True,
        "nothing": None,
    }


def test_every_key_and_value_has_a_position() -> None:
    doc, _ = load_yaml_text("a:\n  - x: 1\n    y: two\n", "f.yml")
    assert doc is not None
    assert doc.mark(("a", 0, "y")) == (3, 8)
    assert doc.mark(("a", 0, "y"), key=True) == (3, 5)
    # A missing field is reported at its nearest existing ancestor.
    assert doc.mark(("a", 0, "missing")) == (2, 5)


def test_a_field_missing_at_the_top_is_reported_where_the_mapping_starts() -> None:
    doc, _ = load_yaml_text("# a comment\n\n  a: 1\n", "f.yml")
    assert doc is not None
    assert doc.mark(("b",)) == (3, 3)
    assert doc.mark(("b",), key=True) == (3, 3)


def test_empty_values_are_null_and_quoted_empty_values_are_text() -> None:
    doc, problems = load_yaml_text("a:\nb: ''\nc: \"\"\nd: ~\ne: '~'\n", "f.yml")
    assert problems == [] and doc is not None
    assert doc.data == {"a": None, "b": "", "c": "", "d": None, "e": "~"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"\xef\xbb\xbfa: 1\n",
            "f.yml:1:1: error: file starts with a byte-order mark; save it as UTF-8 without BOM [bom]",
        ),
        (b"a: 1\nb: caf\xe9\n", "f.yml:2:7: error: byte 0xe9 is not valid UTF-8; save the file as UTF-8 [encoding]"),
        (b"\n\xffa: 1\n", "f.yml:2:1: error: byte 0xff is not valid UTF-8; save the file as UTF-8 [encoding]"),
    ],
    ids=["bom", "latin-1", "after a first blank line"],
)
def test_bytes_that_are_not_plain_utf8(tmp_path: Path, raw: bytes, expected: str) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(raw)
    doc, problems = load_yaml_file(tmp_path, "f.yml")
    assert doc is None
    assert [problem.as_text() for problem in problems] == [expected]


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    doc, problems = load_yaml_file(tmp_path, "f.yml")
    assert doc is None
    assert [p.code for p in problems] == ["file-too-large"]
    assert problems[0].message.endswith("the limit is 1,048,576 (1 MiB)")


def test_a_file_of_exactly_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "f.yml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 4) + b"\n")
    assert path.stat().st_size == MAX_FILE_BYTES
    doc, problems = load_yaml_file(tmp_path, "f.yml")
    assert problems == [] and doc is not None
    assert len(doc.data["a"]) == MAX_FILE_BYTES - 4


def test_a_syntax_error_without_position_or_detail_is_still_located() -> None:
    # PyYAML's own errors carry both; the fallback keeps a located, readable line if one ever does not.
    assert syntax_problem("f.yml", "a: 1\n", yaml.MarkedYAMLError()) == Problem(
        "f.yml", 1, 1, "yaml-syntax", "invalid YAML"
    )


def test_record_folders_hold_only_yml_files(tmp_path: Path) -> None:
    for folder in ("claims", "seeds"):
        (tmp_path / folder).mkdir()
        for name in ("a.yml", ".hidden", "README", "notes.txt"):
            (tmp_path / folder / name).write_text("id: a\n", encoding="utf-8")
        (tmp_path / folder / "drafts").mkdir()
        (tmp_path / folder / "linked.yml").symlink_to(tmp_path / folder / "a.yml")
    found = discover(tmp_path)
    assert (found.claims, found.seeds) == (["claims/a.yml"], ["seeds/a.yml"])
    rename = "holds only .yml files; rename it or move it elsewhere"
    not_this = "holds only .yml files, not this"
    assert [p for p in found.problems if p.code == "unexpected-file"] == [
        Problem("claims/README", 0, 0, "unexpected-file", f"claims/ {rename}"),
        Problem("claims/drafts", 0, 0, "unexpected-file", f"claims/ {not_this}"),
        Problem("claims/linked.yml", 0, 0, "unexpected-file", f"claims/ {not_this}"),
        Problem("claims/notes.txt", 0, 0, "unexpected-file", f"claims/ {rename}"),
        # A seed's article is its .txt file.
        Problem("seeds/README", 0, 0, "unexpected-file", f"seeds/ {rename}"),
        Problem("seeds/drafts", 0, 0, "unexpected-file", f"seeds/ {not_this}"),
        Problem("seeds/linked.yml", 0, 0, "unexpected-file", f"seeds/ {not_this}"),
    ]


@pytest.mark.parametrize(
    ("opening", "closing", "col"),
    [("[", "]", 67), ("{a: ", "}", 4 + 63 * 4)],
    ids=["lists", "mappings"],
)
def test_deep_nesting_is_refused_where_it_passes_the_limit(opening: str, closing: str, col: int) -> None:
    deep = "x: " + opening * 10_000 + "1" + closing * 10_000 + "\n"
    doc, problems = load_yaml_text(deep, "f.yml")
    assert doc is None
    assert [p.as_text() for p in problems] == [
        f"f.yml:1:{col}: error: lists and mappings nested more than {MAX_DEPTH} levels deep [too-deep]"
    ]


def test_nesting_up_to_the_limit_is_accepted() -> None:
    # The top-level mapping is the first level.
    doc, problems = load_yaml_text("x: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n", "f.yml")
    assert problems == [] and doc is not None
