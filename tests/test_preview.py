"""The live preview (`make serve`) rebuilds what an edit changed and only that, and the site it
keeps is, file for file, what a full build of the edited root gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from build_tools.site.preview import Preview
from conftest import TODAY_EPOCH

# Written by every build of a language, whatever changed (MkDocs' theme pages, the merged index).
EVERY_BUILD = {"404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json"}
EVERY_BUILD |= {f"en/{name}" for name in EVERY_BUILD}


@pytest.fixture(autouse=True)
def _same_build_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)  # two builds' sitemaps carry the same date


def _snapshot(site: Path) -> dict[str, tuple[int, bytes]]:
    return {
        path.relative_to(site).as_posix(): (path.stat().st_mtime_ns, path.read_bytes())
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


def _contents(site: Path) -> dict[str, bytes]:
    return {name: content for name, (_, content) in _snapshot(site).items()}


def _full_build(root: Path, site: Path) -> dict[str, bytes]:
    report = Preview(root, site).build()
    assert not report.problems
    return _contents(site)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rebuild_after(root: Path, site: Path, edit: object) -> tuple[set[str], set[str]]:
    """(files written again, files whose content changed) by the build after ``edit``."""
    preview = Preview(root, site)
    assert not preview.build().problems
    before = _snapshot(site)
    assert callable(edit)
    edit()
    assert not preview.build().problems
    after = _snapshot(site)
    rewritten = {name for name in after if name not in before or before[name][0] != after[name][0]}
    changed = {name for name in after if name not in before or before[name][1] != after[name][1]}
    return rewritten, changed


def test_an_edited_summary_rebuilds_the_pages_that_show_it(minimal_root: Path, tmp_path: Path) -> None:
    claim = minimal_root / "claims/bridge-length.yml"
    site = tmp_path / "preview"
    rewritten, changed = _rebuild_after(
        minimal_root,
        site,
        lambda: _edit(claim, "en: The bridge is 1,200 metres long.", "en: The bridge is exactly 1,200 metres long."),
    )
    # The claim's page, the claims index, and the pages that list it (home, FAQ, timeline, corrections).
    shown = {f"en/{page}/index.html" for page in ("claims/bridge-length", "claims", "faq", "timeline", "corrections")}
    assert shown | {"en/index.html"} <= changed
    # Nothing else is rendered again: each file written again has changed, or is written by every build.
    assert rewritten - changed <= EVERY_BUILD
    assert "en/claims/good-news/index.html" not in rewritten
    assert "claims/bridge-length/index.html" not in rewritten  # the French page shows no English summary
    # The search index still holds every page, with the new summary.
    index = json.loads((site / "en/search/search_index.json").read_text(encoding="utf-8"))
    titles = {entry["location"]: entry["title"] for entry in index["docs"]}
    assert titles["claims/bridge-length/"] == "The bridge is exactly 1,200 metres long."
    assert "claims/good-news/" in titles
    assert _contents(site) == _full_build(minimal_root, tmp_path / "full")


def test_a_claim_page_follows_the_claims_it_lists_as_related(minimal_root: Path, tmp_path: Path) -> None:
    # bridge-length lists good-news as related: its page shows good-news's summary.
    claim = minimal_root / "claims/good-news.yml"
    text = claim.read_text(encoding="utf-8")
    english_summary = next(line for line in text.splitlines() if line.startswith("  en:"))
    site = tmp_path / "preview"
    rewritten, changed = _rebuild_after(
        minimal_root, site, lambda: _edit(claim, english_summary, english_summary + " (edited)")
    )
    assert {"en/claims/good-news/index.html", "en/claims/bridge-length/index.html"} <= changed
    assert rewritten - changed <= EVERY_BUILD
    assert _contents(site) == _full_build(minimal_root, tmp_path / "full")


def test_a_template_change_renders_every_claim_page_again(minimal_root: Path, tmp_path: Path) -> None:
    engine = Path(__file__).parent.parent / "build_tools/site/templates/claim.html"
    override = minimal_root / "templates/claim.html"

    def add_override() -> None:
        override.parent.mkdir(exist_ok=True)
        override.write_text(engine.read_text(encoding="utf-8") + "\n<p>Local note.</p>\n", encoding="utf-8")

    site = tmp_path / "preview"
    _, changed = _rebuild_after(minimal_root, site, add_override)
    assert {
        f"{prefix}claims/{claim}/index.html" for prefix in ("", "en/") for claim in ("good-news", "bridge-length")
    } <= changed
    assert _contents(site) == _full_build(minimal_root, tmp_path / "full")


def test_a_deleted_claim_takes_its_pages_with_it(minimal_root: Path, tmp_path: Path) -> None:
    def delete_good_news() -> None:
        (minimal_root / "claims/good-news.yml").unlink()
        _edit(minimal_root / "claims/bridge-length.yml", "related: [good-news]", "related: []")
        _edit(minimal_root / "data/options.yml", "claims: [good-news]", "claims: [bridge-length]")

    site = tmp_path / "preview"
    _rebuild_after(minimal_root, site, delete_good_news)
    assert not (site / "claims/good-news").exists() and not (site / "en/claims/good-news").exists()
    assert _contents(site) == _full_build(minimal_root, tmp_path / "full")


def test_content_errors_leave_the_site_as_it_was(minimal_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "preview"
    preview = Preview(minimal_root, site)
    assert not preview.build().problems
    before = _snapshot(site)
    _edit(minimal_root / "claims/bridge-length.yml", "verdict: mostly-accurate", "verdict: mostly-acurate")
    report = preview.build()
    found = [(p.path, p.line, p.code) for p in report.problems]
    assert ("claims/bridge-length.yml", 14, "unknown-verdict") in found
    assert {path for path, _, _ in found} == {"claims/bridge-length.yml"}
    assert _snapshot(site) == before
    # Fixed, the next build catches up.
    _edit(minimal_root / "claims/bridge-length.yml", "verdict: mostly-acurate", "verdict: mostly-accurate")
    assert not preview.build().problems
    assert _contents(site) == _full_build(minimal_root, tmp_path / "full")


def test_after_a_crash_the_next_build_is_a_full_one(
    minimal_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from build_tools.site import search

    site = tmp_path / "preview"
    preview = Preview(minimal_root, site)
    assert not preview.build().problems
    entries = search.entries

    def crash_on_the_edited_english_page(url: str, title: str, html: str, *rest: Any) -> object:
        if "1,250 m" in title:  # once the English build has taken its new files, before it writes them
            raise RuntimeError("a defect")
        return entries(url, title, html, *rest)

    monkeypatch.setattr(search, "entries", crash_on_the_edited_english_page)
    _edit(minimal_root / "claims/bridge-length.yml", "fr: Le pont mesure 1 200 mètres.", "fr: Le pont mesure 1 250 m.")
    _edit(minimal_root / "claims/bridge-length.yml", "en: The bridge is 1,200 metres long.", "en: It is 1,250 m.")
    with pytest.raises(RuntimeError, match="a defect"):
        preview.build()
    monkeypatch.setattr(search, "entries", entries)
    assert not preview.build().problems
    assert _contents(site) == _full_build(minimal_root, tmp_path / "full")
