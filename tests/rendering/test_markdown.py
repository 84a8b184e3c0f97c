"""Markdown as people write it, rendered to HTML that is safe to show: headings, lists, links
and emphasis render; raw HTML, scripts, event handlers, `javascript:` links and images do not."""

from __future__ import annotations

import pytest

from hub.common.rendering.markdown import markdown_html

pytestmark = pytest.mark.database_independent


def test_headings_lists_emphasis_and_links_render():
    source = (
        "## Why\n\nBecause **equity** and *care*.\n\n"
        "- one\n- two\n\n3. third\n4. fourth\n\n"
        "[The plan](https://example.org/plan) or [write](mailto:staff@example.org)"
    )

    assert markdown_html(source) == (
        "<h2>Why</h2>\n"
        "<p>Because <strong>equity</strong> and <em>care</em>.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n'
        '<p><a href="https://example.org/plan" rel="nofollow noopener">The plan</a> or '
        '<a href="mailto:staff@example.org" rel="nofollow noopener">write</a></p>\n'
    )


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        (
            "<script>window.__pwned = 1</script>",
            "<p>&lt;script&gt;window.__pwned = 1&lt;/script&gt;</p>\n",
        ),
        (
            '<img src="x" onerror="window.__pwned = 1">',
            # Text, not an element: quotes need no escaping between tags.
            '<p>&lt;img src="x" onerror="window.__pwned = 1"&gt;</p>\n',
        ),
        ("[click](javascript:alert(1))", "<p>[click](javascript:alert(1))</p>\n"),
        ("[data](data:text/html,<b>x</b>)", "<p>[data](data:text/html,&lt;b&gt;x&lt;/b&gt;)</p>\n"),
        (
            '<a href="javascript:alert(1)">x</a>',
            '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;</p>\n',
        ),
        ("[vb](vbscript:msgbox)", "<p>[vb](vbscript:msgbox)</p>\n"),
    ],
)
def test_raw_html_and_unsafe_links_come_out_as_text(source, shown):
    assert markdown_html(source) == shown


def test_images_are_off_and_unknown_schemes_lose_their_link():
    assert markdown_html("![tracker](https://example.org/pixel.png)") == (
        '<p>!<a href="https://example.org/pixel.png" rel="nofollow noopener">tracker</a></p>\n'
    )
    # markdown-it links any scheme it does not know to be dangerous; the sanitizer keeps
    # http, https and mailto only.
    assert (
        markdown_html("[chat](irc://example.org/room)")
        == '<p><a rel="nofollow noopener">chat</a></p>\n'
    )


def test_empty_text_renders_nothing():
    assert markdown_html("") == ""
    assert markdown_html(None) == ""
