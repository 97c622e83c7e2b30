"""Quotes are found in their article whatever the typography of apostrophes, quotation marks and spaces."""

from __future__ import annotations

import pytest

from build_tools.content.quotes import line_col, normalize

ARTICLE = "Le Kremlin a dit que toute livraison pourrait « nuire considérablement » aux relations.\nL’Ukraine."


@pytest.mark.parametrize(
    "quote",
    [
        "pourrait « nuire considérablement » aux relations",
        'pourrait "nuire considérablement" aux relations',
        "pourrait «nuire considérablement» aux relations",
        "toute   livraison\npourrait",
        "L'Ukraine",
    ],
)
def test_typographic_variants_are_found(quote: str) -> None:
    text = normalize(ARTICLE)
    span = text.find(quote)
    assert span is not None
    start, end = span
    # The span covers the passage as printed in the article, not the folded form.
    assert ARTICLE[start:end].split()[0] == quote.split()[0].replace("'", "’")


def test_span_is_exact() -> None:
    text = normalize(ARTICLE)
    assert text.find("« nuire considérablement »") == (ARTICLE.index("«"), ARTICLE.index("»") + 1)


def test_missing_quote_has_a_closest_passage() -> None:
    text = normalize(ARTICLE)
    assert text.find("nuire gravement aux relations") is None
    offset, passage = text.closest("pourrait nuire gravement")
    assert line_col(ARTICLE, offset) == (1, ARTICLE.index("pourrait") + 1)
    assert passage.startswith("pourrait")


def test_the_closest_passage_to_a_long_quote_in_a_long_text_is_found_by_its_pieces() -> None:
    """Past a size, the hint is anchored by pieces of the quote rather than by the longest common run
    (whose cost is the product of the lengths): it still points at the passage the quote garbles."""
    words = [f"w{(n * 7919) % 100003}" for n in range(150_000)]
    text = normalize(" ".join(words))
    quote = " ".join(words[90_000:90_300])
    quote = quote[:900] + " INSERTED " + quote[900:]
    offset, passage = text.closest(quote)
    assert offset == len(" ".join(words[:90_000])) + 1
    assert passage.startswith(" ".join(words[90_000:90_010]))
    assert text.closest("zzz " * 600) == (0, "")  # nothing of the quote in the text: no passage
