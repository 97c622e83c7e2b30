"""``mkdocs.yml`` read the way ``check`` reads content: as data, located, before MkDocs ever runs it.

MkDocs loads its configuration with a YAML loader that builds Python objects from tags and runs
``hooks:`` files while validating, so a pull request that edits ``mkdocs.yml`` could run code on
the build machine. Here the file is composed into nodes (no object is ever built) and refused if
it holds a tag other than MkDocs' own ``!ENV`` and ``!relative``, or a path (``docs_dir``,
``site_dir``, ``INHERIT``, ``theme.custom_dir``, ``hooks``) that leaves the content root. What is
left is given to MkDocs' own validation, hooks removed, and its errors come back located.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import yaml

from build_tools.content.confine import CONTENT_FOLDERS, PRIVATE_FOLDERS, OutsideRoot, inside, tree_problems
from build_tools.content.load import REFUSED_CHARACTERS, read_text, refused_character_message, syntax_problem
from build_tools.problems import Problem

CONFIG_FILE = "mkdocs.yml"
_STANDARD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_STANDARD}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}
_ALLOWED_TAGS |= {"!ENV", "!relative"}  # MkDocs' own: an environment variable, a path relative to a file
_MAX_INHERIT = 8  # INHERIT chains deeper than this are refused (and a chain that loops)
# Where MkDocs writes: a site folder over content would be emptied by ``mkdocs build``.
_OUTPUT_KEYS = ("site_dir",)


def config_problems(root: Path, memo: dict[str, list[Problem]] | None = None) -> list[Problem]:
    """Every problem of the root's MkDocs configuration (none if it has none: ``build`` says so).
    ``memo`` keeps MkDocs' verdict by the file's text, for a preview that checks after every edit."""
    if not os.path.lexists(root / CONFIG_FILE):
        return []
    problems, text = _read_chain(root, CONFIG_FILE, [])
    if any(problem.severity == "error" for problem in problems):
        return problems
    if memo is None or text not in memo:
        verdict = _mkdocs_problems(root)
        if memo is None:
            return problems + verdict
        memo[text] = verdict
    return problems + memo[text]


def _read_chain(root: Path, rel: str, seen: list[str], main: Path | None = None) -> tuple[list[Problem], str]:
    """The problems of ``rel`` and of the files it inherits from, and the texts read. MkDocs merges
    an inherited file's settings into the main file's and resolves their paths from the main file's
    folder (``main``), whichever file wrote them; only INHERIT is read from its own file's folder."""
    text, problems = read_text(root, rel)
    if text is None:
        return problems, ""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        return [syntax_problem(rel, text, exc)], text
    except RecursionError:  # lists or mappings nested thousands of levels deep
        return [Problem(rel, 1, 1, "too-deep", "lists and mappings are nested too deep")], text
    except yaml.YAMLError as exc:
        return [Problem(rel, 1, 1, "yaml-syntax", f"invalid YAML: {' '.join(str(exc).split())}")], text
    if not isinstance(node, yaml.MappingNode):
        return [Problem(rel, 1, 1, "bad-config", "an MkDocs configuration is a mapping of settings")], text
    problems = [
        _at(rel, bad, "tag", f"the tag '{bad.tag}' is not allowed here; MkDocs' own !ENV and !relative are")
        for bad in _nodes(node)
        if bad.tag not in _ALLOWED_TAGS
    ]
    problems += [  # the one rule for text holds here too ("\0" and "\e" escapes included)
        _at(rel, scalar, "control-character", refused_character_message(found.group()))
        for scalar in _nodes(node)
        if isinstance(scalar, yaml.ScalarNode) and (found := REFUSED_CHARACTERS.search(scalar.value))
    ]
    if problems:
        return problems, text
    settings = dict(_pairs(node))
    here = (root / rel).parent
    base = main or here
    for key in ("docs_dir", *_OUTPUT_KEYS):
        if key in settings:
            problems += _path_problems(root, rel, base, settings[key], key, output=key in _OUTPUT_KEYS)
    theme = settings.get("theme")
    if isinstance(theme, yaml.MappingNode) and "custom_dir" in (theme_settings := dict(_pairs(theme))):
        custom = theme_settings["custom_dir"]
        problems += _path_problems(root, rel, base, custom, "theme.custom_dir")
        problems.append(
            _at(
                rel,
                custom,
                "config-code",
                "theme.custom_dir holds templates MkDocs renders without a sandbox: they are code, "
                "owned by the maintainers (SECURITY.md)",
                severity="warning",
            )
        )
    hooks = settings.get("hooks")
    if hooks is not None:
        for hook in hooks.value if isinstance(hooks, yaml.SequenceNode) else [hooks]:
            problems += _path_problems(root, rel, base, hook, "hooks")
            problems.append(
                _at(
                    rel,
                    hook,
                    "config-code",
                    "a hook is Python run by every build: code, owned by the maintainers (SECURITY.md)",
                    severity="warning",
                )
            )
    templates = settings.get("extra_templates")
    if isinstance(templates, yaml.SequenceNode) and templates.value:
        problems.append(
            _at(
                rel,
                templates,
                "config-code",
                "extra_templates are rendered by MkDocs without a sandbox: code the maintainers own (SECURITY.md)",
                severity="warning",
            )
        )
    parent = settings.get("INHERIT")
    if parent is not None:
        problems += _path_problems(root, rel, here, parent, "INHERIT")
        if not any(problem.severity == "error" for problem in problems):
            inherited = _relative(root, here, parent.value)
            if inherited in seen or len(seen) >= _MAX_INHERIT:
                problems.append(_at(rel, parent, "bad-config", "INHERIT loops back, or goes too deep"))
            else:
                parent_problems, parent_text = _read_chain(root, inherited, [*seen, rel], base)
                problems += parent_problems
                text += "\0" + parent_text
    return problems, text


def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    """Every node once, aliases included once (a document of aliases of aliases stays small to walk)."""
    seen: set[int] = set()
    pending = [node]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, yaml.SequenceNode):
            pending += current.value
        elif isinstance(current, yaml.MappingNode):
            pending += [part for pair in current.value for part in pair]


def _pairs(node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node]]:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            yield key.value, value


def _path_problems(
    root: Path, rel: str, base: Path, node: yaml.Node, key: str, *, output: bool = False
) -> list[Problem]:
    if not isinstance(node, yaml.ScalarNode) or node.tag != f"{_STANDARD}str" or not node.value:
        return [_at(rel, node, "bad-config", f"{key} must be a plain path inside the content root")]
    home = root.resolve()
    try:
        target = (base / node.value).resolve()
    except (OSError, RuntimeError) as exc:  # a name too long, a loop of links
        reason = exc.strerror if isinstance(exc, OSError) else exc
        return [_at(rel, node, "bad-config", f"{key} cannot be resolved: {reason}")]
    if not target.is_relative_to(home):
        return [_at(rel, node, "outside-root", f"{key} leads outside the content root")]
    inner = target.relative_to(home).as_posix()
    if output:
        if target == home or any(target.is_relative_to(home / name) for name in CONTENT_FOLDERS + PRIVATE_FOLDERS):
            return [_at(rel, node, "bad-config", f"{key} would put the built site over content")]
        return []
    if any(target.is_relative_to(home / name) for name in PRIVATE_FOLDERS):
        return [_at(rel, node, "outside-root", f"{key} leads into a folder that is not content")]
    if key == "INHERIT":
        try:
            inside(home, inner)
        except OutsideRoot as refused:
            return [_at(rel, node, refused.problem.code, f"{key}: {refused.problem.message}")]
        return []
    try:
        is_folder = target.is_dir()
    except OSError as exc:  # a name too long for the file system
        return [_at(rel, node, "bad-config", f"{key} cannot be read: {exc.strerror}")]
    if is_folder and inner not in CONTENT_FOLDERS:  # content folders are walked by every check
        return tree_problems(home, (inner,))
    return []


def _relative(root: Path, base: Path, value: str) -> str:
    return (base / value).resolve().relative_to(root.resolve()).as_posix()


def _at(rel: str, node: yaml.Node, code: str, message: str, severity: str = "error") -> Problem:
    mark = node.start_mark
    return Problem(rel, mark.line + 1, mark.column + 1, code, message, "warning" if severity == "warning" else "error")


def _mkdocs_problems(root: Path) -> list[Problem]:
    """MkDocs' own validation of the configuration, hooks left out (validating them imports them)."""
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils.yaml import yaml_load

    path = root.resolve() / CONFIG_FILE
    text = path.read_text(encoding="utf-8")
    try:
        with path.open("rb") as handle:  # a file, not its text: MkDocs follows INHERIT only from a file
            loaded = yaml_load(handle)  # no tag but MkDocs' own is left: this runs nothing
    except Exception as exc:  # MkDocs raises its own and yaml's errors alike
        return [Problem(CONFIG_FILE, 1, 1, "bad-config", f"MkDocs cannot read it: {' '.join(str(exc).split())}")]
    if not isinstance(loaded, dict):
        return [Problem(CONFIG_FILE, 1, 1, "bad-config", "an MkDocs configuration is a mapping of settings")]
    loaded.pop("hooks", None)
    config = MkDocsConfig(config_file_path=str(path))
    config.load_dict(loaded)
    try:
        errors, warnings = config.validate()
    except Exception as exc:  # a plugin's own validation may raise anything
        return [Problem(CONFIG_FILE, 1, 1, "bad-config", f"MkDocs refused it: {' '.join(str(exc).split())}")]
    lines = _key_lines(text)
    strict = bool(loaded.get("strict"))
    found = [_mkdocs_problem(lines, key, error, "error") for key, error in errors]
    found += [_mkdocs_problem(lines, key, warning, "error" if strict else "warning") for key, warning in warnings]
    return found


def _key_lines(text: str) -> dict[str, int]:
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}


def _mkdocs_problem(lines: dict[str, int], key: str, error: Exception | str, severity: str) -> Problem:
    top = key.split(".")[0]
    message = " ".join(str(error).split())
    return Problem(
        CONFIG_FILE,
        lines.get(top, 1),
        1,
        "mkdocs-config",
        f"{key}: {message}" if key else message,
        "warning" if severity == "warning" else "error",
    )
