"""Machine-readable outputs: ClaimReview JSON-LD per claim page, CSV, and Atom feeds."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from build_tools.content.model import Claim, Language
from build_tools.content.resolve import Dataset
from build_tools.site.strings import t


def claim_review(dataset: Dataset, claim: Claim, lang: Language, page_url: str, publisher: str) -> dict[str, Any]:
    verdict = dataset.verdicts[claim.verdict]
    seed = dataset.seeds[claim.seed].meta
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict.label[lang]}
    if verdict.rating_value is not None:
        rating |= {
            "ratingValue": verdict.rating_value,
            "bestRating": dataset.scale.best_rating,
            "worstRating": dataset.scale.worst_rating,
        }
    appearance: dict[str, Any] = {
        "@type": "CreativeWork",
        "headline": seed.title,
        "datePublished": seed.published,
        "inLanguage": seed.language,
    }
    if seed.url != "unknown":
        appearance["url"] = seed.url
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": page_url,
        "inLanguage": lang,
        "claimReviewed": claim.summary[lang],
        "datePublished": claim.history[0].date,
        "dateModified": claim.history[-1].date,
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Thing", "name": claim.claimant[lang]},
            "datePublished": claim.claimed_on or seed.published,
            "appearance": appearance,
        },
    }


def json_ld_script(data: dict[str, Any]) -> str:
    # '<' is escaped so that no text can close the script element.
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{payload}</script>'


CSV_FIELDS = (
    "id",
    "seed",
    "verdict",
    "topic",
    "reviewed_on",
    "summary_fr",
    "summary_en",
    "quote",
    "claimant_fr",
    "claimant_en",
    "sources",
)


def claims_csv(dataset: Dataset) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for claim in dataset.claims.values():
        writer.writerow(
            (
                claim.id,
                claim.seed,
                claim.verdict,
                claim.topic,
                claim.reviewed_on,
                claim.summary.fr,
                claim.summary.en,
                claim.quote,
                claim.claimant.fr,
                claim.claimant.en,
                " ".join(source.url for source in claim.sources),
            )
        )
    return out.getvalue()


def atom_feed(dataset: Dataset, lang: Language, title: str) -> str:
    """Claims newest change first; every date comes from the content, so builds are reproducible."""
    claims = sorted(dataset.claims.values(), key=lambda c: (c.history[-1].date, c.id), reverse=True)
    updated = claims[0].history[-1].date if claims else "1970-01-01"
    entries = []
    for claim in claims[:50]:
        verdict = dataset.verdicts[claim.verdict].label[lang]
        entry_id = uuid.uuid5(uuid.NAMESPACE_URL, f"factcheck-claim:{claim.seed}:{claim.id}")
        entries.append(
            f"<entry><id>urn:uuid:{entry_id}</id>"
            f"<title>{xml_escape(verdict)} — {xml_escape(claim.summary[lang])}</title>"
            f'<link href="claims/{claim.id}/"/><updated>{claim.history[-1].date}T00:00:00Z</updated>'
            f"<summary>{xml_escape(claim.history[-1].note[lang])}</summary></entry>"
        )
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"factcheck-feed:{lang}:{title}")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">'
        f"<id>urn:uuid:{feed_id}</id><title>{xml_escape(title)} — {xml_escape(t('feed_title', lang))}</title>"
        f'<link rel="self" href="feed.xml"/><updated>{updated}T00:00:00Z</updated>'
        f"<author><name>{xml_escape(title)}</name></author>{''.join(entries)}</feed>\n"
    )
