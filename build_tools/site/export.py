"""The open-data dump: the whole validated dataset as JSON, with stable field names."""

from __future__ import annotations

import json
from typing import Any

from build_tools.content.dataset import Dataset

# 2: quote_translation keyed by language ({"en": ...}) instead of one text.
# 3: a source's agency may be a list; "publishers", the registry sources name (empty without one).
FORMAT_VERSION = 3


def export_data(dataset: Dataset) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "seeds": [article.meta.model_dump() for article in sorted(dataset.seeds.values(), key=lambda a: a.meta.id)],
        "verdicts": [verdict.model_dump() for verdict in dataset.scale.verdicts],
        "best_rating": dataset.scale.best_rating,
        "worst_rating": dataset.scale.worst_rating,
        "topics": [topic.model_dump() for topic in dataset.topics.values()],
        "publishers": [publisher.model_dump() for publisher in dataset.publishers.records.values()],
        "claims": [claim.model_dump() for claim in dataset.claims.values()],
    }


def export_json(dataset: Dataset, *, pretty: bool = True) -> str:
    """Indented for people (the ``export`` command); compact for the site's copy, which is for programs
    and several times faster to write."""
    if pretty:
        return json.dumps(export_data(dataset), ensure_ascii=False, indent=2) + "\n"
    return json.dumps(export_data(dataset), ensure_ascii=False, separators=(",", ":")) + "\n"
