"""Render the resolved records into Markdown pages for MkDocs, in both languages.

Headings are fixed strings in Markdown (so they reach the table of contents); everything that
comes from YAML is HTML built by ``fragments``, already escaped. That HTML does not go through
Python-Markdown, which would re-parse it at great cost: the page holds a slot marker in its place,
and the plugin puts the fragment back into the converted page. Each page's cost is proportional to
what it lists: a claim page never lists all claims.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from build_tools.site.export import export_json
from build_tools.site.fragments import (
    badge,
    claim_href,
    claim_link,
    claim_list,
    esc,
    esc_md,
    external_link,
    icon_svg,
    md,
    source_item,
    source_list,
    time_tag,
)
from build_tools.content.model import LANGUAGES, Claim, Language, Source, Verdict
from build_tools.site.opendata import atom_feed, claims_csv
from build_tools.content.resolve import Dataset
from build_tools.site.strings import colon, t

# The folders under docs/ that the generator owns: regenerated on every build, never edited by hand.
PAGE_DIRS = ("claims", "article", "faq", "timeline", "options", "sources", "methodology", "corrections")
OPEN_DATA_DIR = "opendata"
ASSETS_DIR = "assets/factcheck"
GENERATED_DIRS = (*PAGE_DIRS, OPEN_DATA_DIR, ASSETS_DIR)
ASSET_FILES = ("factcheck.css", "factcheck.js")
VERDICT_CSS = "verdicts.css"
STYLESHEETS = ("factcheck.css", VERDICT_CSS)
SLOT = re.compile(r"<p>@@fc-slot-(\d+)@@</p>")


@dataclass(frozen=True)
class RenderOptions:
    edit_url: str | None = None  # e.g. "https://github.com/org/repo/edit/main/{path}"
    site_name: str = ""


@dataclass(frozen=True)
class Page:
    markdown: str
    fragments: tuple[str, ...]


class Prose(str):
    """Hand-written Markdown: converted by MkDocs like any page, never put in a slot."""


@dataclass
class Rendered:
    files: dict[str, str]  # path under docs/ → content
    fragments: dict[str, tuple[str, ...]]  # page path under docs/ → the HTML for its slots


def render_pages(dataset: Dataset, options: RenderOptions = RenderOptions()) -> Rendered:
    """Every generated page and open-data file in both languages."""
    out = Rendered(
        {
            f"{OPEN_DATA_DIR}/claims.json": export_json(dataset, pretty=False),
            f"{OPEN_DATA_DIR}/claims.csv": claims_csv(dataset),
            f"{ASSETS_DIR}/{VERDICT_CSS}": verdict_css(dataset),
        },
        {},
    )
    for name in ASSET_FILES:
        out.files[f"{ASSETS_DIR}/{name}"] = (Path(__file__).parent / "assets" / name).read_text(encoding="utf-8")

    def add(path: str, page: Page) -> None:
        out.files[path], out.fragments[path] = page.markdown, page.fragments

    renderer = _Renderer(dataset, options)
    for lang in LANGUAGES:
        for claim in dataset.claims.values():
            add(f"claims/{claim.id}.{lang}.md", renderer.claim_page(claim, lang))
        for name in PAGE_DIRS:
            add(f"{name}/index.{lang}.md", getattr(renderer, f"{name}_page")(lang))
        # The suffix puts each feed in its language's folder: /opendata/feed.xml, /en/opendata/feed.xml.
        out.files[f"{OPEN_DATA_DIR}/feed.{lang}.xml"] = atom_feed(dataset, lang, options.site_name)
    return out


def fill_slots(html: str, fragments: tuple[str, ...]) -> str:
    """Put each fragment back where its slot marker was converted; every slot must be found once."""
    filled = SLOT.sub(lambda match: fragments[int(match.group(1))], html)
    if filled.count("@@fc-slot-") or len(SLOT.findall(html)) != len(fragments):
        raise ValueError("a generated page lost one of its slot markers")
    return filled


def verdict_css(dataset: Dataset) -> str:
    """Colour and icon of each verdict, so that badges carry no inline style or SVG."""
    rules = []
    for verdict in dataset.scale.verdicts:
        selector = f'[data-verdict="{verdict.id}"]'
        rules.append(f".fc-badge{selector}, .fc-mark{selector} {{ --fc-colour: {verdict.colour}; }}")
        svg = icon_svg(verdict.icon)
        if svg:
            data = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
            rules.append(
                f'.fc-badge{selector} .fc-icon {{ -webkit-mask-image: url("{data}"); mask-image: url("{data}"); }}'
            )
    return "\n".join(rules) + "\n"


def _listing(title: str, *parts: str) -> Page:
    """A page that lists what claim pages already say: kept out of the search index, where it
    would only repeat their text (and would cost the indexer as much as all of them together)."""
    return _page(title, *parts, searchable=False)


def _page(title: str, *parts: str, searchable: bool = True) -> Page:
    body: list[str] = []
    fragments: list[str] = []
    for part in parts:
        if not part:
            continue
        if isinstance(part, Prose) or part.startswith("#"):
            body.append(part)
        else:
            body.append(f"@@fc-slot-{len(fragments)}@@")
            fragments.append(part)
    # The digest changes the file whenever a fragment changes, so `mkdocs serve --dirty` sees it.
    digest = hashlib.sha256("\0".join(fragments).encode("utf-8")).hexdigest()[:16]
    # The title is escaped here because Material prints page.meta.title without escaping.
    search = "" if searchable else "search:\n  exclude: true\n"
    front = f"---\ntitle: {json.dumps(esc(title), ensure_ascii=False)}\n{search}fc_digest: {digest}\n---\n\n"
    return Page(front + "\n\n".join(body) + "\n", tuple(fragments))


def _heading(text: str, anchor: str) -> str:
    return f"## {text} {{ #{anchor} }}"


class _Renderer:
    def __init__(self, dataset: Dataset, options: RenderOptions) -> None:
        self.ds, self.options = dataset, options

    def verdict(self, claim: Claim) -> Verdict:
        return self.ds.verdicts[claim.verdict]

    def claims_of(self, ids: list[str]) -> list[tuple[Claim, Verdict]]:
        return [(self.ds.claims[i], self.verdict(self.ds.claims[i])) for i in ids]

    def intro(self, name: str, lang: Language) -> str:
        """Hand-written Markdown shown at the top of a generated page, if the content root has it."""
        path = self.ds.root / "data" / "pages" / f"{name}.{lang}.md"
        return Prose(path.read_text(encoding="utf-8").strip()) if path.is_file() else ""

    # -- one page per claim ---------------------------------------------------------------------
    def claim_page(self, claim: Claim, lang: Language) -> Page:
        base = "../../"
        verdict = self.verdict(claim)
        seed = self.ds.seeds[claim.seed].meta
        summary = claim.summary[lang]
        topic = self.ds.topics[claim.topic].label[lang]
        other = "en" if seed.language == "fr" else "fr"
        said = f" {t('claimed_on', lang)} {time_tag(claim.claimed_on, lang)}" if claim.claimed_on else ""
        header = (
            f'<div class="fc-claim-header" data-claim="{esc(claim.id)}" data-verdict="{esc(claim.verdict)}">'
            f"<h1>{esc(summary)}</h1>"
            f'<p class="fc-verdict-line">{badge(verdict, lang)} '
            f'<span class="fc-topic">{t("topic", lang)}{colon(lang)} {esc(topic)}</span></p></div>'
        )
        quote = (
            f'<div class="fc-quote-block"><blockquote class="fc-quote" lang="{esc(seed.language)}">'
            f"<p>{esc(claim.quote)}</p></blockquote>"
            f'<p class="fc-translation"><strong>{t("translation", lang)}</strong>{colon(lang)} '
            f'<span lang="{other}">{esc(claim.quote_translation)}</span></p>'
            f'<p class="fc-claimant">{t("claimant", lang)}{colon(lang)} '
            f"{esc(claim.claimant[lang])}{said}. "
            f'<a href="{base}article/#claim-{esc(claim.id)}">{t("in_article", lang)} '
            f"{time_tag(seed.published, lang)}</a></p></div>"
        )
        rationale = (
            f'<div class="fc-rationale"><p>{badge(verdict, lang)}</p>'
            f"<p>{md(claim.rationale[lang])}</p>"
            f'<p class="fc-reviewed">{t("reviewed_on", lang)} {time_tag(claim.reviewed_on, lang)}</p></div>'
        )
        sources = source_list(claim.sources, lang) if claim.sources else f"<p>{t('no_sources', lang)}</p>"
        related = claim_list(self.claims_of(claim.related), lang, base) if claim.related else ""
        history = "".join(
            f"<li>{time_tag(entry.date, lang)} {badge(self.ds.verdicts[entry.verdict], lang)} "
            f"{md(entry.note[lang])}</li>"
            for entry in claim.history
        )
        path = self.ds.claim_paths[claim.id]
        edit = (
            external_link(self.options.edit_url.format(path=path), t("edit", lang))
            if self.options.edit_url
            else f"{t('source_file', lang)}: <code>{esc(path)}</code>"
        )
        return _page(
            summary,
            header,
            _heading(t("quote", lang), "quote"),
            quote,
            _heading(t("verdict", lang), "verdict"),
            rationale,
            _heading(t("sources", lang), "sources"),
            f"<div>{sources}</div>",
            _heading(t("related", lang), "related") if related else "",
            f"<div>{related}</div>" if related else "",
            _heading(t("history", lang), "history"),
            f'<div><ol class="fc-history">{history}</ol><p class="fc-edit">{edit}</p></div>',
        )

    # -- index pages ----------------------------------------------------------------------------
    def claims_page(self, lang: Language) -> Page:
        base = "../"
        options = "".join(f'<option value="{esc(v.id)}">{esc(v.label[lang])}</option>' for v in self.ds.scale.verdicts)
        rows = "".join(
            f'<tr data-verdict="{esc(claim.verdict)}">'
            f'<td><a href="{claim_href(claim.id, base)}">{esc(claim.summary[lang])}</a></td>'
            f"<td>{badge(self.verdict(claim), lang)}</td>"
            f"<td>{esc(self.ds.topics[claim.topic].label[lang])}</td></tr>"
            for claim in self.ds.claims.values()
        )
        table = (
            f'<div class="fc-index"><p><label for="fc-filter">{t("filter_label", lang)}</label> '
            f'<select id="fc-filter" class="fc-filter"><option value="">{t("filter_all", lang)}</option>'
            f'{options}</select> <span class="fc-count" aria-live="polite">'
            f"{t('count', lang, n=len(self.ds.claims))}</span></p>"
            f'<table class="fc-claims"><thead><tr><th scope="col">{t("col_claim", lang)}</th>'
            f'<th scope="col">{t("col_verdict", lang)}</th><th scope="col">{t("col_topic", lang)}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table></div>"
        )
        return _listing(
            t("claims", lang), f"# {t('claims', lang)}", self.intro("claims", lang) or t("claims_intro", lang), table
        )

    def article_page(self, lang: Language) -> Page:
        parts = [f"# {t('article', lang)}", self.intro("article", lang), f"<p>{t('article_intro', lang)}</p>"]
        by_seed: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.ds.claims.values():
            by_seed[claim.seed].append(claim)
        for seed_id in sorted(self.ds.seeds):
            article = self.ds.seeds[seed_id]
            meta = article.meta
            publisher = t("unknown", lang) if meta.publisher == "unknown" else esc(meta.publisher)
            where = external_link(meta.url, esc(meta.url)) if meta.url != "unknown" else t("unknown", lang)
            parts.append(f"## {esc_md(meta.title)} {{ #seed-{seed_id.replace('_', '-')} }}")
            parts.append(
                f'<div class="fc-seed-meta"><p>{t("published", lang)} {time_tag(meta.published, lang)} · '
                f"{t('publisher', lang)}{colon(lang)} {publisher} · URL{colon(lang)} {where}</p></div>"
            )
            parts.append(self._highlighted(article.text.original, meta.language, by_seed[seed_id]))
        return _listing(t("article", lang), *parts)

    def _highlighted(self, text: str, language: str, claims: list[Claim]) -> str:
        """The article with each claim's quote marked; where quotes overlap, the shortest one links."""
        spans = sorted((self.ds.quote_spans[c.id] + (c,) for c in claims), key=lambda s: (s[0], s[1]))
        cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
        first_mark = {claim.id: False for claim in claims}
        pieces: list[str] = []
        for start, end in itertools.pairwise(cuts):
            covering = [c for s, e, c in spans if s <= start and end <= e]
            segment = esc(text[start:end]).replace("\n\n", "</p><p>").replace("\n", "<br>")
            if not covering:
                pieces.append(segment)
                continue
            claim = min(covering, key=lambda c: self.ds.quote_spans[c.id][1] - self.ds.quote_spans[c.id][0])
            verdict = self.verdict(claim)
            anchor = "" if first_mark[claim.id] else f' id="claim-{esc(claim.id)}"'
            first_mark[claim.id] = True
            label = esc(verdict.label["fr" if language == "fr" else "en"])
            pieces.append(
                f'<a class="fc-mark" href="../claims/{esc(claim.id)}/"{anchor} data-verdict="{esc(verdict.id)}" '
                f'title="{label}">{segment}</a>'
            )
        return f'<div class="fc-article" lang="{esc(language)}"><p>{"".join(pieces)}</p></div>'

    def faq_page(self, lang: Language) -> Page:
        parts = [f"# {t('faq', lang)}", self.intro("faq", lang)]
        for question in self.ds.faq.questions if self.ds.faq else []:
            parts.append(f"## {esc_md(question.question[lang])} {{ #{question.id} }}")
            flag = f'<p class="fc-flag">{t("from_article", lang)}</p>' if question.from_article else ""
            parts.append(
                f"<div>{flag}<p>{md(question.answer[lang])}</p>"
                f"<p>{t('rests_on', lang)}{colon(lang)}</p>"
                f"{claim_list(self.claims_of(question.claims), lang, '../')}</div>"
            )
        if not self.ds.faq:
            parts.append(f"<p>{t('nothing_yet', lang)}</p>")
        return _page(t("faq", lang), *parts)

    def timeline_page(self, lang: Language) -> Page:
        parts = [f"# {t('timeline', lang)}", self.intro("timeline", lang)]
        timeline = self.ds.timeline
        if timeline is None:
            return _page(t("timeline", lang), *parts, f"<p>{t('nothing_yet', lang)}</p>")
        parts.append(f'<p class="fc-as-of">{t("as_of", lang)} {time_tag(timeline.as_of, lang)}</p>')
        items = []
        for event in sorted(timeline.events, key=lambda e: (e.date, e.id)):
            claims = (
                f"<p>{t('bears_on', lang)}</p>{claim_list(self.claims_of(event.claims), lang, '../')}"
                if event.claims
                else ""
            )
            items.append(
                f'<li id="{event.id}" class="fc-event" data-date="{event.date}">'
                f"<h3>{time_tag(event.date, lang)} — {esc(event.title[lang])}</h3>"
                f"<p>{md(event.text[lang])}</p>{claims}{source_list(event.sources, lang)}</li>"
            )
        parts.append(f'<ol class="fc-timeline">{"".join(items)}</ol>')
        return _page(t("timeline", lang), *parts)

    def options_page(self, lang: Language) -> Page:
        parts = [f"# {t('options', lang)}", self.intro("options", lang), f"<p>{t('options_intro', lang)}</p>"]
        for scenario in self.ds.options.scenarios if self.ds.options else []:
            language = self.ds.seeds[scenario.seed].meta.language
            parts.append(
                f"## {esc_md(scenario.label)}{colon(lang)} {esc_md(scenario.title[lang])} {{ #{scenario.id} }}"
            )
            parts.append(
                f"<div><p><strong>{t('scenario_quote', lang)}</strong></p>"
                f'<blockquote lang="{esc(language)}"><p>{esc(scenario.quote)}</p></blockquote>'
                f"<p><strong>{t('premises', lang)}</strong></p><p>{md(scenario.premises[lang])}</p>"
                f"<p><strong>{t('depends_on', lang)}</strong></p>"
                f"{claim_list(self.claims_of(scenario.claims), lang, '../')}</div>"
            )
        return _page(t("options", lang), *parts)

    def sources_page(self, lang: Language) -> Page:
        cited: dict[str, tuple[Source, list[str]]] = {}
        for claim in self.ds.claims.values():
            for source in claim.sources:
                cited.setdefault(source.url, (source, []))[1].append(claim.id)
        for event in self.ds.timeline.events if self.ds.timeline else []:
            for source in event.sources:
                cited.setdefault(source.url, (source, []))
        by_publisher: dict[str, list[tuple[Source, list[str]]]] = defaultdict(list)
        for source, claim_ids in cited.values():
            by_publisher[source.publisher].append((source, claim_ids))
        parts = [f"# {t('bibliography', lang)}", self.intro("sources", lang), f"<p>{t('bibliography_intro', lang)}</p>"]
        for publisher in sorted(by_publisher, key=str.casefold):
            items = []
            for source, claim_ids in sorted(by_publisher[publisher], key=lambda item: (item[0].date, item[0].url)):
                links = ", ".join(f'<a href="{claim_href(i, "../")}">{esc(i)}</a>' for i in sorted(set(claim_ids)))
                cited_by = f'<p class="fc-cited-by">{t("cited_by", lang)}: {links}</p>' if links else ""
                items.append(source_item(source, lang).replace("</li>", f"{cited_by}</li>"))
            parts.append(
                f'<div><h2 class="fc-publisher">{esc(publisher)}</h2><ul class="fc-sources">{"".join(items)}</ul></div>'
            )
        return _listing(t("bibliography", lang), *parts)

    def methodology_page(self, lang: Language) -> Page:
        rows = "".join(
            f"<tr><td>{badge(v, lang)}</td><td>{esc(v.definition[lang])}</td>"
            f"<td>{v.rating_value if v.rating_value is not None else t('not_rated', lang)}</td></tr>"
            for v in self.ds.scale.verdicts
        )
        table = (
            f'<div><table class="fc-scale"><thead><tr><th scope="col">{t("verdict", lang)}</th>'
            f'<th scope="col">{t("definition", lang)}</th><th scope="col">{t("rating", lang)} '
            f"({self.ds.scale.worst_rating}–{self.ds.scale.best_rating})</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>"
        )
        return _page(
            t("methodology", lang),
            f"# {t('methodology', lang)}",
            self.intro("methodology", lang),
            _heading(t("scale", lang), "scale"),
            table,
        )

    def corrections_page(self, lang: Language) -> Page:
        changes = []
        for claim in self.ds.claims.values():
            for before, after in itertools.pairwise(claim.history):
                old, new = self.ds.verdicts[before.verdict], self.ds.verdicts[after.verdict]
                what = (
                    t("changed", lang, old=badge(old, lang), new=badge(new, lang))
                    if old.id != new.id
                    else t("updated", lang)
                )
                changes.append(
                    (
                        after.date,
                        claim.id,
                        (
                            f"<li>{time_tag(after.date, lang)} — "
                            f"{claim_link(claim, self.verdict(claim), lang, '../')}<br>{what}. "
                            f"{md(after.note[lang])}</li>"
                        ),
                    )
                )
        body = (
            "".join(item for _, _, item in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True)) if changes else ""
        )
        listing = f'<ol class="fc-corrections">{body}</ol>' if body else f"<p>{t('no_corrections', lang)}</p>"
        return _listing(
            t("corrections", lang),
            f"# {t('corrections', lang)}",
            self.intro("corrections", lang),
            f"<p>{t('corrections_intro', lang)}</p>",
            f"<div>{listing}</div>",
        )


def intro_paths(root: Path) -> list[Path]:
    return sorted((root / "data" / "pages").glob("*.md"))
