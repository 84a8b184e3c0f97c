"""updateMyPreferences: a person changes their own language, and nobody else's."""

from __future__ import annotations

from hub.infrastructure.models import Person
from hub.infrastructure.models.directory import Language
from tests.factories import create_person

UPDATE = """
mutation ($language: Language!) {
  updateMyPreferences(input: {preferredLanguage: $language}) {
    person { name preferredLanguage }
    errors { field code message }
  }
}
"""


async def _language_of(runtime, person_id: int) -> Language:
    async with runtime.sessions() as session:
        return (await session.get_one(Person, person_id)).preferred_language


async def test_a_person_changes_their_own_language(session, gql, runtime):
    # Given a person who reads English, and another
    person = await create_person(session, name="Rosa Parra")
    other = await create_person(session)
    await session.commit()
    # When they choose Spanish
    body = await gql(UPDATE, {"language": "ES"}, as_=person)
    # Then their language is Spanish, and only theirs
    assert body == {
        "data": {
            "updateMyPreferences": {
                "person": {"name": "Rosa Parra", "preferredLanguage": "ES"},
                "errors": [],
            }
        }
    }
    assert await _language_of(runtime, person.id) is Language.ES
    assert await _language_of(runtime, other.id) is Language.EN


async def test_anonymous_callers_are_refused_and_nothing_changes(session, gql, runtime):
    person = await create_person(session)
    await session.commit()

    body = await gql(UPDATE, {"language": "ES"})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await _language_of(runtime, person.id) is Language.EN


async def test_an_unknown_language_is_a_request_error(session, gql, runtime):
    person = await create_person(session)
    await session.commit()

    response = await gql.post(UPDATE, {"language": "FR"}, as_=person)

    assert "errors" in response.json()
    assert await _language_of(runtime, person.id) is Language.EN
