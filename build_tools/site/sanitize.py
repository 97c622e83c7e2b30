"""The one sanitiser hand-written pages go through on their way to the site.

``check`` refuses what the page policy forbids (script, frames, event handlers, other schemes),
reading the Markdown as it is written. Markdown and HTML have more ways to say a thing than a check
can list (a CDATA section, a comment's odd ends, a reference link, attributes in an indented list),
so the HTML MkDocs makes of a hand-written page, or of a generated page's introduction, is also
cleaned by an allow-list sanitiser (``nh3``, Rust's ammonia) before the theme places it: only the
elements and attributes below survive, and addresses only as http(s), mailto or relative links.
Generated HTML comes from autoescaping templates and is not passed through it.
"""

from __future__ import annotations

import nh3

# Image maps go (their areas carry addresses of their own); task-list checkboxes stay.
_TAGS = (nh3.ALLOWED_TAGS - {"area", "map"}) | {"input", "label"}
# Every element may carry these: ids are anchors MkDocs and the table of contents use; classes
# style admonitions, code highlighting and permalinks; title and lang are read by assistive technology.
_EVERYWHERE = {"id", "class", "title", "lang", "dir"}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": _EVERYWHERE,
    **{tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed", "type"},
    "th": {"scope", "colspan", "rowspan", "headers", "align"},
    "td": {"colspan", "rowspan", "headers", "align"},
    "time": {"datetime"},
    "input": {"type", "checked", "disabled"},  # task lists: [x] renders a disabled checkbox
    "label": {"for"},
}
_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str) -> str:
    """``html`` with every element, attribute and address outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=None,  # relative links stay as MkDocs wrote them
        strip_comments=True,
    )
