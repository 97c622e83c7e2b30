"""Read YAML and text files strictly, keeping the line and column of every key and value.

The document is built from libyaml's event stream rather than PyYAML's constructor so that
duplicate keys, anchors, aliases and tags are refused (the constructor silently accepts or
executes them) and so that scalars stay strings: a date is validated later, not converted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from build_tools.content.confine import OutsideRoot, inside
from build_tools.content.kinds import CLAIMS_DIR, DATA_FILES, REQUIRED_DATA, SEEDS_DIR
from build_tools.problems import Problem

MAX_FILE_BYTES = 1024 * 1024
# Records nest four levels deep; a value nested deeper than this is refused before the recursive
# builder (or any later stage that walks the value) can exhaust Python's stack.
MAX_DEPTH = 64

Loc = tuple[str | int, ...]

_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
# A plain scalar can only be null, a boolean or a number if it starts with one of these.
_MAYBE_NOT_TEXT = frozenset("~nNtTfF0123456789+-.")
# The one rule for text: no C0 control but tab and line ends, no DEL or C1 control, no bidirectional
# embedding, override or isolate (they reorder what a reader sees), no lone surrogate. Checked on a
# file's whole text, and on each double-quoted scalar, where YAML escapes ("\0", "\e") can make them.
REFUSED_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def refused_character_message(character: str) -> str:
    name = unicodedata.name(character, "a control character")
    return f"the character U+{ord(character):04X} ({name}) is not allowed in text; remove it"


_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$")


@dataclass
class Document:
    """A loaded YAML mapping, and where each of its parts stands in the file.

    Positions are worked out on first use, by parsing the text again: most files have no problem,
    and recording a position for every value of every file would double the loading time.
    """

    path: str
    data: dict[str, Any]
    text: str = ""
    _marks: _Marks | None = field(default=None, repr=False)

    def _positions(self) -> _Marks:
        if self._marks is None:
            marks = _Marks()
            _parse(self.text, marks)
            self._marks = marks
        return self._marks

    def mark(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        """The position of ``loc``, or of its nearest ancestor that has one."""
        marks = self._positions()
        table = marks.keys if key else marks.values
        while loc:
            if loc in table:
                return table[loc]
            loc = loc[:-1]
        return marks.values[()]  # a Document holds a mapping, so its root always has a position

    def problem(self, loc: Loc, code: str, message: str, *, key: bool = False) -> Problem:
        line, col = self.mark(loc, key=key)
        return Problem(self.path, line, col, code, message)


@dataclass
class _Marks:
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)


class _Refused(Exception):
    def __init__(self, line: int, col: int, code: str, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.code, self.message = line, col, code, message


def read_text(root: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Read the UTF-8 text file ``rel`` of ``root``, refusing links out of the root, oversized
    files, byte-order marks and bad bytes."""
    try:
        path = inside(root, rel)
    except OutsideRoot as refused:
        return None, [refused.problem]
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(rel, 1, 1, "file-too-large", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (1 MiB)")
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, 0, 0, "unreadable", f"cannot read file: {exc.strerror}")]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [Problem(rel, 1, 1, "bom", "file starts with a byte-order mark; save it as UTF-8 without BOM")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                rel, line, col, "encoding", f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"
            )
        ]
    if (found := REFUSED_CHARACTERS.search(text)) is not None:
        line, col = _offset_position(text, found.start())
        return None, [Problem(rel, line, col, "control-character", refused_character_message(found.group()))]
    return text, []


def load_yaml_file(root: Path, rel: str) -> tuple[Document | None, list[Problem]]:
    text, problems = read_text(root, rel)
    if text is None:
        return None, problems
    return load_yaml_text(text, rel)


def load_yaml_text(text: str, rel: str) -> tuple[Document | None, list[Problem]]:
    try:
        try:
            data = _parse(text, None)
        except _Refused:
            data = _parse(text, _Marks())  # again with positions, for the exact message
    except _Empty:
        return None, [Problem(rel, 1, 1, "empty-file", "file is empty; expected a YAML mapping")]
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(rel, text, exc)]
    except yaml.reader.ReaderError as exc:
        line, col = _offset_position(text, _character_offset(text, exc.position))
        return None, [
            Problem(
                rel,
                line,
                col,
                "control-character",
                f"control character U+{exc.character:04X} is not allowed in YAML; remove it",
            )
        ]
    except _Refused as exc:
        return None, [Problem(rel, exc.line, exc.col, exc.code, exc.message)]
    if not isinstance(data, dict):
        return None, [
            Problem(
                rel,
                1,
                1,
                "not-a-mapping",
                f"the top level must be a mapping of field names to values, not {describe(data)}",
            )
        ]
    return Document(rel, data, text), []


class _Empty(Exception):
    pass


def _parse(text: str, marks: _Marks | None) -> Any:
    events = yaml.parse(text, Loader=_LOADER)
    next(events)  # StreamStart
    if isinstance(next(events), yaml.StreamEndEvent):  # only blanks, comments or a BOM
        raise _Empty
    first = next(events)
    if isinstance(first, yaml.ScalarEvent) and first.value == "" and not first.style and first.tag is None:
        raise _Empty  # an explicit empty document ('---' alone)
    data = _build(events, first, (), marks)
    closing = next(events)
    if not isinstance(closing, yaml.DocumentEndEvent) or not isinstance(next(events), yaml.StreamEndEvent):
        line, col = _position(closing)
        raise _Refused(line, col, "multiple-documents", "only one YAML document per file ('---' starts another)")
    return data


def _character_offset(text: str, position: int) -> int:
    """libyaml gives a reader error's position in bytes of UTF-8; PyYAML's own reader in characters."""
    if _LOADER is yaml.SafeLoader:
        return position
    return len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _position(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _refuse_extras(event: Any) -> None:
    line, col = _position(event)
    if isinstance(event, yaml.AliasEvent):
        raise _Refused(line, col, "alias", f"aliases (*{event.anchor}) are not allowed; write the value out")
    if event.anchor is not None:
        raise _Refused(line, col, "anchor", f"anchors (&{event.anchor}) are not allowed; write the value out")
    if event.tag is not None and event.tag != "!":
        raise _Refused(line, col, "tag", f"tags such as '{event.tag}' are not allowed")


def _suspicious(event: Any) -> bool:
    # One cheap test on the hot path; _refuse_extras explains what is wrong.
    return type(event) is _ALIAS or event.anchor is not None or (event.tag is not None and event.tag != "!")


_ALIAS, _SCALAR, _SEQUENCE, _SEQUENCE_END, _MAPPING_END = (
    yaml.AliasEvent,
    yaml.ScalarEvent,
    yaml.SequenceStartEvent,
    yaml.SequenceEndEvent,
    yaml.MappingEndEvent,
)


def _build(events: Iterator[Any], event: Any, loc: Loc, marks: _Marks | None, depth: int = 1) -> Any:
    if _suspicious(event):
        _refuse_extras(event)
    if marks is not None:
        marks.values[loc] = _position(event)
    kind = type(event)
    if kind is _SCALAR:
        if event.style == '"' and (refused := REFUSED_CHARACTERS.search(event.value)):
            line, col = _position(event)
            raise _Refused(line, col, "control-character", refused_character_message(refused.group()))
        return _resolve_scalar(event)
    if depth > MAX_DEPTH:
        line, col = _position(event)
        raise _Refused(line, col, "too-deep", f"lists and mappings nested more than {MAX_DEPTH} levels deep")
    if kind is _SEQUENCE:
        items: list[Any] = []
        while type(item := next(events)) is not _SEQUENCE_END:
            items.append(_build(events, item, (*loc, len(items)) if marks is not None else loc, marks, depth + 1))
        return items
    mapping: dict[str, Any] = {}
    while type(key_event := next(events)) is not _MAPPING_END:
        if type(key_event) is not _SCALAR or _suspicious(key_event):
            _refuse_extras(key_event)
            line, col = _position(key_event)
            raise _Refused(line, col, "key-type", "keys must be plain field names, not lists or mappings")
        key: str = key_event.value
        key_loc = (*loc, key) if marks is not None else loc
        if key in mapping:
            line, col = _position(key_event)
            first = f" (first defined on line {marks.keys[key_loc][0]})" if marks is not None else ""
            raise _Refused(line, col, "duplicate-key", f"duplicate key '{key}'{first}")
        if marks is not None:
            marks.keys[key_loc] = _position(key_event)
        mapping[key] = _build(events, next(events), key_loc, marks, depth + 1)
    return mapping


def _resolve_scalar(event: Any) -> Any:
    value: str = event.value
    # Tags other than '!' are refused, so a scalar is quoted exactly when it has a style: quoted text stays
    # text, and an empty plain value is null.
    if event.style or not value or value[0] not in _MAYBE_NOT_TEXT:
        return value if value or event.style else None
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def describe(value: Any) -> str:
    """What a loaded value is, in words for a message: 'a list', 'text', 'empty (null)'…"""
    return {
        list: "a list",
        dict: "a mapping",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        type(None): "empty (null)",
    }.get(type(value), type(value).__name__)


def syntax_problem(rel: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    detail = f": {exc.problem}" if exc.problem else ""
    lines = text.splitlines()
    if "\t" in (lines[line - 1][:col] if line <= len(lines) else ""):
        return Problem(rel, line, col, "yaml-tab", "tab character in indentation; YAML needs spaces")
    context = f" ({exc.context})" if exc.context else ""
    return Problem(rel, line, col, "yaml-syntax", f"invalid YAML{detail}{context}")


@dataclass
class Discovered:
    """The record files of a content root, as paths relative to it, in a stable order."""

    claims: list[str]
    seeds: list[str]
    data: dict[str, str]
    problems: list[Problem]


def discover(root: Path) -> Discovered:
    problems: list[Problem] = []
    claims = _yaml_files(root, CLAIMS_DIR, problems)
    seeds = _yaml_files(root, SEEDS_DIR, problems, also_allowed=(".txt",))
    data = {kind: rel for kind, rel in DATA_FILES.items() if (root / rel).is_file()}
    problems += [
        Problem(DATA_FILES[kind], 0, 0, "missing-file", f"{DATA_FILES[kind]} is required and does not exist")
        for kind in REQUIRED_DATA
        if kind not in data
    ]
    return Discovered(claims, seeds, data, problems)


def _yaml_files(root: Path, folder: str, problems: list[Problem], also_allowed: tuple[str, ...] = ()) -> list[str]:
    """The .yml files of ``folder``; any other entry but hidden ones and ``also_allowed`` files is a problem."""
    directory = root / folder
    if not directory.is_dir():
        return []
    found: list[str] = []
    for path in sorted(directory.iterdir()):
        rel = f"{folder}/{path.name}"
        if path.name.startswith(".") or path.suffix in also_allowed:
            continue
        if path.is_symlink() or not path.is_file():
            problems.append(Problem(rel, 0, 0, "unexpected-file", f"{folder}/ holds only .yml files, not this"))
        elif path.suffix == ".yml":
            found.append(rel)
        else:
            problems.append(
                Problem(
                    rel, 0, 0, "unexpected-file", f"{folder}/ holds only .yml files; rename it or move it elsewhere"
                )
            )
    return found
