"""Which sentences of a seed article are accounted for by a claim, and which are not.

A sentence is accounted for when a claim's quote overlaps it. A sentence the article repeats
(its flattened layout duplicates some lines) counts once: the repeat is listed with the first.
Short lines without final punctuation are headings, listed but not counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from build_tools.content.dataset import Dataset
from build_tools.content.quotes import fold

# A sentence ends at . ? or ! before a space or the end of the line, except after "vs".
_SENTENCE = re.compile(r"(?:[^.?!]|(?<=\bvs)\.)+(?:[.?!]+(?=\s|$)|$)")
_HEADING_MAX_WORDS = 8


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    claims: list[str] = field(default_factory=list)
    heading: bool = False
    repeat_of: int | None = None  # index of the first occurrence of a repeated sentence


@dataclass
class SeedCoverage:
    seed: str
    sentences: list[Sentence]

    @property
    def counted(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.heading and s.repeat_of is None]

    @property
    def percent(self) -> float:
        counted = self.counted
        return 100.0 * sum(bool(s.claims) for s in counted) / len(counted) if counted else 100.0


def split_sentences(text: str) -> list[Sentence]:
    sentences: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        for match in _SENTENCE.finditer(line.group()):
            raw = match.group()
            stripped = raw.strip(" :\t")
            if not stripped:
                continue
            start = line.start() + match.start() + raw.index(stripped)
            heading = not re.search(r"[.?!]$", stripped) and len(stripped.split()) <= _HEADING_MAX_WORDS
            sentences.append(Sentence(start, start + len(stripped), stripped, heading=heading))
    return sentences


def seed_coverage(dataset: Dataset, seed_id: str) -> SeedCoverage:
    article = dataset.seeds[seed_id]
    sentences = split_sentences(article.text.original)
    first_seen: dict[str, int] = {}
    for index, sentence in enumerate(sentences):
        key = fold(sentence.text)
        previous = fold(sentences[index - 1].text) if index else ""
        if key in first_seen:
            sentence.repeat_of = first_seen[key]
        elif previous.endswith(key) and len(key) < len(previous):
            # The flattened layout repeats a labelled line without its label ("X : text" then "text").
            sentence.repeat_of = index - 1
        else:
            first_seen[key] = index
    spans = sorted(
        (span, claim_id) for claim_id, span in dataset.quote_spans.items() if dataset.claims[claim_id].seed == seed_id
    )
    for sentence in sentences:
        sentence.claims = [
            claim_id for (start, end), claim_id in spans if start < sentence.end and sentence.start < end
        ]
    for sentence in sentences:
        if sentence.repeat_of is not None and not sentence.claims:
            sentence.claims = sentences[sentence.repeat_of].claims
    return SeedCoverage(seed_id, sentences)


def coverage_report(dataset: Dataset) -> str:
    lines: list[str] = []
    for seed_id in sorted(dataset.seeds):
        report = seed_coverage(dataset, seed_id)
        counted = report.counted
        covered = sum(bool(s.claims) for s in counted)
        lines.append(f"# {seed_id}: {covered}/{len(counted)} sentences accounted for ({report.percent:.1f} %)")
        for number, sentence in enumerate(report.sentences, start=1):
            if sentence.heading:
                status = "heading"
            elif sentence.repeat_of is not None:
                status = f"repeat of {sentence.repeat_of + 1}"
            else:
                status = ", ".join(sentence.claims) if sentence.claims else "NO CLAIM"
            excerpt = sentence.text if len(sentence.text) <= 90 else sentence.text[:87] + "..."
            lines.append(f"{number:3}. [{status}] {excerpt}")
    return "\n".join(lines) + "\n"
