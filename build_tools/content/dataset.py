"""The checked dataset: what every later stage (pages, open data, link checks) reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from build_tools.content.catalogue import Catalogue
from build_tools.content.ledger import Ledger
from build_tools.content.model import (
    Claim,
    Claimant,
    Faq,
    Options,
    Seed,
    Site,
    SiteLanguage,
    Timeline,
    Topic,
    Verdict,
    VerdictScale,
)
from build_tools.content.publishers import PublisherIndex
from build_tools.content.quotes import NormalizedText
from build_tools.problems import Problem


@dataclass(frozen=True)
class SeedArticle:
    meta: Seed
    path: str
    text_path: str
    text: NormalizedText


@dataclass
class Dataset:
    """Everything a content root holds, validated and cross-checked, in a stable order."""

    root: Path
    site: Site
    catalogues: dict[str, Catalogue]
    seeds: dict[str, SeedArticle]
    claims: dict[str, Claim]
    claim_paths: dict[str, str]
    quote_spans: dict[str, tuple[int, int]]
    scale: VerdictScale
    verdicts: dict[str, Verdict]
    topics: dict[str, Topic]
    timeline: Timeline | None = None
    faq: Faq | None = None
    options: Options | None = None
    scenario_spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    publishers: PublisherIndex = field(default_factory=lambda: PublisherIndex(None))
    claimants: dict[str, Claimant] = field(default_factory=dict)  # data/claimants.yml, by id
    ledger: Ledger | None = None  # data/ledger.yml: what the last watch of the sources found

    @property
    def languages(self) -> list[SiteLanguage]:
        """The site's languages, the default one first."""
        return self.site.languages

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.site.languages]


@dataclass
class CheckResult:
    dataset: Dataset | None
    problems: list[Problem]
