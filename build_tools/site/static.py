"""The engine's stylesheets and script, and the verdict colours generated from the scale."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from build_tools.content.dataset import Dataset

ASSETS = Path(__file__).parent / "assets"
ASSETS_DIR = "assets/factcheck"  # where they are served, under each language's root
STATIC_FILES = ("factcheck.css", "factcheck.js")
VERDICT_CSS = "verdicts.css"


def asset_files(dataset: Dataset) -> dict[str, str]:
    """Path under a language's root → content, for every engine file a page loads."""
    files = {f"{ASSETS_DIR}/{name}": (ASSETS / name).read_text(encoding="utf-8") for name in STATIC_FILES}
    files[f"{ASSETS_DIR}/{VERDICT_CSS}"] = verdict_css(dataset)
    return files


def verdict_css(dataset: Dataset) -> str:
    """Colour and icon of each verdict, so that badges carry no inline style or SVG."""
    rules = []
    for verdict in dataset.scale.verdicts:
        selector = f'[data-verdict="{verdict.id}"]'
        rules.append(
            f".fc-badge{selector}, .fc-mark{selector}, .fc-card{selector}, .fc-meter__step{selector} "
            f"{{ --fc-colour: {verdict.colour}; }}"
        )
        svg = icon_svg(verdict.icon)
        if svg:
            data = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
            rules.append(
                f'.fc-badge{selector} .fc-icon {{ -webkit-mask-image: url("{data}"); mask-image: url("{data}"); }}'
            )
    rules += filter_rules("verdict", [verdict.id for verdict in dataset.scale.verdicts])
    rules += filter_rules("topic", list(dataset.topics))
    if len(dataset.seeds) > 1:  # the index filters by article only when there is a choice
        rules += filter_rules("article", list(dataset.seeds))
    return "\n".join(rules) + "\n"


def filter_rules(name: str, values: list[str]) -> list[str]:
    """The claims index's filters without script: the claims a checked choice rules out are hidden.
    Values are ids (lower-case letters, digits and hyphens), safe in a selector."""
    return [
        f'.fc-index:has(input[name="{name}"][value="{value}"]:checked) '
        f'.fc-claim-cards > li:not([data-{name}="{value}"]) {{ display: none; }}'
        for value in values
    ]


@cache
def icon_svg(name: str) -> str:
    """The Material Design icon bundled with mkdocs-material, or nothing if it has no such icon."""
    import material

    path = Path(material.__file__).parent / "templates" / ".icons" / "material" / f"{name}.svg"
    return path.read_text(encoding="utf-8") if path.is_file() else ""
