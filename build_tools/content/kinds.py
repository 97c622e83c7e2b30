"""The one table of record kinds: where each lives in a content root and which model reads it.

``load`` discovers the files, ``resolve`` validates them and ``schema`` exports their JSON Schema,
all from this table, so a new kind of data file is one row here and one model.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from build_tools.content.ledger import Ledger
from build_tools.content.model import (
    Claim,
    Claimants,
    Faq,
    Options,
    Publishers,
    Seed,
    Site,
    Timeline,
    Topics,
    VerdictScale,
)

CLAIMS_DIR = "claims"
SEEDS_DIR = "seeds"
DATA_DIR = "data"


@dataclass(frozen=True)
class DataKind:
    name: str  # also the schema file's name: schema/<name>.schema.json
    path: str  # relative to the content root
    model: type[BaseModel]
    required: bool


DATA_KINDS: tuple[DataKind, ...] = (
    DataKind("site", f"{DATA_DIR}/site.yml", Site, required=True),
    DataKind("verdicts", f"{DATA_DIR}/verdicts.yml", VerdictScale, required=True),
    DataKind("topics", f"{DATA_DIR}/topics.yml", Topics, required=True),
    DataKind("timeline", f"{DATA_DIR}/timeline.yml", Timeline, required=False),
    DataKind("faq", f"{DATA_DIR}/faq.yml", Faq, required=False),
    DataKind("options", f"{DATA_DIR}/options.yml", Options, required=False),
    DataKind("publishers", f"{DATA_DIR}/publishers.yml", Publishers, required=False),
    DataKind("claimants", f"{DATA_DIR}/claimants.yml", Claimants, required=False),
    DataKind("ledger", f"{DATA_DIR}/ledger.yml", Ledger, required=False),
)
DATA_FILES = {kind.name: kind.path for kind in DATA_KINDS}
REQUIRED_DATA = tuple(kind.name for kind in DATA_KINDS if kind.required)
# The pages the site layer generates in every language (``site.page_kinds.ENGINE_PAGE_KINDS``, held to this by a
# test). Claim pages live beside the claims index, so a claim may not take one of these names, nor a
# language code (a language's folder), as its id.
PAGE_NAMES = (
    "home",
    "claims",
    "articles",
    "article",
    "faq",
    "timeline",
    "options",
    "sources",
    "methodology",
    "corrections",
)
RESERVED_CLAIM_IDS = frozenset(("index", *PAGE_NAMES))
# One record per file in these folders; the file name is the record's id.
RECORD_SCHEMAS: dict[str, type[BaseModel]] = {
    "claim": Claim,
    "seed": Seed,
    **{kind.name: kind.model for kind in DATA_KINDS},
}
