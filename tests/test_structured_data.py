"""The claim pages' structured data read as fact-check databases read it: extracted by extruct, then
held to schema.org's vocabulary (release 30.0, vendored in tests/platforms/ from the schemaorg/schemaorg
repository's data/releases/30.0/schemaorg-current-https.jsonld, gzipped) and to the fields Google's
ClaimReview documentation requires and recommends."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path
from typing import Any

import extruct
import pytest

from conftest import REPO, ServedSite

VOCABULARY = Path(__file__).parent / "platforms/schemaorg-current-https-30.0.jsonld.gz"
SCHEMA = "https://schema.org/"
# Literal values a property may take when its range includes one of these data types.
_DATA_TYPES = {"Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean", "Float", "Time"}


@functools.cache
def _vocabulary() -> tuple[dict[str, set[str]], dict[str, tuple[set[str], set[str]]]]:
    """Classes with their direct superclasses, and properties with their domains and ranges."""
    graph = json.loads(gzip.decompress(VOCABULARY.read_bytes()))["@graph"]

    def names(value: Any) -> set[str]:
        items = value if isinstance(value, list) else [value] if value else []
        return {str(item["@id"]).removeprefix("schema:") for item in items}

    classes: dict[str, set[str]] = {}
    properties: dict[str, tuple[set[str], set[str]]] = {}
    for node in graph:
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        name = str(node["@id"]).removeprefix("schema:")
        if "rdfs:Class" in kinds:
            classes[name] = names(node.get("rdfs:subClassOf"))
        if "rdf:Property" in kinds:
            properties[name] = (names(node.get("schema:domainIncludes")), names(node.get("schema:rangeIncludes")))
    return classes, properties


def _ancestors(name: str) -> set[str]:
    classes, _ = _vocabulary()
    seen, pending = {name}, [name]
    while pending:
        for parent in classes.get(pending.pop(), set()):
            if parent not in seen:
                seen.add(parent)
                pending.append(parent)
    return seen


def vocabulary_problems(item: dict[str, Any], where: str = "") -> list[str]:
    """Where ``item`` (a JSON-LD object) uses a type or property schema.org does not define, or a
    property on a type outside its domain, or a value outside its range."""
    classes, properties = _vocabulary()
    kind = str(item.get("@type", ""))
    if kind not in classes:
        return [f"{where}@type {kind!r} is not a schema.org type"]
    problems = []
    for name, value in item.items():
        if name.startswith("@"):
            continue
        if name not in properties:
            problems.append(f"{where}{name} is not a schema.org property")
            continue
        domains, ranges = properties[name]
        if not domains & _ancestors(kind):
            problems.append(f"{where}{name} is not a property of {kind}")
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, dict):
                inner = str(one.get("@type", ""))
                if not ranges & _ancestors(inner):
                    problems.append(f"{where}{name}: a {inner} is not among {sorted(ranges)}")
                problems += vocabulary_problems(one, f"{where}{name}.")
            elif not ranges & (_DATA_TYPES | {"DataType"}) and not any(_ancestors(r) & _DATA_TYPES for r in ranges):
                problems.append(f"{where}{name}: a literal where {sorted(ranges)} is wanted")
    return problems


def google_problems(review: dict[str, Any]) -> list[str]:
    """What Google's ClaimReview documentation requires, and the recommended fields fact-check
    databases match claims by: the claim's author as a Person or Organization, where it appeared."""
    problems = [f"missing {name}" for name in ("claimReviewed", "reviewRating", "url") if not review.get(name)]
    rating = review.get("reviewRating", {})
    if not (rating.get("alternateName") and (rating.get("ratingValue") is None or "bestRating" in rating)):
        problems.append("reviewRating needs alternateName (and bestRating/worstRating with a ratingValue)")
    if review.get("author", {}).get("@type") not in ("Organization", "Person"):
        problems.append("author is not an Organization or Person")
    claim = review.get("itemReviewed", {})
    if claim.get("@type") != "Claim":
        problems.append("itemReviewed is not a Claim")
    if claim.get("author", {}).get("@type") not in ("Organization", "Person"):
        problems.append("itemReviewed.author is not an Organization or Person")
    appearance = claim.get("appearance") or claim.get("firstAppearance") or {}
    if not str(appearance.get("url", "")).startswith("http"):
        problems.append("itemReviewed.appearance has no address")
    return problems


def _claim_pages(site: ServedSite) -> list[tuple[str, str]]:
    pages = sorted(site.folder.glob("claims/*/index.html")) + sorted(site.folder.glob("en/claims/*/index.html"))
    return [
        (site.url + str(page.parent.relative_to(site.folder)) + "/", page.read_text(encoding="utf-8")) for page in pages
    ]


def test_every_claim_page_has_one_valid_claim_review(platform_site: ServedSite) -> None:
    pages = _claim_pages(platform_site)
    assert len(pages) == 2 * len(list((REPO / "claims").glob("*.yml")))
    problems = []
    for url, html in pages:
        found = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
        reviews = [item for item in found if item.get("@type") == "ClaimReview"]
        if len(reviews) != 1:
            problems.append(f"{url}: {len(reviews)} ClaimReview")
            continue
        [review] = reviews
        assert review["url"] == url
        problems += [f"{url}: {p}" for p in vocabulary_problems(review) + google_problems(review)]
    assert problems == [], "\n".join(problems[:30])


def test_the_claim_s_author_and_where_it_appeared(platform_site: ServedSite) -> None:
    [(url, html)] = [page for page in _claim_pages(platform_site) if page[0].endswith("/en/claims/kremlin-warning/")]
    [review] = extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=True)["json-ld"]
    claim = review["itemReviewed"]
    assert claim["author"] == {"@type": "Organization", "name": "sixactualites.fr", "url": "https://sixactualites.fr/"}
    assert claim["appearance"]["url"].startswith(
        "https://sixactualites.fr/politique-religion/trump-fait-marche-arriere"
    )
    assert claim["appearance"]["publisher"] == {"@type": "Organization", "name": "sixactualites.fr"}


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"@type": "Thing", "name": "The article"}, []),  # valid schema.org, but no identity: see google_problems
        ({"@type": "Claim", "author": {"@type": "Thing", "name": "x"}}, ["author: a Thing is not among"]),
        ({"@type": "ClaimReview", "claimReviewd": "x"}, ["claimReviewd is not a schema.org property"]),
        ({"@type": "Rating", "headline": "x"}, ["headline is not a property of Rating"]),
        ({"@type": "Fact"}, ["@type 'Fact' is not a schema.org type"]),
    ],
)
def test_the_vocabulary_check_finds_what_consumers_reject(item: dict[str, Any], expected: list[str]) -> None:
    found = vocabulary_problems(item)
    assert len(found) == len(expected) and all(f.startswith(e) for f, e in zip(found, expected, strict=True)), found


def test_google_s_fields_are_checked() -> None:
    review = {
        "@type": "ClaimReview",
        "claimReviewed": "x",
        "url": "https://example.org/c/",
        "author": {"@type": "Organization", "name": "S"},
        "reviewRating": {"@type": "Rating", "alternateName": "False", "ratingValue": 1, "bestRating": 5},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Thing", "name": "The article"}, "appearance": {}},
    }
    assert google_problems(review) == [
        "itemReviewed.author is not an Organization or Person",
        "itemReviewed.appearance has no address",
    ]
