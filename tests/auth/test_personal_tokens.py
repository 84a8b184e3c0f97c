"""Making personal access tokens through the API: every mistake reported at once, nothing made;
and the last use written coarsely, not on every request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from hub.access.auth.personal_tokens import READ, make_personal_token
from hub.infrastructure.models import PersonalAccessToken
from tests.factories import create_person

CREATE = """
mutation ($input: CreatePersonalAccessTokenInput!) {
  createPersonalAccessToken(input: $input) { token { name } secret errors { field code message } }
}"""
REVOKE = """
mutation ($id: ID!) {
  revokePersonalAccessToken(input: {id: $id}) { token { name } errors { field code } }
}"""


async def count_tokens(session) -> int:
    count = await session.scalar(select(func.count()).select_from(PersonalAccessToken))
    await session.commit()
    return int(count or 0)


async def test_bad_input_is_reported_field_by_field_and_makes_nothing(session, gql):
    # Given a signed-in person
    person = await create_person(session)
    await session.commit()
    past = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    too_far = (datetime.now(UTC) + timedelta(days=400)).isoformat()

    # When they ask for tokens with an empty name and a past expiry, only WRITE and too far
    # off, and revoke a malformed id
    empty = await gql(
        CREATE, {"input": {"name": "  ", "scopes": ["READ"], "expiresAt": past}}, as_=person
    )
    write_only = await gql(
        CREATE,
        {"input": {"name": "x" * 101, "scopes": ["WRITE"], "expiresAt": too_far}},
        as_=person,
    )
    malformed = await gql(REVOKE, {"id": "not-an-id"}, as_=person)

    # Then every mistake is named, with its field and code, and no token exists
    assert empty["data"]["createPersonalAccessToken"] == {
        "token": None,
        "secret": None,
        "errors": [
            {"field": "name", "code": "REQUIRED", "message": "Name the token."},
            {
                "field": "expiresAt",
                "code": "EXPIRY_IN_THE_PAST",
                "message": "Choose an expiry in the future.",
            },
        ],
    }
    codes = [e["code"] for e in write_only["data"]["createPersonalAccessToken"]["errors"]]
    assert codes == ["TOO_LONG", "INVALID_SCOPES", "EXPIRY_TOO_FAR"]
    assert malformed["data"]["revokePersonalAccessToken"] == {
        "token": None,
        "errors": [{"field": "id", "code": "NOT_FOUND"}],
    }
    assert await count_tokens(session) == 0


async def test_the_last_use_is_written_at_most_once_a_minute(session, gql):
    # Given a token never used
    person = await create_person(session)
    now = datetime.now(UTC)
    made = await make_personal_token(
        session,
        person_id=person.id,
        name="x",
        scopes=frozenset({READ}),
        expires_at=now + timedelta(days=1),
        now=now,
    )
    token_id = made.token.id
    await session.commit()

    # When it is used, its last use forgotten, and it is used again at once
    await gql("{ viewer { id } }", token=made.secret)
    first = await session.scalar(
        select(PersonalAccessToken.last_used_at).where(PersonalAccessToken.id == token_id)
    )
    await session.execute(
        update(PersonalAccessToken)
        .where(PersonalAccessToken.id == token_id)
        .values(last_used_at=None)
    )
    await session.commit()
    await gql("{ viewer { id } }", token=made.secret)
    second = await session.scalar(
        select(PersonalAccessToken.last_used_at).where(PersonalAccessToken.id == token_id)
    )
    await session.commit()

    # Then the first use was written, and the second (within the minute) was not
    assert first is not None and now <= first <= datetime.now(UTC)
    assert second is None
