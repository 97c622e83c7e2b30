"""Synthetic but valid content roots of any size, for benchmarks and for trying the engine out.

Everything is derived from the claim number, so the same N always gives the same files. The
sources point at example.org (reserved for examples): they are not journalism.
"""

from __future__ import annotations

import json
from pathlib import Path

from build_tools.tools.scaffold import init_root

CLAIMS_PER_SEED = 50
VERDICTS = ("accurate", "mostly-accurate", "imprecise", "misleading", "inaccurate", "unverifiable", "not-checkable")
TODAY = "2025-06-30"


def _sentence(seed: int, index: int) -> str:
    return (
        f"Selon la phrase {index} du texte {seed}, le chiffre {index * 7 + seed} figure dans le rapport {seed}-{index}."
    )


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def write_synthetic_root(target: Path, claims: int) -> None:
    init_root(target, [("fr", f"Banc d'essai : {claims} affirmations"), ("en", f"Benchmark: {claims} claims")])
    seeds = (claims + CLAIMS_PER_SEED - 1) // CLAIMS_PER_SEED
    for seed in range(seeds):
        sentences = [_sentence(seed, i) for i in range(CLAIMS_PER_SEED)]
        (target / "seeds" / f"synth-{seed:04d}.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
        (target / "seeds" / f"synth-{seed:04d}.yml").write_text(
            f'id: synth-{seed:04d}\ntitle: Texte synthétique {seed}\nlanguage: fr\npublished: "2025-01-01"\n'
            "publisher: unknown\nurl: unknown\n",
            encoding="utf-8",
        )
    for number in range(claims):
        (target / "claims" / f"claim-{number:05d}.yml").write_text(_claim(number), encoding="utf-8")
    # One timeline event per 20 claims and one question per 50, each resting on a claim.
    listings = (
        ("timeline.yml", f'as_of: "{TODAY}"\nevents', 20, _event),
        ("faq.yml", "questions", 50, _question),
    )
    for name, header, every, item in listings:
        items = "".join(item(n, every) for n in range(claims // every))
        (target / "data" / name).write_text(f"{header}:\n{items or '  []'}\n", encoding="utf-8")


def _seed_of(claim: int) -> str:
    """The article a claim is of: each event and question is of its claim's article, as a desk's are."""
    return f"synth-{claim // CLAIMS_PER_SEED:04d}"


def _event(n: int, every: int) -> str:
    return (
        f'  - id: event-{n:05d}\n    seed: {_seed_of(n * every)}\n    date: "2025-02-{n % 28 + 1:02d}"\n'
        f"    title: {{fr: Événement {n}, en: Event {n}}}\n    text: {{fr: Texte {n}., en: Text {n}.}}\n"
        f"    claims: [claim-{n * every:05d}]\n    sources:\n{_source(n, 6)}"
    )


def _question(n: int, every: int) -> str:
    return (
        f"  - id: question-{n:05d}\n    seed: {_seed_of(n * every)}\n    from_article: false\n"
        f"    question: {{fr: Question {n} ?, en: Question {n}?}}\n"
        f"    answer: {{fr: Réponse {n}., en: Answer {n}.}}\n    claims: [claim-{n * every:05d}]\n"
    )


def _source(number: int, indent: int) -> str:
    pad = " " * indent
    return (
        f'{pad}- title: Rapport {number}\n{pad}  publisher: Éditeur {number % 40}\n{pad}  date: "2025-03-01"\n'
        f"{pad}  url: https://example.org/report/{number}\n{pad}  quote: Le chiffre du rapport {number}.\n"
        f"{pad}  language: fr\n{pad}  stance: supports\n"
    )


def _claim(number: int) -> str:
    seed, index = divmod(number, CLAIMS_PER_SEED)
    verdict = VERDICTS[number % len(VERDICTS)]
    related = f"related: [claim-{number - 1:05d}]\n" if number else ""
    # Two origins for an accurate or inaccurate verdict, as the method asks; one for the others.
    sources = _source(number, 2) + (_source(number + 1, 2) if verdict in ("accurate", "inaccurate") else "")
    return (
        "# yaml-language-server: $schema=../schema/claim.schema.json\n"
        f"id: claim-{number:05d}\nseed: synth-{seed:04d}\nquote: {_q(_sentence(seed, index))}\n"
        f"quote_translation: {{en: {_q(f'According to sentence {index} of text {seed}, a figure appears.')}}}\n"
        f"summary:\n  fr: Affirmation synthétique numéro {number}.\n  en: Synthetic claim number {number}.\n"
        "claimant: {fr: Le texte, en: The text}\n"
        f"conclusion: {{fr: La phrase {index} dit bien le chiffre., en: Sentence {index} does give the figure.}}\n"
        f"topic: general\nverdict: {verdict}\n"
        f"rationale:\n  fr: Justification {number}, avec *emphase* et [un lien](https://example.org/{number}).\n"
        f"  en: Rationale {number}, with *emphasis* and [a link](https://example.org/{number}).\n"
        f'sources:\n{sources}reviewed_on: "{TODAY}"\n{related}'
        f'history:\n  - date: "{TODAY}"\n    verdict: {verdict}\n    note: {{fr: Publication., en: Published.}}\n'
    )
