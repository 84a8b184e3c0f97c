"""`updateMyProfile`: a person changes their own name, phone, language and email choices;
each bad field gets its error and nothing changes."""

from __future__ import annotations

from sqlalchemy import select

from hub.infrastructure.models import EmailOptOut, Person
from tests.factories import create_person

UPDATE = """
mutation ($input: UpdateMyProfileInput!) {
  updateMyProfile(input: $input) {
    person { name phone preferredLanguage }
    emailCategories
    errors { field code }
  }
}"""


async def stored(runtime, person_id: int) -> tuple:
    async with runtime.sessions() as session:
        person = await session.get_one(Person, person_id)
        stops = sorted(
            await session.scalars(
                select(EmailOptOut.category).where(EmailOptOut.person_id == person_id)
            )
        )
        return person.name, person.phone, str(person.preferred_language), stops


async def test_a_person_changes_their_profile(session, runtime, gql):
    person = await create_person(session, name="Rosa Parra")
    await session.commit()
    given = {
        "name": "  Rosa María Parra ",
        "phone": "+1 213 555 0100",
        "preferredLanguage": "ES",
        "emailCategories": ["HOST_MESSAGES"],
    }
    data = await gql.data(UPDATE, {"input": given}, as_=person)
    assert data["updateMyProfile"] == {
        "person": {
            "name": "Rosa María Parra",
            "phone": "+1 213 555 0100",
            "preferredLanguage": "ES",
        },
        "emailCategories": ["HOST_MESSAGES"],
        "errors": [],
    }
    assert await stored(runtime, person.id) == (
        "Rosa María Parra",
        "+1 213 555 0100",
        "es",
        ["committee_notices", "reminders"],
    )
    # Choosing them again turns them back on; a field left out stays as it was
    data = await gql.data(
        UPDATE, {"input": {"emailCategories": ["REMINDERS", "HOST_MESSAGES"]}}, as_=person
    )
    assert data["updateMyProfile"]["emailCategories"] == ["REMINDERS", "HOST_MESSAGES"]
    assert await stored(runtime, person.id) == (
        "Rosa María Parra",
        "+1 213 555 0100",
        "es",
        ["committee_notices"],
    )


async def test_bad_input_gets_each_field_s_error_and_changes_nothing(session, runtime, gql):
    person = await create_person(session, name="Rosa Parra", phone="555 0100")
    await session.commit()
    before = await stored(runtime, person.id)
    for name, phone, expected in [
        ("", "call me", [("name", "REQUIRED"), ("phone", "INVALID")]),
        ("Rosa\x07", "555 0101", [("name", "INVALID_CHARACTERS")]),
        ("x" * 201, "555 0101", [("name", "TOO_LONG")]),
    ]:
        given = {"name": name, "phone": phone, "emailCategories": []}
        data = await gql.data(UPDATE, {"input": given}, as_=person)
        errors = [(e["field"], e["code"]) for e in data["updateMyProfile"]["errors"]]
        assert errors == expected
        assert data["updateMyProfile"]["person"] is None
        assert await stored(runtime, person.id) == before
