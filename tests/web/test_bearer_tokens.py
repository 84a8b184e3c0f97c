"""Bearer tokens of people: good ones identify the viewer; bad ones get a clear 401."""

from __future__ import annotations

import time

from sqlalchemy import delete

from hub.access.auth.tokens import TokenSigner
from hub.infrastructure.models import Person
from tests.factories import create_person

VIEWER = "{ viewer { name } }"


async def refused(gql, token: str) -> dict:
    response = await gql.post(VIEWER, token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    return response.json()


async def test_a_valid_token_names_the_viewer(session, gql):
    person = await create_person(session, name="Itzel")
    await session.commit()

    assert await gql.data(VIEWER, as_=person) == {"viewer": {"name": "Itzel"}}


async def test_an_expired_token_is_refused_clearly(session, gql):
    person = await create_person(session)
    await session.commit()

    body = await refused(gql, gql.token_for(person, lifetime_seconds=-10))

    assert body == {
        "errors": [
            {
                "message": "The token has expired; ask for a new one.",
                "extensions": {"code": "UNAUTHENTICATED"},
            }
        ]
    }


async def test_a_token_that_worked_is_refused_once_it_expires(session, gql, monkeypatch):
    # Given a token used once (its signature then checked and remembered by the process)
    person = await create_person(session, name="Itzel")
    await session.commit()
    token = gql.token_for(person, lifetime_seconds=60)
    assert (await gql(VIEWER, token=token))["data"] == {"viewer": {"name": "Itzel"}}

    # When its minute has passed
    later = time.time() + 120
    monkeypatch.setattr("hub.access.auth.tokens.time.time", lambda: later)

    # Then it is refused as expired, as a token never seen before would be
    body = await refused(gql, token)
    assert body["errors"][0]["message"] == "The token has expired; ask for a new one."


async def test_forged_and_foreign_tokens_are_refused(session, gql, settings):
    person = await create_person(session)
    await session.commit()
    other_secret = TokenSigner("another-hubs-secret-" + "y" * 40, issuer=settings.base_url)
    other_issuer = TokenSigner(settings.secret_key or "", issuer="https://elsewhere.example")

    for token in (
        other_secret.issue(f"person:{person.id}", 600),
        other_issuer.issue(f"person:{person.id}", 600),
        gql.token_for(person)[:-3] + "abc",
        "not.a.token",
    ):
        body = await refused(gql, token)
        assert body["errors"][0]["message"] == "The token is not valid for this hub."


async def test_a_token_of_someone_removed_stops_working(session, gql):
    person = await create_person(session)
    await session.commit()
    token = gql.token_for(person)
    await session.execute(delete(Person).where(Person.id == person.id))
    await session.commit()

    body = await refused(gql, token)

    assert body["errors"][0]["message"] == "The token's person no longer exists."


async def test_a_header_that_is_not_bearer_is_refused(gql, http):
    response = await http.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": "Basic dXNlcjpwYXNz"}
    )

    assert response.status_code == 401
    assert response.json()["errors"][0]["message"] == (
        "Send the token as `Authorization: Bearer <token>`."
    )


async def test_a_token_issued_before_its_person_existed_is_refused(session, gql, monkeypatch):
    # Given a person, and a token for their id issued an hour before they existed (a database
    # restored from a backup hands out ids again, and the tokens of the lost people remain)
    person = await create_person(session, name="Itzel")
    await session.commit()
    an_hour_ago = time.time() - 3600
    monkeypatch.setattr("hub.access.auth.tokens.time.time", lambda: an_hour_ago)
    old_token = gql.token_for(person, lifetime_seconds=7200)
    monkeypatch.undo()

    # When the person signs in with their own token, then the old one is used
    first = await gql(VIEWER, as_=person)
    body = await refused(gql, old_token)

    # Then only their own token names them (the old one on every read path, including a
    # viewer the compiled path remembers for that id)
    assert first["data"] == {"viewer": {"name": "Itzel"}}
    assert body["errors"][0]["message"] == "The token's person no longer exists."
    assert (await gql(VIEWER, as_=person))["data"] == {"viewer": {"name": "Itzel"}}
