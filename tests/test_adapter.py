"""The contract between ``build_tools/site/adapter.py`` and the pinned MkDocs and Material.

Each test states one behaviour the adapter relies on. When a dependency is upgraded and one fails,
the adapter (and only the adapter) is what needs changing.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import material
import pytest
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import normalize_url

from build_tools.content.model import SiteLanguage
from build_tools.site import adapter
from build_tools.site.pages import GeneratedPage
from conftest import REPO

MATERIAL_TEMPLATES = Path(material.__file__).parent / "templates"


def _pinned(name: str) -> str:
    for line in (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines():
        if line.lower().startswith(f"{name.lower()}=="):
            return line.split("==")[1].split()[0]
    raise AssertionError(f"{name} is not pinned")


def test_the_contract_is_for_the_pinned_versions() -> None:
    for name in ("mkdocs", "mkdocs-material"):
        assert version(name) == _pinned(name), f"{name} changed: re-read this file's tests and the adapter"


def _config(tmp_path: Path) -> MkDocsConfig:
    config = MkDocsConfig()
    config.load_dict({"site_name": "x", "docs_dir": str(tmp_path / "docs"), "site_dir": str(tmp_path / "site")})
    (tmp_path / "docs").mkdir()
    errors, warnings = config.validate()
    assert errors == [] and warnings == []
    # Virtual files record the plugin that made them; outside a build, no plugin is running.
    config.plugins.run_event("startup", command="build", dirty=False)
    return config


def test_virtual_pages_carry_their_content_and_inclusion(tmp_path: Path) -> None:
    config = _config(tmp_path)
    (tmp_path / "docs/index.fr.md").write_text("# Accueil\n", encoding="utf-8")
    (tmp_path / "docs/index.en.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "docs/logo.png").write_bytes(b"png")
    docs = Files(
        [
            File(name, str(tmp_path / "docs"), str(tmp_path / "site"), True)
            for name in ("index.fr.md", "index.en.md", "logo.png")
        ]
    )
    claim = GeneratedPage("claims/a.md", "A", "<h1>A</h1>", "", claim_id="a")
    files = adapter.language_files(docs, config, "en", ["fr", "en"], {"claims/a.md": claim}, {"opendata/x.csv": "a,b"})
    by_uri = {file.src_uri: file for file in files}
    assert sorted(by_uri) == ["claims/a.md", "index.md", "logo.png", "opendata/x.csv"]
    assert by_uri["index.md"].content_string == "# Home\n"
    assert by_uri["index.md"].url == "./"
    assert by_uri["claims/a.md"].is_documentation_page()
    assert by_uri["claims/a.md"].inclusion is InclusionLevel.NOT_IN_NAV
    assert by_uri["claims/a.md"].url == "claims/a/"
    assert by_uri["opendata/x.csv"].content_string == "a,b"


def test_generated_html_bypasses_markdown_and_fills_the_toc(tmp_path: Path) -> None:
    config = _config(tmp_path)
    generated = GeneratedPage(
        "faq/index.md",
        "Q & <A>",
        "<h1>Q</h1>",
        '<h2 id="one">One<a class="headerlink" href="#one">¶</a></h2><p id="note">n</p>',
        intro="## Intro\n\nText.\n",
        searchable=False,
        toc=((2, "one", "One"),),
    )
    file = File.generated(config, "faq/index.md", content=generated.intro)
    page = Page(None, file, config)
    page.read_source(config)
    adapter.prepare_generated_page(page, generated)
    assert page.title == "Q &amp; &lt;A&gt;"  # Material prints titles as they are: escaped here
    assert page.meta["search"] == {"exclude": True}
    page.render(config, Files([file]))
    html = adapter.finish_generated_page(page, generated, page.content or "")
    assert html.startswith('<h1>Q</h1><h2 id="intro">Intro</h2>')
    assert [(link.id, link.title, link.level) for link in page.toc] == [("intro", "Intro", 2), ("one", "One", 2)]
    # Links may point at any element's id, not only at the headings': MkDocs validates them against these.
    assert page.present_anchor_ids == {"intro", "one", "note"}


def test_the_theme_keeps_absolute_switcher_links(tmp_path: Path) -> None:
    """Material passes each alternate link through MkDocs' ``url`` filter, which keeps absolute
    addresses and paths; it prints them in the head too, where search engines want them absolute."""
    template = (MATERIAL_TEMPLATES / "partials/alternate.html").read_text(encoding="utf-8")
    assert re.search(r'href="\{\{ alt\.link \| url \}\}" hreflang="\{\{ alt\.lang \}\}"', template)
    base = (MATERIAL_TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate" href="\{\{ alt\.link \| url \}\}" hreflang=', base)
    languages = [
        SiteLanguage(code="fr", name="Français", site_name="S"),
        SiteLanguage(code="en", name="English", site_name="S"),
    ]
    links = adapter.alternates("claims/a/", languages, "https://example.org/site/")
    assert [entry["link"] for entry in links] == [
        "https://example.org/site/claims/a/",
        "https://example.org/site/en/claims/a/",
    ]
    assert [entry["link"] for entry in adapter.alternates("claims/a/", languages, None)] == [
        "/claims/a/",
        "/en/claims/a/",
    ]
    config = _config(tmp_path)
    page = Page(None, File.generated(config, "claims/a.md", content=""), config)
    assert normalize_url("/site/en/claims/a/", page) == "/site/en/claims/a/"
    assert normalize_url("https://example.org/site/en/claims/a/", page) == "https://example.org/site/en/claims/a/"


def test_material_knows_the_languages_of_the_fixtures() -> None:
    for code in ("fr", "en", "uk"):
        assert (MATERIAL_TEMPLATES / f"partials/languages/{code}.html").is_file()


def test_pages_without_markdown_are_never_converted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs keeps the page a plugin gives a file (``File.page``) and calls its ``render``: a claim
    page, which has no Markdown of its own, is built without a Markdown converter."""
    import markdown  # type: ignore[import-untyped]  # no stubs are pinned for Python-Markdown

    from build_tools.content.resolve import check_root
    from build_tools.site.build import build_site
    from conftest import FIXTURES, copy_root

    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    dataset = check_root(root).dataset
    assert dataset is not None
    converted: list[str] = []
    original = markdown.Markdown.convert

    def convert(self: object, source: str) -> str:
        converted.append(source)
        return str(original(self, source))

    monkeypatch.setattr(markdown.Markdown, "convert", convert)
    build_site(dataset, tmp_path / "site", parallel=False)
    claim_pages = 2 * len(dataset.claims)  # two languages
    pages = sum(1 for _ in (tmp_path / "site").rglob("index.html"))
    assert converted and len(converted) == pages - claim_pages
    assert (tmp_path / "site/claims/bridge-length/index.html").read_text(encoding="utf-8").count("fc-card") >= 1


def test_a_dirty_build_leaves_unchanged_generated_files_alone(tmp_path: Path) -> None:
    """``File.is_modified`` decides what a dirty build renders and writes; the adapter's unchanged
    generated files answer no."""
    config = _config(tmp_path)
    page = GeneratedPage("claims/a.md", "A", "", "<p>a</p>", claim_id="a")
    files = adapter.language_files(Files([]), config, "fr", ["fr"], {"claims/a.md": page}, {"x.json": "{}"}, None)
    assert all(file.is_modified() for file in files)
    files = adapter.language_files(
        Files([]), config, "fr", ["fr"], {"claims/a.md": page}, {"x.json": "{}"}, None, ["claims/a.md", "x.json"]
    )
    assert not any(file.is_modified() for file in files)
    assert adapter.page_url(files.get_file_from_path("claims/a.md")) == "claims/a/"  # type: ignore[arg-type]


def test_head_tags_go_before_the_head_s_own_end_only() -> None:
    # A script may hold the string "</head>": only the first one, the theme's, closes the head.
    page = "<html><head><title>t</title></head><body><script>var s = '</head>';</script></body></html>"
    assert adapter.add_to_head(page, "<meta>") == (
        "<html><head><title>t</title><meta>\n</head><body><script>var s = '</head>';</script></body></html>"
    )


def test_each_language_gets_its_own_settings(tmp_path: Path) -> None:
    config = MkDocsConfig()
    config.load_dict(
        {
            "site_name": "x",
            "docs_dir": str(tmp_path / "docs"),
            "site_dir": str(tmp_path / "site"),
            "site_url": "https://example.org/",
            "theme": {
                "name": "material",
                "palette": [
                    {"scheme": "default", "toggle": {"icon": "material/brightness-4"}},
                    {"scheme": "slate", "toggle": {"icon": "material/brightness-7"}},
                ],
            },
        }
    )
    (tmp_path / "docs").mkdir()
    assert config.validate() == ([], [])
    french = SiteLanguage(code="fr", name="Français", site_name="Démo", site_description="Un site")
    english = SiteLanguage(code="en", name="English", site_name="Demo", site_description="A site")
    nav = [{"Home": "index.md"}, {"Claims": "claims/index.md"}]
    toggles = {"slate": "Dark", "default": "Light"}
    adapter.configure_language(config, adapter.BaseSettings.of(config), english, [french, english], nav, toggles)
    assert (Path(config.site_dir), config.site_url) == (tmp_path / "site" / "en", "https://example.org/en/")
    assert (config.site_name, config.site_description, config.theme["language"]) == ("Demo", "A site", "en")
    # Each toggle is named for the scheme it switches to.
    assert [palette["toggle"]["name"] for palette in config.theme["palette"]] == ["Dark", "Light"]
    assert config.nav is not None and config.nav[0] == {"Home": "index.md"}
    # One palette, without toggles, may be given as a mapping rather than a list.
    config.theme["palette"] = {"scheme": "slate", "primary": "indigo"}
    adapter.configure_language(config, adapter.BaseSettings.of(config), french, [french, english], nav, toggles)
    assert config.theme["palette"] == {"scheme": "slate", "primary": "indigo"}
    adapter.set_footer(config, "<p>Footer</p>")
    assert (config.copyright, config.extra["generator"]) == ("<p>Footer</p>", False)


@pytest.mark.parametrize(
    ("repo_url", "issues"),
    [
        ("https://example.org/o/r", "https://example.org/o/r/issues"),
        ("https://example.org/o/r/", "https://example.org/o/r/issues"),
        ("https://example.org/o/rX", "https://example.org/o/rX/issues"),
        (None, None),
        ("", None),
    ],
)
def test_errors_are_reported_on_the_repository_s_tracker(repo_url: str | None, issues: str | None) -> None:
    assert adapter.issues_url(repo_url) == issues
