"""How a source is named to readers: by its own headline, or by its publisher when none was recorded."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from conftest import FIXTURES, Run, copy_root


def test_a_source_without_a_headline_is_named_by_its_publisher(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    claim = root / "claims/bridge-length.yml"
    claim.write_text(
        claim.read_text(encoding="utf-8").replace("- title: Fiche du pont", "- title: null"), encoding="utf-8"
    )
    assert cli("build", "--root", root).code == 0
    link = re.compile(r'<cite><a href="https://example\.org/bridge"[^>]*>([^<]*)</a></cite>')
    for prefix, words in (
        ("", "Registre des ouvrages (titre non relevé)"),
        ("en/", "Registre des ouvrages (headline not recorded)"),
    ):
        for page in ("claims/bridge-length", "sources"):
            html = (root / "site" / prefix / page / "index.html").read_text(encoding="utf-8")
            assert link.findall(html) == [words], (prefix, page)
