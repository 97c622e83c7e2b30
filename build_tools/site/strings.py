"""Every fixed text the generated pages show, in both site languages."""

from __future__ import annotations

from build_tools.content.model import Language

LANGUAGE_NAMES: dict[Language, str] = {"fr": "Français", "en": "English"}

_MONTHS: dict[Language, tuple[str, ...]] = {
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}

_TEXT: dict[str, dict[Language, str]] = {
    "claims": {"fr": "Affirmations vérifiées", "en": "Fact-checked claims"},
    "claims_intro": {
        "fr": "Chaque affirmation de l'article, avec notre verdict.",
        "en": "Every statement of the article, with our verdict.",
    },
    "filter_label": {"fr": "Afficher le verdict", "en": "Show verdict"},
    "filter_all": {"fr": "Tous les verdicts", "en": "All verdicts"},
    "col_claim": {"fr": "Affirmation", "en": "Claim"},
    "col_verdict": {"fr": "Verdict", "en": "Verdict"},
    "col_topic": {"fr": "Thème", "en": "Topic"},
    "count": {"fr": "{n} affirmation(s)", "en": "{n} claim(s)"},
    "quote": {"fr": "Ce que dit l'article", "en": "What the article says"},
    "translation": {"fr": "Traduction", "en": "Translation"},
    "claimant": {"fr": "Auteur de l'affirmation", "en": "Made by"},
    "claimed_on": {"fr": "le", "en": "on"},
    "in_article": {"fr": "Voir le passage dans l'article du", "en": "See the passage in the article of"},
    "verdict": {"fr": "Verdict", "en": "Verdict"},
    "rationale": {"fr": "Justification", "en": "Rationale"},
    "sources": {"fr": "Sources", "en": "Sources"},
    "no_sources": {"fr": "Aucune source : voir la justification.", "en": "No source: see the rationale."},
    "archive": {"fr": "copie archivée", "en": "archived copy"},
    "stance_supports": {"fr": "confirme", "en": "supports"},
    "stance_contradicts": {"fr": "contredit", "en": "contradicts"},
    "stance_context": {"fr": "contexte", "en": "context"},
    "related": {"fr": "Affirmations liées", "en": "Related claims"},
    "reviewed_on": {"fr": "Vérifié le", "en": "Reviewed on"},
    "history": {"fr": "Historique et corrections", "en": "History and corrections"},
    "edit": {"fr": "Modifier cette affirmation", "en": "Edit this claim"},
    "source_file": {"fr": "Fichier source", "en": "Source file"},
    "topic": {"fr": "Thème", "en": "Topic"},
    "article": {"fr": "L'article annoté", "en": "The annotated article"},
    "article_intro": {
        "fr": "Le texte de l'article tel que publié. Chaque passage surligné mène à sa vérification ; "
        "la couleur et le libellé au survol donnent le verdict.",
        "en": "The article's text as published, in French. Each highlighted passage leads to its check, "
        "where it is translated; the verdict is given by the link's label as well as its colour.",
    },
    "published": {"fr": "Publié le", "en": "Published on"},
    "publisher": {"fr": "Éditeur", "en": "Publisher"},
    "unknown": {"fr": "inconnu", "en": "unknown"},
    "faq": {"fr": "Questions fréquentes", "en": "Frequently asked questions"},
    "from_article": {"fr": "Question posée par l'article", "en": "Question asked by the article"},
    "rests_on": {"fr": "Cette réponse s'appuie sur", "en": "This answer rests on"},
    "timeline": {"fr": "Chronologie", "en": "Timeline"},
    "as_of": {"fr": "À jour au", "en": "As of"},
    "bears_on": {"fr": "Affirmations concernées", "en": "Claims concerned"},
    "options": {"fr": "Options et scénarios", "en": "Options and scenarios"},
    "options_intro": {
        "fr": "Les options A, B et C sont des scénarios proposés par l'auteur de l'article, pas des faits "
        "rapportés. Pour chacune : ce qu'elle suppose et ce qu'en disent les sources.",
        "en": "Options A, B and C are scenarios put forward by the article's author, not reported facts. "
        "For each: what it assumes and what the sources say about it.",
    },
    "scenario_quote": {"fr": "Le scénario tel que l'article le formule", "en": "The scenario as the article puts it"},
    "premises": {"fr": "Ce qu'en disent les sources", "en": "What the sources say"},
    "depends_on": {"fr": "Affirmations dont il dépend", "en": "Claims it depends on"},
    "bibliography": {"fr": "Sources", "en": "Sources"},
    "bibliography_intro": {
        "fr": "Toutes les sources consultées, par éditeur.",
        "en": "Every source consulted, by publisher.",
    },
    "cited_by": {"fr": "Citée par", "en": "Cited by"},
    "methodology": {"fr": "Méthode", "en": "Methodology"},
    "scale": {"fr": "L'échelle des verdicts", "en": "The verdict scale"},
    "rating": {"fr": "Note ClaimReview", "en": "ClaimReview rating"},
    "not_rated": {"fr": "non notée", "en": "not rated"},
    "definition": {"fr": "Définition", "en": "Definition"},
    "corrections": {"fr": "Corrections", "en": "Corrections"},
    "corrections_intro": {
        "fr": "Chaque changement de verdict, avec sa date et sa raison.",
        "en": "Every change of verdict, with its date and reason.",
    },
    "no_corrections": {"fr": "Aucune correction à ce jour.", "en": "No correction so far."},
    "changed": {"fr": "Verdict changé de {old} à {new}", "en": "Verdict changed from {old} to {new}"},
    "updated": {"fr": "Mise à jour sans changement de verdict", "en": "Update without change of verdict"},
    "nothing_yet": {"fr": "Rien pour l'instant.", "en": "Nothing yet."},
    "feed_title": {"fr": "Vérifications mises à jour", "en": "Updated fact-checks"},
}


def t(key: str, lang: Language, **values: object) -> str:
    text = _TEXT[key][lang]
    return text.format(**values) if values else text


def format_date(iso: str, lang: Language) -> str:
    year, month, day = (int(part) for part in iso.split("-"))
    name = _MONTHS[lang][month - 1]
    if lang == "fr":
        return f"{'1er' if day == 1 else day} {name} {year}"
    return f"{day} {name} {year}"


def colon(lang: Language) -> str:
    """French typography puts a non-breaking space before a colon; English does not."""
    return "\u00a0:" if lang == "fr" else ":"
