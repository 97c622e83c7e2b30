"""Small HTML pieces shared by the pages. Every text that comes from YAML goes through ``esc`` or
``md`` here; nothing else in the generator writes user text into HTML."""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from build_tools.content.markup import render_inline
from build_tools.content.model import Claim, Language, Source, Verdict
from build_tools.site.strings import format_date, t


def esc(text: str) -> str:
    return html.escape(text, quote=True)


_MARKDOWN_INERT = {ord(c): f"&#{ord(c)};" for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}


def esc_md(text: str) -> str:
    """Text for a Markdown context (a heading): every ASCII punctuation mark becomes an entity, so
    neither Markdown, attribute lists nor HTML can be formed from it."""
    return text.translate(_MARKDOWN_INERT)


def md(text: str) -> str:
    return render_inline(text)


@lru_cache(maxsize=64)
def icon_svg(name: str) -> str:
    """The Material Design icon bundled with mkdocs-material, or nothing if it has no such icon."""
    try:
        import material
    except ImportError:  # pragma: no cover - material is a pinned dependency
        return ""
    path = Path(material.__file__).parent / "templates" / ".icons" / "material" / f"{name}.svg"
    if not path.is_file():
        return ""
    return path.read_text(encoding="utf-8")


def badge(verdict: Verdict, lang: Language) -> str:
    # Colour and icon come from the generated verdicts.css; the label is always there as text.
    return (
        f'<span class="fc-badge" data-verdict="{esc(verdict.id)}"><span class="fc-icon" aria-hidden="true">'
        f"</span><span>{esc(verdict.label[lang])}</span></span>"
    )


def external_link(url: str, text: str) -> str:
    return f'<a href="{esc(url)}" rel="noopener noreferrer">{text}</a>'


def claim_href(claim_id: str, base: str) -> str:
    return f"{base}claims/{esc(claim_id)}/"


def claim_link(claim: Claim, verdict: Verdict, lang: Language, base: str) -> str:
    return f'<a href="{claim_href(claim.id, base)}">{esc(claim.summary[lang])}</a> {badge(verdict, lang)}'


def claim_list(claims: list[tuple[Claim, Verdict]], lang: Language, base: str) -> str:
    items = "".join(f"<li>{claim_link(claim, verdict, lang, base)}</li>" for claim, verdict in claims)
    return f'<ul class="fc-claim-list">{items}</ul>'


def source_item(source: Source, lang: Language) -> str:
    archive = f" ({external_link(source.archive_url, t('archive', lang))})" if source.archive_url else ""
    return (
        f'<li class="fc-source" data-stance="{source.stance}">'
        f'<span class="fc-stance">{t("stance_" + source.stance, lang)}</span> '
        f"<cite>{external_link(source.url, esc(source.title or source.url))}</cite>{archive}, "
        f'{esc(source.publisher)}, <time datetime="{source.date}">{format_date(source.date, lang)}</time>'
        f'<blockquote lang="{esc(source.language)}"><p>{esc(source.quote)}</p></blockquote></li>'
    )


def source_list(sources: list[Source], lang: Language) -> str:
    return f'<ul class="fc-sources">{"".join(source_item(source, lang) for source in sources)}</ul>'


def time_tag(iso: str, lang: Language) -> str:
    return f'<time datetime="{iso}">{format_date(iso, lang)}</time>'
