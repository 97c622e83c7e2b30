"""Safe at the edges: what the hostile catalogue (test_adversarial.py) cannot show with `check` alone.

Strings the theme prints unescaped, the share cache, template confinement, the origins count, and the
behaviours no other test held: each test here fails when its behaviour is broken on purpose.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
import yaml
from jinja2 import TemplateNotFound
from jinja2.exceptions import SecurityError

from build_tools.content.kinds import PAGE_NAMES
from build_tools.content.model import Claim
from build_tools.content.resolve import check_root
from build_tools.site import share
from build_tools.site.page_kinds import ENGINE_PAGE_KINDS
from build_tools.site.pages import render_site
from build_tools.site.templating import make_environment
from conftest import FIXTURES, Run, copy_root

HOSTILE_NAME = 'Démo </title><script>alert("name")</script>'
HOSTILE_DESCRIPTION = 'A site" onmouseover="alert(1)'
HOSTILE_LANGUAGE = '<img src=x onerror="alert(2)">'
HOSTILE_TOGGLE = '"><script>alert("toggle")</script>'


class _Elements(HTMLParser):
    """Every element's tag and attributes, and the text of <title> and <script>, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.scripts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in = tag if tag in ("title", "script") else None
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.scripts[-1] += data


def _parsed(path: Path) -> _Elements:
    parser = _Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_strings_given_to_the_theme_are_escaped(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    site = root / "data/site.yml"
    _replace(
        site, "  site_name: Démo\n", f"  site_name: '{HOSTILE_NAME}'\n  site_description: '{HOSTILE_DESCRIPTION}'\n"
    )
    _replace(site, "  name: English\n", f"  name: '{HOSTILE_LANGUAGE}'\n")
    (root / "data/catalogues").mkdir()
    (root / "data/catalogues/fr.yml").write_text(
        yaml.safe_dump({"palette_dark": HOSTILE_TOGGLE}, allow_unicode=True), encoding="utf-8"
    )
    for intro in (root / "data/pages").glob("home.*.md"):  # the home page is then described by the site's description
        intro.unlink()
    assert cli("build", "--root", root).code == 0, "the hostile strings are text, not errors"
    page = _parsed(root / "site/index.html")
    assert HOSTILE_NAME in page.title  # shown as written, not run
    assert not any("alert" in script for script in page.scripts)
    handlers = [(tag, name) for tag, attrs in page.elements for name in attrs if name.startswith("on")]
    assert handlers == []
    assert ("meta", {"name": "description", "content": HOSTILE_DESCRIPTION}) in page.elements
    assert not any(tag == "img" and attrs.get("src") == "x" for tag, attrs in page.elements)
    assert any(
        attrs.get("title") == HOSTILE_TOGGLE or attrs.get("aria-label") == HOSTILE_TOGGLE for _, attrs in page.elements
    )


def test_a_hand_written_page_s_title_is_escaped_once(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / "docs/about.fr.md").write_text('# Questions & « réponses » "ici"\n\nTexte.\n', encoding="utf-8")
    (root / "docs/about.en.md").write_text('# Questions & "answers"\n\nText.\n', encoding="utf-8")
    assert cli("build", "--root", root).code == 0
    for prefix, title in (("", 'Questions & « réponses » "ici"'), ("en/", 'Questions & "answers"')):
        meta = {
            attrs.get("property"): attrs.get("content")
            for tag, attrs in _parsed(root / f"site/{prefix}about/index.html").elements
            if tag == "meta"
        }
        assert meta["og:title"] == title  # parsed once, it reads as written: neither raw nor "&amp;"


def test_the_share_cache_is_trusted_only_for_files_that_match_their_name(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root, "--no-parallel").code == 0
    cache = root / share.CACHE_DIR
    entries = sorted(cache.iterdir())
    assert entries and all(re.fullmatch(r"[0-9a-f]{64}-[0-9a-f]{64}\.png", path.name) for path in entries)
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"a file of the build machine")
    swapped, linked = entries[0], entries[1]
    swapped.write_bytes(b"not the image its name says")
    linked.unlink()
    linked.symlink_to(secret)
    assert cli("build", "--root", root, "--no-parallel").code == 0
    published = [path.read_bytes() for path in (root / "site").rglob("*.png")]
    assert b"a file of the build machine" not in published
    assert b"not the image its name says" not in published
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in (root / "site").rglob("*.png"))


def test_a_share_image_is_drawn_again_when_only_the_conclusion_changes(
    tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root, "--no-parallel").code == 0
    drawn: list[str] = []
    original = share.draw

    def counting(card: share.Card) -> bytes:
        drawn.append(card.conclusion)
        return original(card)

    monkeypatch.setattr(share, "draw", counting)
    before = (root / "site/en/assets/share/bridge-length.png").read_bytes()
    _replace(root / "claims/bridge-length.yml", "a little less than the 1,200 stated.", "slightly under 1,200.")
    assert cli("build", "--root", root, "--no-parallel").code == 0
    assert drawn == ["According to the register, 1,180 metres: slightly under 1,200."]
    assert (root / "site/en/assets/share/bridge-length.png").read_bytes() != before


def test_templates_cannot_include_a_file_through_a_link(tmp_path: Path) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (tmp_path / "secret.html").write_text("a file of the build machine", encoding="utf-8")
    (root / "templates").mkdir()
    (root / "templates/leak.html").symlink_to(tmp_path / "secret.html")
    (root / "templates/page.html").write_text("{% include 'leak.html' %}", encoding="utf-8")
    env = make_environment(root)
    with pytest.raises(TemplateNotFound):
        env.get_template("page.html").render()


class _Record:
    mro = "a field named like a method of types"


def test_the_sandbox_remembers_a_verdict_for_a_type_and_a_name_not_a_name_alone(tmp_path: Path) -> None:
    env = make_environment(tmp_path)
    template = env.from_string("{{ value.mro }}")
    assert template.render(value=_Record()) == "a field named like a method of types"
    for _ in range(2):  # asked again, the verdict on a type's own ``mro`` is still no
        with pytest.raises(SecurityError):
            template.render(value=_Record)
    appending = env.from_string("{{ value.append(1) }}")
    for _ in range(2):
        with pytest.raises(SecurityError):
            appending.render(value=[])
    assert env.from_string("{{ value.index(2) }}").render(value=[1, 2]) == "1"


def test_an_override_of_the_three_language_fixture_renders_in_the_sandbox(
    tmp_path: Path, cli: Callable[..., Run]
) -> None:
    root = copy_root(FIXTURES / "trilingual", tmp_path / "root")
    assert (root / "templates/footer.html").is_file()
    assert cli("build", "--root", root).code == 0
    for prefix, label in (("", "Sources"), ("uk/", None)):
        footer = [attrs.get("href") for tag, attrs in _parsed(root / f"site/{prefix}index.html").elements if tag == "a"]
        assert "/sources/" in footer or f"/{prefix}sources/" in footer, label


def test_one_publisher_spelled_two_ways_is_one_origin() -> None:
    data = yaml.safe_load((FIXTURES / "minimal/claims/bridge-length.yml").read_text(encoding="utf-8"))
    clean = data["sources"][0]
    for spellings in (
        ["Registre des ouvrages", "\uff32egistre  des\u00a0ouvrages"],
        ["Registre des ouvrages\u00a0", "Registre des ouvrages"],
    ):
        data["sources"] = [dict(clean, publisher=publisher) for publisher in spellings]
        assert Claim.model_validate(data).independent_origins() == ["Registre des ouvrages"], spellings


def test_the_page_names_the_content_reserves_are_the_generated_pages() -> None:
    assert list(ENGINE_PAGE_KINDS) == list(PAGE_NAMES)


def test_a_feed_s_entries_are_in_the_feed_s_language(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root).code == 0
    dataset = check_root(root).dataset
    assert dataset is not None
    for prefix, code in (("", "fr"), ("en/", "en")):
        feed = feedparser.parse((root / f"site/{prefix}opendata/feed.xml").read_bytes())
        assert not feed.bozo
        notes = {claim.history[-1].note[code] for claim in dataset.claims.values()}
        assert {entry.summary for entry in feed.entries} == notes
        summaries = {claim.summary[code] for claim in dataset.claims.values()}
        assert {entry.title.split(" — ", 1)[1] for entry in feed.entries} == summaries


def test_an_event_on_the_article_s_own_day_is_not_since_the_article(tmp_path: Path) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    timeline = root / "data/timeline.yml"
    event = (
        '  - id: {id}\n    date: "{date}"\n    title: {{fr: "{title}", en: "{title}"}}\n'
        "    text: {{fr: Texte., en: Text.}}\n    claims: [bridge-length]\n"
        '    sources: [{{title: T, publisher: P, date: "{date}", url: "https://example.org/{id}", quote: Q, '
        "language: fr, stance: context}}]\n"
    )
    timeline.write_text(
        timeline.read_text(encoding="utf-8")
        + event.format(id="same-day", date="2025-01-10", title="Same day")
        + event.format(id="day-after", date="2025-01-11", title="Day after"),
        encoding="utf-8",
    )
    dataset = check_root(root).dataset
    assert dataset is not None and dataset.seeds["demo"].meta.published == "2025-01-10"
    home = render_site(dataset)["en"].pages["index.md"]
    since = (home.before + home.after).split('id="since-article"', 1)[1]
    assert "Day after" in since and "Same day" not in since


def test_a_percent_encoded_anchor_is_decoded_before_it_is_judged(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    assert cli("build", "--root", root).code == 0
    page = root / "site/en/faq/index.html"
    _replace(page, "</article>", '<h2 id="café">x</h2><a href="#caf%C3%A9">to the café</a></article>')
    assert cli("links", "--root", root, "--offline").code == 0
    _replace(page, 'href="#caf%C3%A9"', 'href="#caf%C3%A9s"')
    run = cli("links", "--root", root, "--offline")
    assert run.code == 1 and "no element with id 'cafés'" in run.err


def test_catalogue_strings_fill_in_names_and_read_nothing_else() -> None:
    """Without check (mkdocs build run by hand), a catalogue string still cannot walk from a value to
    the engine's internals: only plain {name} placeholders are filled."""
    from build_tools.content.catalogue import fill

    assert fill("{n} claim(s), {{literal}}", {"n": "3"}) == "3 claim(s), {literal}"
    assert fill("{n.__class__} {n!r} {n:>9} {other}", {"n": "3"}) == "{n.__class__} {n!r} {n:>9} {other}"


@pytest.mark.parametrize("name", ["about\nok: 99 claim(s).md", "about\x1b[32m.md", "caf\udce9.md"])
def test_a_file_name_that_could_forge_a_report_is_refused(tmp_path: Path, cli: Callable[..., Run], name: str) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / name).write_bytes(b"# Page\n")
    run = cli("check", "--root", root)
    assert run.code == 1
    [line] = [line for line in run.err.splitlines() if "file-name" in line]
    assert line.startswith("docs/about\\n") or line.startswith("docs/about\\x1b") or line.startswith("docs/caf\\udce9")
    assert "\x1b" not in run.err
    assert not any(printed.startswith("ok") for printed in (run.out + run.err).splitlines())  # no forged line


def test_a_forged_image_in_the_share_cache_is_not_published(tmp_path: Path) -> None:
    """An image named after a card's digest and its own bytes, but not the card's size: drawn again."""
    from PIL import Image

    cache = tmp_path / "cache"
    cache.mkdir()
    card = share.Card("A title", "Verdict", "#123456", "A conclusion.", "Site")
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 3000), "red").save(buffer, "PNG")
    forged = buffer.getvalue()
    name = f"{card.digest()}-{hashlib.sha256(forged).hexdigest()}.png"
    (cache / name).write_bytes(forged)
    used = share._images({"card": card}, cache)["card"]
    with Image.open(used) as drawn:
        assert used.name != name and drawn.size == (share.WIDTH, share.HEIGHT)


def test_a_committed_cache_is_refused(tmp_path: Path, cli: Callable[..., Run]) -> None:
    root = copy_root(FIXTURES / "minimal", tmp_path / "root")
    (root / ".cache/share").mkdir(parents=True)
    (root / ".cache/share/forged.png").write_bytes(b"x")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-f", ".cache"], check=True)
    run = cli("check", "--root", root)
    assert run.code == 1
    assert ".cache/share/forged.png:0:0: error: 1 file(s) of the engine's cache are committed" in run.err
