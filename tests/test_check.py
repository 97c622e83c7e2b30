"""`check` on small content trees: each rejection reported once, at its exact file, line and column."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from build_tools.problems import Problem, format_problems
from conftest import Run

B = "claims/bridge-length.yml"
SOURCES_BLOCK = """sources:
  - title: Fiche du pont
    publisher: Registre des ouvrages
    date: "2024-12-01"
    url: https://example.org/bridge
    archive_url: https://example.org/archive/bridge
    quote: "Longueur : 1 180 m"
    language: fr
    stance: supports
"""

# (id, file to edit, text to replace, replacement, every line `check` must print)
CASES = [
    (
        "misspelt field",
        B,
        "\nverdict: mostly",
        "\nverdikt: mostly",
        [
            f"{B}:2:1: error: missing required field 'verdict' [missing-field]",
            f"{B}:14:1: error: unknown field 'verdikt'; did you mean 'verdict'? [unknown-field]",
        ],
    ),
    (
        "wrong type",
        B,
        'claimed_on: "2025-01-09"',
        "claimed_on: 2025",
        [
            f"{B}:12:13: error: 'claimed_on' should be text, not a number [wrong-type]",
        ],
    ),
    (
        "missing translation",
        B,
        "  en: The bridge is 1,200 metres long.\n",
        "",
        [
            f"{B}:7:3: error: missing English (en) text for 'summary' [missing-translation]",
        ],
    ),
    (
        "impossible date",
        B,
        'date: "2024-12-01"',
        'date: "2025-02-30"',
        [
            f"{B}:21:11: error: 'sources[0].date': '2025-02-30' is not a real calendar date [bad-value]",
        ],
    ),
    (
        "date not ISO",
        B,
        'claimed_on: "2025-01-09"',
        'claimed_on: "09/01/2025"',
        [
            f"{B}:12:13: error: 'claimed_on': '09/01/2025' is not a date written YYYY-MM-DD [bad-value]",
        ],
    ),
    (
        "date in the future",
        B,
        'claimed_on: "2025-01-09"',
        'claimed_on: "2999-01-09"',
        [
            f"{B}:12:13: error: 'claimed_on' is 2999-01-09, which is in the future [date-in-future]",
        ],
    ),
    (
        "source after review",
        B,
        'date: "2024-12-01"',
        'date: "2025-01-20"',
        [
            f"{B}:21:11: error: source dated 2025-01-20 is later than reviewed_on 2025-01-12 [source-after-review]",
        ],
    ),
    (
        "javascript url",
        B,
        "url: https://example.org/bridge",
        "url: javascript:alert(1)",
        [
            f"{B}:22:10: error: 'sources[0].url': 'javascript:alert(1)' is not an absolute http(s) URL [bad-value]",
        ],
    ),
    (
        "data url in markdown",
        B,
        "(https://example.org/bridge).\n  en",
        "(data:text/html,x).\n  en",
        [
            f"{B}:16:7: error: 'rationale.fr': link target 'data:text/html,x' is not an absolute http(s) URL "
            "[bad-value]",
        ],
    ),
    (
        "raw html in markdown",
        B,
        "Le registre donne",
        "Le registre <img src=x onerror=alert(1)> donne",
        [
            f"{B}:16:7: error: 'rationale.fr': raw HTML is not allowed here (only emphasis, code and links) "
            "[bad-value]",
        ],
    ),
    (
        "placeholder",
        B,
        "  fr: Le ministre",
        "  fr: TODO",
        [
            f"{B}:10:7: error: 'claimant.fr': replace the placeholder 'TODO' with real text [bad-value]",
        ],
    ),
    (
        "id differs from file name",
        B,
        "id: bridge-length",
        "id: bridge",
        [
            f"{B}:2:5: error: id 'bridge' differs from the file name 'bridge-length.yml'; make them equal "
            "[id-mismatch]",
        ],
    ),
    (
        "id with a path",
        B,
        "id: bridge-length",
        "id: ../bridge",
        [
            f"{B}:2:5: error: 'id' is '../bridge'; expected lower-case letters and digits joined by single hyphens, "
            "e.g. 'trump-putin-call' [bad-format]",
        ],
    ),
    (
        "id with a homoglyph",
        B,
        "id: bridge-length",
        "id: bridge-l\u0435ngth",
        [
            f"{B}:2:5: error: 'id' is 'bridge-l\u0435ngth'; expected lower-case letters and digits joined by single "
            "hyphens, e.g. 'trump-putin-call' (it contains characters that are not plain ASCII: U+0435 CYRILLIC "
            "SMALL LETTER IE) [bad-format]",
        ],
    ),
    (
        "quote not in the seed",
        B,
        "quote: le pont mesure 1 200 mètres",
        "quote: le pont mesure 1 300 mètres",
        [
            f"{B}:4:8: error: quote not found in seeds/demo.txt; closest passage at seeds/demo.txt:1:56: "
            "«le pont mesure 1 200 mètres.» [quote-not-found]",
        ],
    ),
    (
        "unknown verdict",
        B,
        "verdict: mostly-accurate\nrationale",
        "verdict: mostly-acurate\nrationale",
        [
            f"{B}:14:10: error: no verdict with id 'mostly-acurate'; did you mean 'mostly-accurate'? [unknown-verdict]",
            f"{B}:14:10: error: verdict is 'mostly-acurate' but the last history entry says 'mostly-accurate'; add a "
            "history entry that records the change [verdict-without-history]",
        ],
    ),
    (
        "unknown topic",
        B,
        "topic: statements",
        "topic: weather",
        [
            f"{B}:13:8: error: no topic with id 'weather' [unknown-topic]",
        ],
    ),
    (
        "unknown seed",
        B,
        "seed: demo",
        "seed: other",
        [
            f"{B}:3:7: error: no seed article 'other' in seeds/ [unknown-seed]",
        ],
    ),
    (
        "sourced verdict without source",
        B,
        SOURCES_BLOCK,
        "sources: []\n",
        [
            f"{B}:14:10: error: verdict 'mostly-accurate' needs at least one source [no-source]",
        ],
    ),
    (
        "unknown field with no close match",
        B,
        "seed: demo\n",
        "seed: demo\nzzz: 1\n",
        [
            f"{B}:4:1: error: unknown field 'zzz'; known fields: id, seed, quote, quote_translation, summary, "
            "claimant, claimant_ref, claimed_on, topic, verdict, conclusion, rationale, sources, reviewed_on, related, "
            "since, history [unknown-field]",
        ],
    ),
    (
        "unknown related claim",
        B,
        "related: [good-news]",
        "related: [good-newz]",
        [
            f"{B}:28:11: error: no claim with id 'good-newz'; did you mean 'good-news'? [unknown-claim]",
        ],
    ),
    (
        "self reference",
        B,
        "related: [good-news]",
        "related: [good-news, bridge-length]",
        [
            f"{B}:28:22: error: a claim cannot be related to itself [self-reference]",
        ],
    ),
    (
        "verdict changed without history",
        B,
        "verdict: mostly-accurate\nrationale",
        "verdict: accurate\nrationale",
        [
            f"{B}:14:10: error: verdict is 'accurate' but the last history entry says 'mostly-accurate'; add a history "
            "entry that records the change [verdict-without-history]",
            f"{B}:19:3: warning: 'accurate' rests on fewer than two independent origins (Registre des ouvrages); "
            "cite a second "
            "where one exists (pages that republish one agency's story count once) [single-origin]",
        ],
    ),
    (
        "unknown claim in the FAQ",
        "data/faq.yml",
        "claims: [bridge-length]",
        "claims: [bridge]",
        [
            "data/faq.yml:10:14: error: no claim with id 'bridge'; did you mean 'bridge-length'? [unknown-claim]",
        ],
    ),
    (
        "unknown claim in the timeline",
        "data/timeline.yml",
        "claims: [bridge-length]",
        "claims: [nope]",
        [
            "data/timeline.yml:11:14: error: no claim with id 'nope' [unknown-claim]",
        ],
    ),
    (
        "scenario not in the seed",
        "data/options.yml",
        "quote: c’est « une",
        "quote: ce n'est pas « une",
        [
            "data/options.yml:5:12: error: quote not found in seeds/demo.txt; closest passage at seeds/demo.txt:3:7: "
            "«l’auteur, c’est « une bonne nouvelle » pour la région.» [quote-not-found]",
        ],
    ),
    (
        "duplicate event id",
        "data/timeline.yml",
        "id: minister-speaks",
        "id: register-updated",
        [
            "data/timeline.yml:20:9: error: id 'register-updated' is used twice [duplicate-id]",
        ],
    ),
    (
        "empty history",
        "claims/good-news.yml",
        'history:\n  - date: "2025-01-11"\n    verdict: not-checkable\n    note: {fr: Publication., en: Published.}',
        "history: []",
        [
            "claims/good-news.yml:17:10: error: 'history' needs at least 1 item(s) [too-short]",
        ],
    ),
    (
        "id longer than a slug may be",
        B,
        "topic: statements",
        "topic: " + "statements-" * 8,
        [
            f"{B}:13:8: error: 'topic' is longer than 80 characters [too-long]",
        ],
    ),
    (
        "history out of order",
        B,
        '  - date: "2025-01-12"',
        '  - date: "2025-01-10"',
        [
            f"{B}:33:11: error: history entries must be oldest first [history-order]",
        ],
    ),
    (
        "rated verdict without a rating",
        "data/verdicts.yml",
        "rating_value: 5\n",
        "rating_value: null\n",
        [
            "data/verdicts.yml:12:19: error: a rated, sourced verdict needs a rating_value [rating]",
        ],
    ),
    (
        "rating above the best",
        "data/verdicts.yml",
        "rating_value: 5\n",
        "rating_value: 6\n",
        [
            "data/verdicts.yml:12:19: error: rating_value must lie between 1 and 5 [rating]",
        ],
    ),
    (
        "rating below the worst",
        "data/verdicts.yml",
        "rating_value: 1\n",
        "rating_value: 0\n",
        [
            "data/verdicts.yml:52:19: error: rating_value must lie between 1 and 5 [rating]",
        ],
    ),
    (
        "rating for a verdict that is not checkable",
        "data/verdicts.yml",
        "rating_value: null\n    checkable: false",
        "rating_value: 3\n    checkable: false",
        [
            "data/verdicts.yml:72:19: error: a verdict that is not checkable has no rating [rating]",
        ],
    ),
    (
        "stance outside the list",
        B,
        "stance: supports",
        "stance: agrees",
        [
            f"{B}:26:13: error: 'sources[0].stance' must be 'supports', 'contradicts' or 'context', not 'agrees' "
            "[bad-value]",
        ],
    ),
]


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the edit must match exactly once in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize(("rel", "old", "new", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_rejection_is_located(
    minimal_root: Path, cli: Callable[..., Run], rel: str, old: str, new: str, expected: list[str]
) -> None:
    _edit(minimal_root, rel, old, new)
    run = cli("check", "--root", minimal_root)
    assert run.code == 1
    errors = sum(": error: " in line for line in expected)
    assert run.err.splitlines() == [*expected, f"{errors} error(s); nothing was written"]


def test_clean_root_passes(minimal_root: Path, cli: Callable[..., Run]) -> None:
    run = cli("check", "--root", minimal_root)
    assert (run.code, run.out, run.err) == (0, "ok: 2 claim(s), 1 seed article(s)\n", "")


def test_all_problems_are_reported_in_one_run(minimal_root: Path, cli: Callable[..., Run]) -> None:
    _edit(minimal_root, B, "topic: statements", "topic: weather")
    _edit(minimal_root, "claims/good-news.yml", "verdict: not-checkable\nrationale", "verdict: nope\nrationale")
    run = cli("check", "--root", minimal_root)
    assert [line.split(": error")[0] for line in run.err.splitlines()[:-1]] == [
        f"{B}:13:8",
        "claims/good-news.yml:12:10",
        "claims/good-news.yml:12:10",
    ]


def test_duplicate_quote(minimal_root: Path, cli: Callable[..., Run]) -> None:
    text = (minimal_root / "claims/good-news.yml").read_text(encoding="utf-8")
    (minimal_root / "claims/good-news-again.yml").write_text(
        text.replace("id: good-news", "id: good-news-again"), encoding="utf-8"
    )
    run = cli("check", "--root", minimal_root)
    assert run.err.splitlines()[0] == (
        "claims/good-news.yml:3:8: error: claim 'good-news-again' already checks this exact quote [duplicate-quote]"
    )


def test_unreadable_seed_text(minimal_root: Path, cli: Callable[..., Run]) -> None:
    (minimal_root / "seeds/demo.txt").unlink()
    run = cli("check", "--root", minimal_root)
    assert run.code == 1
    assert run.err.splitlines() == [
        f"{B}:3:7: error: no seed article 'demo' in seeds/ [unknown-seed]",
        "claims/good-news.yml:2:7: error: no seed article 'demo' in seeds/ [unknown-seed]",
        "data/options.yml:4:11: error: no seed article 'demo' in seeds/ [unknown-seed]",
        "seeds/demo.txt:0:0: error: cannot read file: No such file or directory [unreadable]",
        "4 error(s); nothing was written",
    ]


def test_stray_files_and_missing_scale(minimal_root: Path, cli: Callable[..., Run]) -> None:
    (minimal_root / "claims/extra.yaml").write_text("id: extra\n", encoding="utf-8")
    (minimal_root / "data/verdicts.yml").unlink()
    run = cli("check", "--root", minimal_root)
    assert run.err.splitlines() == [
        "claims/extra.yaml:0:0: error: claims/ holds only .yml files; rename it or move it elsewhere [unexpected-file]",
        "data/verdicts.yml:0:0: error: data/verdicts.yml is required and does not exist [missing-file]",
        "2 error(s); nothing was written",
    ]


def test_github_format_annotates_and_escapes(minimal_root: Path, cli: Callable[..., Run]) -> None:
    _edit(minimal_root, B, "topic: statements", "topic: weather")
    run = cli("check", "--root", minimal_root, "--format", "github")
    assert run.code == 1
    assert run.out.splitlines() == [
        "::error file=claims/bridge-length.yml,line=13,col=8,title=unknown-topic::no topic with id 'weather'",
    ]


def test_github_annotation_escapes_data_and_properties() -> None:
    # Workflow commands: data escapes %, CR and LF; properties also escape ':' and ','. The content's own
    # control characters are written out first (a CR or LF in a file name or message is shown, not obeyed).
    problem = Problem("claims/a:b,c%d\r\n.yml", 3, 0, "odd:code,x%\r\n", "50% done\r\nthen: a, b")
    assert problem.as_github() == (
        "::error file=claims/a%3Ab%2Cc%25d\\r\\n.yml,line=3,col=1,title=odd%3Acode%2Cx%25%0D%0A"
        "::50%25 done\\r\\nthen: a, b"
    )
    warning = Problem("f.yml", 0, 0, "c", "%0A is literal", "warning")
    assert format_problems([warning, problem], "github").splitlines() == [problem.as_github(), warning.as_github()]
    assert warning.as_github() == "::warning file=f.yml,line=1,col=1,title=c::%250A is literal"


def test_json_format(minimal_root: Path, cli: Callable[..., Run]) -> None:
    _edit(minimal_root, B, "topic: statements", "topic: weather")
    run = cli("check", "--root", minimal_root, "--format", "json")
    assert json.loads(run.out) == [
        {
            "path": B,
            "line": 13,
            "col": 8,
            "code": "unknown-topic",
            "message": "no topic with id 'weather'",
            "severity": "error",
        }
    ]


def test_usage_errors_exit_2(tmp_path: Path, cli: Callable[..., Run]) -> None:
    assert cli("check", "--root", tmp_path / "absent").code == 2
    assert cli("check", "--format", "xml").code == 2
    assert cli("frobnicate").code == 2


def test_a_crash_is_exit_3_with_one_line(
    minimal_root: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom\n  on two lines")

    monkeypatch.setattr("build_tools.outcome.check_root", broken)
    run = cli("check", "--root", minimal_root)
    assert (run.code, run.out) == (3, "")
    assert run.err == "internal error: RuntimeError: boom on two lines (a bug in build_tools)\n"
