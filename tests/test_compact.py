"""The theme's whitespace between tags folded away, and nothing else touched."""

from __future__ import annotations

import re

import pytest

from build_tools.site.compact import compact_html


def test_blank_lines_and_indentation_between_tags_become_one_line_break() -> None:
    page = '<nav>\n    \n  <ul class="x">\n\n      <li>\n        <a href="/">Home</a>\n      </li>\n  </ul>\n</nav>'
    assert compact_html(page) == '<nav>\n<ul class="x">\n<li>\n<a href="/">Home</a>\n</li>\n</ul>\n</nav>'


def test_whitespace_on_one_line_and_text_are_kept() -> None:
    # No line break in the run: it may be an author's spacing between inline elements; left as written.
    page = "<p><em>a</em>   <strong>b</strong>\n   text with\n   line breaks   <span>c</span></p>"
    assert compact_html(page) == page


@pytest.mark.parametrize("tag", ["pre", "textarea", "code", "kbd", "script", "style", "PRE"])
def test_elements_that_keep_their_whitespace_are_left_as_written(tag: str) -> None:
    kept = f'<{tag} class="k">\n  <b>x</b>\n\n    <i>y</i>\n</{tag}>'
    page = f"<div>\n\n  {kept}\n\n  <p>after</p>\n</div>"
    assert compact_html(page) == f"<div>\n{kept}\n<p>after</p>\n</div>"


def test_what_a_browser_reads_is_unchanged() -> None:
    """Outside the kept elements, every whitespace run still renders as one space or nothing."""
    page = "<div>\n  <span>a</span>\n\n   <span>b</span>\n</div>\n<pre>\n x\n\n  y\n</pre>"

    def rendered(html: str) -> str:
        pre = re.findall(r"<pre>.*?</pre>", html, re.S)
        outside = re.sub(r"<pre>.*?</pre>", "", html, flags=re.S)
        return re.sub(r"\s+", " ", outside) + "".join(pre)

    assert rendered(compact_html(page)) == rendered(page)
    assert len(compact_html(page)) < len(page)
