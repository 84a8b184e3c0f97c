"""A document sent again is not validated again: the guards' rules (depth, aliases) are the
same on every request, so strawberry's ValidationCache finds the document it validated."""

from __future__ import annotations

import uuid

import strawberry.schema.schema as strawberry_schema

from hub.interfaces.graphql.extensions import MAX_DEPTH
from tests.factories import create_person

# A mutation: the compiled read path, which validates in its own way, never takes it.
RSVP = """
mutation ($input: RsvpInput!) { rsvp(input: $input) { errors { code } } }
"""


async def test_the_same_document_is_validated_once(gql, session, monkeypatch):
    person = await create_person(session)
    await session.commit()
    validated = []
    real_validate = strawberry_schema.validate

    def counting_validate(*args, **kwargs):
        validated.append(args[1])
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(strawberry_schema, "validate", counting_validate)
    # A text no earlier test sent, so that no earlier request validated it already
    document = f"{RSVP} # {uuid.uuid4()}"
    variables = {"input": {"conveningId": "Q29udmVuaW5nOjk5OTk5", "status": "GOING"}}

    answers = [await gql(document, variables, as_=person) for _ in range(3)]

    assert [a["data"]["rsvp"]["errors"][0]["code"] for a in answers] == ["UNKNOWN_CONVENING"] * 3
    assert len(validated) == 1


async def test_the_guards_still_refuse_a_document_sent_again(gql):
    nested = "affiliations { organization { " * 6 + "name" + " } }" * 6
    document = f"{{ organizations {{ edges {{ node {{ {nested} }} }} }} }} # {uuid.uuid4()}"

    answers = [await gql(document) for _ in range(2)]

    message = f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"
    assert [a["errors"][0]["message"] for a in answers] == [message, message]
