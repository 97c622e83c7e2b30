"""The inline Markdown policy: what is refused, and that rendering escapes everything else."""

from __future__ import annotations

import pytest

from build_tools.content.markup import (
    is_http_url,
    link_targets,
    markdown_problems,
    parsed_markdown_problems,
    render_inline,
)

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


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("http://example.org/a", True),
        ("https://example.org/a?q=1", True),
        ("HTTPS://example.org/", True),  # the scheme is case-insensitive
        ("//example.org/a", False),  # protocol-relative: no scheme
        ("ftp://example.org/file", False),
        ("https://", False),  # no host
        ("https:///path", False),
        ("https://example.org/a b", False),
        ("https://example.org/a\tb", False),
        ("https://[::1/", False),  # unparseable
        ("javascript:alert(1)", False),
    ],
)
def test_is_http_url(url: str, accepted: bool) -> None:
    assert is_http_url(url) is accepted


@pytest.mark.parametrize(
    "text",
    [
        "A plain sentence, with a [simple link](https://example.org/a).",
        "[one](https://example.org/1) and [two](http://example.org/2)",
        "# heading",
        "- item",
        "1. first",
        "text <b>bold</b>",
        "![img](https://example.org/i.png)",
        "[x](//example.org/a)",
        "two spaces  \nmake a hard break",
        "    indented code",
        "***",
        "Title\n===",
        "> quote with [a link](javascript:x)",
        "a `code` span and *emphasis*",
        "[x](ftp://example.org/file) <i>and</i> `code`",
    ],
)
def test_the_quick_path_gives_the_parser_s_answer(text: str) -> None:
    assert markdown_problems(text) == parsed_markdown_problems(text)


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("[x](//example.org/a)", ["link target '//example.org/a' is not an absolute http(s) URL"]),
        ("- one\n- two\n\n1. three", ["lists" + ONLY.replace(" is ", " are ")]),
        ("<b>x</b> and <i>y</i>", ["raw HTML" + ONLY]),  # each kind once, however often it occurs
        ("two spaces  \nmake a hard break", ["hard line breaks are" + ONLY.removeprefix(" is")]),
        ("    indented code", ["code blocks are" + ONLY.removeprefix(" is")]),
        ("```\nfenced\n```", ["code blocks are" + ONLY.removeprefix(" is")]),
        ("***", ["horizontal rules are" + ONLY.removeprefix(" is")]),
        ("Title\n===", ["headings are" + ONLY.removeprefix(" is")]),
        ("> *quoted* with `code`", ["block quotes are" + ONLY.removeprefix(" is")]),
        ("# heading with <b>html</b>", ["headings are" + ONLY.removeprefix(" is"), "raw HTML" + ONLY]),
    ],
)
def test_each_construct_is_refused_once_by_name(text: str, problems: list[str]) -> None:
    assert markdown_problems(text) == problems


def test_link_targets_are_the_links_only() -> None:
    text = "See [a](https://example.org/a), ![i](https://example.org/i.png) and [b](javascript:x)."
    assert link_targets(text) == ["https://example.org/a", "javascript:x"]
    assert link_targets("no link, https://example.org/bare") == []


LINKS = (
    '<a rel="noopener noreferrer" href="https://example.org/a">a</a> and '
    '<a rel="noopener noreferrer" href="https://example.org/b">b</a>'
)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("", ""),
        ("*one* paragraph", "<em>one</em> paragraph"),
        ("`a` then\n\n*b*", "<p><code>a</code> then</p>\n<p><em>b</em></p>"),
        ("[a](https://example.org/a) and [b](https://example.org/b)", LINKS),
    ],
)
def test_one_paragraph_renders_bare_and_several_keep_their_tags(text: str, html: str) -> None:
    assert render_inline(text) == html
