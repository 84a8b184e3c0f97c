"""Markdown written by people (proposal bodies, amendments, comments) as HTML safe to show.

markdown-it-py renders CommonMark with raw HTML off (a `<script>` typed into a body comes out
as text) and images off (a picture from elsewhere would tell its host who read the page);
nh3 then keeps only the tags and attributes below, so whatever the renderer lets through,
no script, event handler or `javascript:` link reaches a page or an email.
"""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = frozenset(
    {
        *(f"h{level}" for level in range(1, 7)),
        "p",
        "br",
        "hr",
        "ul",
        "ol",
        "li",
        "blockquote",
        "pre",
        "code",
        "em",
        "strong",
        "s",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.disable("image")
    return parser


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )


def markdown_html(source: str | None) -> Markup:
    """The Markdown as sanitized HTML, marked safe for Jinja (it is already escaped)."""
    if not source:
        return Markup("")
    return Markup(_cleaner().clean(_parser().render(source)))
