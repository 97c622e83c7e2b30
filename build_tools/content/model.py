"""The content model: every record a content root holds, declared once.

The JSON Schema files in ``schema/`` are exported from these classes (``python -m build_tools
schema``), and the field descriptions below are the documentation contributors see in their editor.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from build_tools.content.fields import (
    CONCLUSION_MAX,
    BadgeLine,
    Colour,
    DescriptionLine,
    HttpUrl,
    IsoDate,
    LanguageCode,
    LocalizedConclusion,
    LocalizedLabel,
    LocalizedLine,
    LocalizedMarkdown,
    LocalizedText,
    NameLine,
    Record,
    SeedId,
    SiteNameLine,
    Slug,
    Text,
    origin_key,
)


class Source(Record):
    """A document that supports, contradicts or gives context to a claim, as it was read."""

    title: Text | None = Field(
        description="The source's own headline, in its own language; null when the page as read showed none "
        "(never reconstructed from the address)."
    )
    publisher: Text = Field(
        description="Who published it (agency, newspaper, government body): the id of its record in "
        "data/publishers.yml when the root has one, else its name."
    )
    date: IsoDate = Field(description="The source's own publication date, YYYY-MM-DD.")
    url: HttpUrl = Field(description="The address of the page that was read.")
    archive_url: HttpUrl | None = Field(None, description="An archived copy of that page, when one exists.")
    agency: Text | list[Text] | None = Field(
        None,
        description="Whose reporting the page republishes or rewrites (Reuters, AP, AFP, TASS…), as the page "
        "credits it; a list when it rewrites several. Independent origins are counted by agency, not by page. "
        "With data/publishers.yml, publisher ids, like 'publisher'.",
    )
    quote: Text = Field(description="The exact words of the source that bear on the claim, copied from it.")
    language: LanguageCode = Field(description="ISO 639-1 code of the source's language, e.g. 'fr', 'en', 'ru'.")
    stance: Literal["supports", "contradicts", "context"] = Field(
        description="Whether the quote supports the claim, contradicts it, or gives context."
    )

    @property
    def agencies(self) -> list[str]:
        """The agencies credited, as a list whichever way the record wrote them."""
        if self.agency is None:
            return []
        return [self.agency] if isinstance(self.agency, str) else list(self.agency)

    @property
    def origins(self) -> list[str]:
        """Whose reporting the page carries: its agencies, else its publisher."""
        return self.agencies or [self.publisher]


class SinceNote(Record):
    """What happened after the article, for a forecast, a question or a scenario: dated and sourced."""

    date: IsoDate = Field(description="When it happened (or when it was reported), YYYY-MM-DD.")
    text: LocalizedMarkdown = Field(description="What happened, in one or two sentences.")
    sources: list[Source] = Field(min_length=1, description="Where it is recorded, with the exact words.")


class HistoryEntry(Record):
    """One step in a claim's life: publication, or a correction that may change the verdict."""

    date: IsoDate = Field(description="When this version was published, YYYY-MM-DD.")
    verdict: Slug = Field(description="The verdict from this date on (an id from data/verdicts.yml).")
    note: LocalizedMarkdown = Field(description="What was published or what changed, and why.")


class Claim(Record):
    """One statement of a seed article, fact-checked. The file name is the id."""

    id: Slug = Field(description="Lower-case words joined by hyphens; equal to the file name without '.yml'.")
    seed: SeedId = Field(description="Id of the seed article the quote comes from (a file in seeds/).")
    quote: Text = Field(description="The statement exactly as it stands in the seed article.")
    quote_translation: dict[LanguageCode, Text] = Field(
        description="The quote rendered in each site language other than the article's, keyed by language code."
    )
    summary: LocalizedLine = Field(description="What is claimed, in one short sentence per language.")
    claimant: LocalizedText = Field(description="Who makes the claim (a person, a government, or the article itself).")
    claimant_ref: Slug | None = Field(
        None,
        description="Id of the claimant's record in data/claimants.yml: who they are for fact-check databases "
        "(a person or an organisation, with the addresses that identify them, or the article itself).",
    )
    claimed_on: IsoDate | None = Field(None, description="When the claim was made, if the article says.")
    topic: Slug = Field(description="Id of a topic in data/topics.yml.")
    verdict: Slug = Field(description="Id of a verdict in data/verdicts.yml.")
    conclusion: LocalizedConclusion = Field(
        description=f"The answer in one sentence per language, at most {CONCLUSION_MAX} characters, shown beside "
        "the verdict at the top of the claim's page and in share previews."
    )
    rationale: LocalizedMarkdown = Field(description="Why this verdict: what the sources show, in every language.")
    sources: list[Source] = Field(default_factory=list, description="The sources read to judge the claim.")
    reviewed_on: IsoDate = Field(
        description="The day the claim was last checked against new facts (a search for newer coverage), "
        "YYYY-MM-DD; not the day the file was edited. The page shows it beside the date of first publication."
    )
    related: list[Slug] = Field(default_factory=list, description="Ids of other claims a reader should see next.")
    since: list[SinceNote] = Field(
        default_factory=list,
        description="What happened after the article that bears on the claim (forecasts, questions), oldest first.",
    )
    history: list[HistoryEntry] = Field(
        min_length=1,
        description="Publication and every later correction, oldest first; the last verdict is the current one.",
    )

    def independent_origins(self) -> list[str]:
        """Who originated the sources that support or contradict the claim: the agencies a page
        republishes, else its publisher (ids or names, as the sources write them). Two pages of one
        wire story are one origin."""
        found: dict[str, str] = {}
        for source in self.sources:
            if source.stance != "context":
                for origin in source.origins:
                    found.setdefault(origin_key(origin), " ".join(origin.split()))
        return sorted(found.values(), key=str.casefold)


class Seed(Record):
    """Metadata of a seed article; its text sits beside it as ``<id>.txt``, byte for byte."""

    id: SeedId = Field(description="Equal to the file name without '.yml'.")
    title: Text = Field(description="The article's title, or a description if it has none.")
    language: LanguageCode = Field(description="ISO 639-1 code of the article's language.")
    published: IsoDate = Field(description="Publication date, YYYY-MM-DD.")
    publisher: Text = Field(description="Who published it, or 'unknown'.")
    url: HttpUrl | Literal["unknown"] = Field(description="Where it was published, or 'unknown'.")


class Verdict(Record):
    """One step of the verdict scale."""

    id: Slug = Field(description="Used by claims in their 'verdict' field.")
    label: LocalizedLabel = Field(description="Short name shown on badges.")
    definition: LocalizedText = Field(description="What the verdict means, shown on the methodology page.")
    rating_value: int | None = Field(description="ClaimReview ratingValue; null when the claim cannot be rated.")
    checkable: bool = Field(description="False for opinion, analysis or scenario statements.")
    requires_sources: bool = Field(description="Whether a claim with this verdict must cite at least one source.")
    colour: Colour = Field(description="Badge colour, #rrggbb (never shown without the label).")
    icon: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] = Field(
        description="A Material Design icon name for the badge, e.g. 'check-circle'."
    )


class VerdictScale(Record):
    """The fixed scale every claim is judged on (data/verdicts.yml)."""

    best_rating: int = Field(description="ClaimReview bestRating.")
    worst_rating: int = Field(description="ClaimReview worstRating.")
    verdicts: list[Verdict] = Field(min_length=1, description="From best to worst, then the unrated ones.")


class SiteLanguage(Record):
    """One language the site is published in."""

    code: LanguageCode = Field(description="ISO 639-1 code; also the suffix of hand-written pages (index.fr.md).")
    name: NameLine = Field(description="The language's name in itself, shown in the language switcher.")
    site_name: SiteNameLine = Field(description="The site's name in this language.")
    site_description: DescriptionLine | None = Field(
        None, description="One sentence describing the site, in this language."
    )
    fallback: LanguageCode | None = Field(
        None,
        description="The language whose interface strings stand in for those data/catalogues/<code>.yml does "
        "not translate (check lists them); English when not given.",
    )


class Licence(Record):
    """The licence the site's data is published under."""

    name: Text = Field(description="Its short name, e.g. 'CC BY 4.0'.")
    url: HttpUrl = Field(description="Where its text is.")


class Site(Record):
    """Settings of a content root (data/site.yml): the one place its languages are listed."""

    languages: list[SiteLanguage] = Field(
        min_length=1, description="The site's languages; the first is the default, served at the site's root."
    )
    data_licence: Licence | None = Field(
        None, description="The licence of the records and open data (quoted source excerpts stay their authors')."
    )
    key_findings: list[Slug] = Field(
        default_factory=list,
        max_length=5,
        description="Ids of the three to five claims the editors put on the home page under 'If your time is "
        "short', most important first; each is shown with its verdict and conclusion.",
    )


class Topic(Record):
    id: Slug = Field(description="Used by claims in their 'topic' field.")
    label: LocalizedText = Field(description="Name of the topic.")


class Topics(Record):
    """The topics claims are filed under (data/topics.yml)."""

    topics: list[Topic] = Field(min_length=1, description="Each topic once.")


PublisherKind = Literal[
    "wire-agency",
    "newspaper",
    "magazine",
    "broadcaster",
    "public-broadcaster",
    "online-outlet",
    "aggregator",
    "government",
    "think-tank",
    "blog",
]


class Attribution(Record):
    """Where a label given to a publisher comes from: a page that says so, in its own words."""

    url: HttpUrl = Field(description="The page that says so.")
    publisher: Text = Field(description="Who published that page, by name.")
    quote: Text = Field(description="Its exact words.")
    language: LanguageCode = Field(description="ISO 639-1 code of the language of those words.")


class Publisher(Record):
    """One outlet that sources are published by, or whose reporting they republish."""

    id: Slug = Field(description="What sources write in 'publisher' and 'agency'.")
    name: BadgeLine = Field(description="The name readers know it by, as it writes it.")
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        description="ISO 3166-1 alpha-2 code of the country it publishes from; null when no source read says."
    )
    kind: PublisherKind = Field(description="What it does: a wire agency, a newspaper, a broadcaster…")
    state_affiliated: Attribution | None = Field(
        None,
        description="Set when the outlet is owned or controlled by a state: the page that says so, with its "
        "words. Never set without such a page.",
    )


class Publishers(Record):
    """The outlets sources cite (data/publishers.yml). With it, every source names its publisher and
    agencies by id, and readers see which outlets are state-affiliated."""

    publishers: list[Publisher] = Field(min_length=1, description="Each outlet once.")


class Claimant(Record):
    """Someone whose statements are checked, as fact-check databases identify them (ClaimReview's
    ``itemReviewed.author``)."""

    id: Slug = Field(description="What claims write in 'claimant_ref'.")
    kind: Literal["person", "organization", "article"] = Field(
        description="A person, an organisation, or 'article' for statements the seed article makes itself "
        "(its publisher is then the author, when the seed's metadata names one)."
    )
    name: LocalizedText = Field(description="The name, in each site language.")
    same_as: list[HttpUrl] = Field(
        default_factory=list,
        description="Addresses that identify them beyond doubt (a Wikidata item, a Wikipedia article, an official "
        "page), each one read; empty when none was.",
    )


class Claimants(Record):
    """Who the claims are made by (data/claimants.yml)."""

    claimants: list[Claimant] = Field(min_length=1, description="Each claimant once.")


class TimelineEvent(Record):
    id: Slug = Field(description="Anchor of the event on the timeline page.")
    date: IsoDate = Field(description="When it happened, YYYY-MM-DD.")
    title: LocalizedText = Field(description="What happened, in a few words.")
    text: LocalizedMarkdown = Field(description="What happened, with its context.")
    claims: list[Slug] = Field(default_factory=list, description="Ids of the claims this event bears on.")
    sources: list[Source] = Field(min_length=1, description="Where the event is recorded.")
    seed: SeedId | None = Field(
        default=None,
        description="The seed article whose timeline shows the event; without it, every article's timeline does.",
    )


class Timeline(Record):
    """Dated events around the seed articles (data/timeline.yml)."""

    as_of: IsoDate = Field(description="The timeline is complete up to this date.")
    events: list[TimelineEvent] = Field(description="In any order; the page sorts them by date.")


class ListedItem(Record):
    """An entry of a page that lists things resting on claims (a question, a scenario)."""

    id: Slug = Field(description="Its anchor on the page.")
    claims: list[Slug] = Field(min_length=1, description="Ids of the claims it rests on.")


class Question(ListedItem):
    from_article: bool = Field(description="True for the questions the seed article asks itself.")
    question: LocalizedText = Field(description="The question.")
    answer: LocalizedMarkdown = Field(description="The answer, resting on the claims listed.")
    seed: SeedId | None = Field(
        default=None,
        description="The seed article whose questions it answers; without it, every article's FAQ shows it, "
        "except a question the article asks itself, which is of the article its claims are of.",
    )


class Faq(Record):
    """Questions and answers (data/faq.yml)."""

    questions: list[Question] = Field(description="In the order shown.")


class Scenario(ListedItem):
    label: Text = Field(description="How the article names it, e.g. 'Option A'.")
    seed: SeedId = Field(description="The seed article the scenario comes from.")
    quote: Text = Field(description="The scenario exactly as the article states it.")
    title: LocalizedText = Field(description="The scenario in a few words.")
    premises: LocalizedMarkdown = Field(description="What the sources say about what the scenario assumes.")
    since: list[SinceNote] = Field(
        default_factory=list, description="What happened after the article that bears on the scenario, oldest first."
    )


class Options(Record):
    """The scenarios an article puts forward (data/options.yml)."""

    scenarios: list[Scenario] = Field(description="In the article's order.")
