"""The coverage report: every sentence of a seed article, with the claims that account for it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from build_tools.checks.coverage import seed_coverage, split_sentences
from build_tools.content.resolve import check_root
from conftest import REPO, REPO_TODAY, Run


def test_sentences_repeats_and_headings() -> None:
    text = (
        "Titre court\nLa paix vs. la guerre est un choix. Est-ce vrai ?\n"
        "Label : une phrase répétée.\nune phrase répétée.\n"
    )
    sentences = split_sentences(text)
    assert [(s.text, s.heading) for s in sentences] == [
        ("Titre court", True),
        ("La paix vs. la guerre est un choix.", False),
        ("Est-ce vrai ?", False),
        ("Label : une phrase répétée.", False),
        ("une phrase répétée.", False),
    ]


def test_relabelled_line_counts_as_a_repeat(minimal_root: Path) -> None:
    seed = minimal_root / "seeds/demo.txt"
    seed.write_text(
        seed.read_text(encoding="utf-8") + "Label : une phrase répétée.\nune phrase répétée.\n", encoding="utf-8"
    )
    dataset = check_root(minimal_root).dataset
    assert dataset is not None
    sentences = seed_coverage(dataset, "demo").sentences
    assert [s.repeat_of for s in sentences[-2:]] == [None, len(sentences) - 2]


def test_fixture_coverage(minimal_root: Path, cli: Callable[..., Run]) -> None:
    run = cli("coverage", "--root", minimal_root, "--fail-under", "100")
    assert run.code == 1
    assert run.out.splitlines() == [
        "# demo: 2/3 sentences accounted for (66.7 %)",
        "  1. [NO CLAIM] Un article de démonstration.",
        "  2. [bridge-length] Le ministre a déclaré que le pont mesure 1 200 mètres.",
        "  3. [good-news] Selon l’auteur, c’est « une bonne nouvelle » pour la région.",
    ]
    assert cli("coverage", "--root", minimal_root).code == 0


def test_repo_article_is_fully_accounted_for() -> None:
    dataset = check_root(REPO, REPO_TODAY).dataset
    assert dataset is not None
    report = seed_coverage(dataset, "000_15e9420a4c454b8b")
    missing = [s.text for s in report.counted if not s.claims]
    assert missing == []
    assert len(report.counted) == 30
