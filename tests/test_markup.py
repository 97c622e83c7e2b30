"""The inline Markdown policy: what is refused, and that rendering escapes everything else."""

from __future__ import annotations

import pytest

from build_tools.content.markup import markdown_problems, render_inline

ONLY = " is not allowed here (only emphasis, code and links)"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("plain *emphasis*, **strong**, `code` and [a link](https://example.org/a)", []),
        ("[x](javascript:alert(1))", ["link target 'javascript:alert(1)' is not an absolute http(s) URL"]),
        ("[x](file:///etc/passwd)", ["link target 'file:///etc/passwd' is not an absolute http(s) URL"]),
        ("[x](/relative)", ["link target '/relative' is not an absolute http(s) URL"]),
        ("<script>alert(1)</script>", ["raw HTML" + ONLY]),
        ('text <img src=x onerror="alert(1)">', ["raw HTML" + ONLY]),
        ("![img](https://example.org/i.png)", ["images are not allowed here (only emphasis, code and links)"]),
        ("# heading", ["headings are not allowed here (only emphasis, code and links)"]),
        ("- item", ["lists are not allowed here (only emphasis, code and links)"]),
        ("> quote", ["block quotes are not allowed here (only emphasis, code and links)"]),
    ],
)
def test_policy(text: str, problems: list[str]) -> None:
    assert markdown_problems(text) == problems


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "a *b* [c](https://example.org/?q=1&r=2)",
            'a <em>b</em> <a rel="noopener noreferrer" href="https://example.org/?q=1&amp;r=2">c</a>',
        ),
        ("{{ config }} {% raw %} & <b>", "{{ config }} {% raw %} &amp; &lt;b&gt;"),
        ("one\n\ntwo", "<p>one</p>\n<p>two</p>"),
    ],
)
def test_rendering_escapes(text: str, html: str) -> None:
    assert render_inline(text) == html
