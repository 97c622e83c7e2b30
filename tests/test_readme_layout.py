"""The README's map of the package ("How it works") names every module the package has, and only those."""

from __future__ import annotations

import re

from conftest import REPO


def test_the_readme_names_every_module_of_the_package() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    tree = readme[
        readme.index("```text\nbuild_tools/") : readme.index("```", readme.index("```text\nbuild_tools/") + 7)
    ]
    named: set[str] = set()
    folder = ""
    for line in tree.splitlines()[2:]:
        if match := re.match(r"^  ([a-z]+)/", line):
            folder = match.group(1)
        named.update(f"{folder}/{name}" for name in re.findall(r"\b([a-z_]+\.py)\b", line))
    package = REPO / "build_tools"
    modules = {
        path.relative_to(package).as_posix()
        for path in package.glob("*/*.py")
        if path.name != "__init__.py" and path.parent.name in ("content", "site")
    }
    assert sorted(modules - named) == [], "modules the README does not name"
    assert sorted(name for name in named - modules if name.split("/")[0] in ("content", "site")) == []
