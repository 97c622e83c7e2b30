"""Machine-readable outputs: ClaimReview JSON-LD per claim page, CSV, and Atom feeds."""

from __future__ import annotations

import csv
import io
import json
import uuid
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from build_tools.content.dataset import Dataset
from build_tools.content.model import Claim
from build_tools.site.export import export_json

FEED_PATH = "opendata/feed.xml"  # in every language's folder


def open_data(dataset: Dataset) -> dict[str, str]:
    """The dataset as JSON and CSV, under ``opendata/`` in every language's folder; with a source
    ledger, what the last watch of each cited page found (``ledger.json``)."""
    files = {"opendata/claims.json": export_json(dataset, pretty=False), "opendata/claims.csv": claims_csv(dataset)}
    if dataset.ledger is not None:
        files["opendata/ledger.json"] = dataset.ledger.model_dump_json(exclude_none=True) + "\n"
    return files


def claim_review(dataset: Dataset, claim: Claim, lang: str, page_url: str | None, publisher: str) -> dict[str, Any]:
    """ClaimReview for one claim page. Consumers accept only an absolute ``url`` on the site's own
    domain, so without a known address (no ``site_url``) the field is left out."""
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
    if seed.publisher != "unknown":
        appearance["publisher"] = {"@type": "Organization", "name": seed.publisher}
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "inLanguage": lang,
        "claimReviewed": claim.summary[lang],
        "datePublished": claim.history[0].date,
        "dateModified": claim.history[-1].date,
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim",
            "datePublished": claim.claimed_on or seed.published,
            "appearance": appearance,
        },
    }
    author = _claim_author(dataset, claim, lang)
    if author is not None:
        review["itemReviewed"]["author"] = author
    if page_url:
        review["url"] = page_url
    return review


def _claim_author(dataset: Dataset, claim: Claim, lang: str) -> dict[str, Any] | None:
    """Who made the claim, as a Person or an Organization; nothing when the record does not say (a
    name alone is no identity a database can match)."""
    claimant = dataset.claimants.get(claim.claimant_ref or "")
    if claimant is None:
        return None
    if claimant.kind == "article":  # the article's own statement: its publisher's
        seed = dataset.seeds[claim.seed].meta
        if seed.publisher == "unknown":
            return None
        author: dict[str, Any] = {"@type": "Organization", "name": seed.publisher}
        if seed.url != "unknown":
            author["url"] = f"{urlsplit(seed.url).scheme}://{urlsplit(seed.url).netloc}/"
        return author
    author = {"@type": "Person" if claimant.kind == "person" else "Organization", "name": claimant.name[lang]}
    if claimant.same_as:
        author["sameAs"] = claimant.same_as
    return author


def json_ld_script(data: dict[str, Any]) -> str:
    # '<' is escaped so that no text can close the script element.
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{payload}</script>'


def csv_fields(languages: list[str]) -> list[str]:
    """The CSV columns: one per language for each localized field, in the site's language order."""
    return [
        "id",
        "seed",
        "verdict",
        "topic",
        "reviewed_on",
        *(f"summary_{code}" for code in languages),
        "quote",
        *(f"claimant_{code}" for code in languages),
        "sources",
    ]


def claims_csv(dataset: Dataset) -> str:
    codes = dataset.language_codes
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_fields(codes))
    for claim in dataset.claims.values():
        writer.writerow(
            (
                claim.id,
                claim.seed,
                claim.verdict,
                claim.topic,
                claim.reviewed_on,
                *(claim.summary[code] for code in codes),
                claim.quote,
                *(claim.claimant[code] for code in codes),
                " ".join(source.url for source in claim.sources),
            )
        )
    return out.getvalue()


def atom_feed(dataset: Dataset, lang: str, base_url: str | None) -> str:
    """The language's claims, newest change first, for ``opendata/feed.xml`` in that language's folder.

    Entry links are absolute under ``base_url`` (the language's address) when it is known, else
    relative to the feed itself, which readers resolve against the feed's address.
    Every date comes from the content, so builds are reproducible."""
    site_name = next(language.site_name for language in dataset.languages if language.code == lang)
    heading = f"{site_name} — {dataset.catalogues[lang].text('feed_title')}"
    claims = sorted(dataset.claims.values(), key=lambda c: (c.history[-1].date, c.id), reverse=True)
    updated = claims[0].history[-1].date if claims else "1970-01-01"
    prefix = base_url.rstrip("/") + "/" if base_url else "../"
    entries = []
    for claim in claims[:50]:
        verdict = dataset.verdicts[claim.verdict].label[lang]
        # One id per claim and language: a reader subscribed to two languages' feeds gets both entries.
        entry_id = uuid.uuid5(uuid.NAMESPACE_URL, f"factcheck-claim:{lang}:{claim.seed}:{claim.id}")
        entries.append(
            f"<entry><id>urn:uuid:{entry_id}</id>"
            f"<title>{xml_escape(verdict)} — {xml_escape(claim.summary[lang])}</title>"
            f'<link rel="alternate" type="text/html" href="{xml_escape(prefix)}claims/{claim.id}/"/>'
            f"<updated>{claim.history[-1].date}T00:00:00Z</updated>"
            f"<summary>{xml_escape(claim.history[-1].note[lang])}</summary></entry>"
        )
    feed_id = uuid.uuid5(uuid.NAMESPACE_URL, f"factcheck-feed:{lang}:{site_name}")
    self_link = f'<link rel="self" href="{xml_escape(prefix)}{FEED_PATH}"/>' if base_url else ""
    site_link = f'<link rel="alternate" type="text/html" href="{xml_escape(prefix)}"/>'
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">'
        f"<id>urn:uuid:{feed_id}</id><title>{xml_escape(heading)}</title>"
        f"{self_link}{site_link}<updated>{updated}T00:00:00Z</updated>"
        f"<author><name>{xml_escape(site_name)}</name></author>{''.join(entries)}</feed>\n"
    )
