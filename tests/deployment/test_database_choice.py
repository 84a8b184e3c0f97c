"""Which GraphQL requests count as reads (and may go to a replica): queries only."""

from __future__ import annotations

import pytest

from hub.interfaces.web.database_choice import CACHED_DOCUMENT_CHARS, is_query

pytestmark = pytest.mark.database_independent

BOTH = "query Look { viewer { name } } mutation Change { signOut { ok } }"


@pytest.mark.parametrize(
    ("document", "operation_name", "reads"),
    [
        ("{ viewer { name } }", None, True),
        ("query Look { viewer { name } }", "Look", True),
        ("mutation { rsvp(input: {}) { errors { code } } }", None, False),
        ("subscription { changes }", None, False),
        (BOTH, "Look", True),
        (BOTH, "Change", False),
        (BOTH, None, False),  # no operation is chosen: the primary reports it
        (BOTH, "Missing", False),
        ("{ viewer { name }", None, False),  # does not parse
        ("", None, False),
    ],
)
def test_only_a_query_reads(document, operation_name, reads):
    assert is_query(document, operation_name) is reads


def test_a_long_document_is_judged_alike_without_being_kept():
    padding = "# " + "x" * CACHED_DOCUMENT_CHARS + "\n"

    assert is_query(padding + "{ viewer { name } }", None) is True
    assert is_query(padding + "mutation { signOut { ok } }", None) is False
