"""The host's tools are for admins and the host organizations' contacts only: a member, an
anonymous caller, a peer's API client and the contact of ANOTHER organization are refused
`messageAttendees` and `registerWalkIn` (nothing changes), read no `messages` and no
attendee's email or phone, and download no attendee CSV, by a bearer token or a signed-in
browser alike."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import func, select

from hub.infrastructure.models import AttendeeMessage, OutboxMessage, Person, Rsvp
from hub.infrastructure.models.convenings import Visibility
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization
from tests.frontend.over_http import sign_in_over_http
from tests.graphql.convenings.documents import gid

MESSAGE = """
mutation ($input: MessageAttendeesInput!) {
  messageAttendees(input: $input) { message { id } errors { field code } }
}"""
WALK_IN = """
mutation ($input: RegisterWalkInInput!) {
  registerWalkIn(input: $input) { rsvp { id } errors { field code } }
}"""
READ = """
query ($id: ID!) {
  node(id: $id) {
    ... on Convening { messages { subject } rsvps(first: 10) { edges { node { email phone } } } }
  }
}"""
REFUSED = ("member", "anonymous", "peer client", "another organization's contact")


async def _world(session, app):
    host = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, host)
    other = await create_contact(session, await create_organization(session, name="Other"))
    member = await create_member(session)
    admin = await create_admin(session)
    convening = await create_convening(session, hosts=[host], visibility=Visibility.PUBLIC)
    attendee = await create_member(
        session, name="Ana Alvarez", email="ana@example.org", phone="555 0101"
    )
    await create_rsvp(session, convening, attendee)
    session.add(
        AttendeeMessage(
            convening_id=convening.id,
            sent_by_id=contact.id,
            audience="GOING",
            subject="Parking",
            text="Behind the hall.",
            recipient_count=1,
            idempotency_key="earlier",
        )
    )
    await session.commit()
    registered = await register_peer(session)
    async with https_client(app) as client:
        peer = await fetch_token(client, registered)
    return {"host": contact, "other": other, "member": member, "admin": admin}, convening, peer


def _token(gql, people, peer, role: str) -> str | None:
    if role == "anonymous":
        return None
    if role == "peer client":
        return peer
    person = people["other"] if role.startswith("another") else people[role]
    return gql.token_for(person)


async def _counts(runtime) -> tuple[int, ...]:
    async with runtime.sessions() as session:
        return tuple(
            [
                int(await session.scalar(select(func.count()).select_from(model)) or 0)
                for model in (AttendeeMessage, OutboxMessage, Person, Rsvp)
            ]
        )


@pytest.mark.parametrize("role", REFUSED)
async def test_the_host_tools_refuse_whoever_is_not_a_host_or_admin(
    role, session, runtime, gql, app
):
    people, convening, peer = await _world(session, app)
    token = _token(gql, people, peer, role)
    convening_id = gid("Convening", convening.id)
    before = await _counts(runtime)

    sent = await gql(
        MESSAGE,
        {
            "input": {
                "conveningId": convening_id,
                "audience": "ALL",
                "subject": "Hi",
                "text": "Hello",
                "key": "x",
            }
        },
        token=token,
    )
    walked = await gql(
        WALK_IN, {"input": {"conveningId": convening_id, "key": "x", "name": "Eve"}}, token=token
    )
    read = await gql(READ, {"id": convening_id}, token=token)

    # Each write is refused (an error, or no object and an error in the payload) ...
    for body, name in ((sent, "messageAttendees"), (walked, "registerWalkIn")):
        payload = (body.get("data") or {}).get(name)
        assert body.get("errors") or (payload and payload["errors"]), body
        assert payload is None or (payload.get("message") or payload.get("rsvp")) is None
    # ... and changes nothing
    assert await _counts(runtime) == before
    # No messages nor attendees' emails or phones are read
    node = read["data"]["node"] if read.get("data") else None
    if node:
        assert node["messages"] is None
        edges = (node["rsvps"] or {"edges": []})["edges"]
        assert [(e["node"]["email"], e["node"]["phone"]) for e in edges] in ([], [(None, None)])


@pytest.mark.parametrize("role", ["host", "admin"])
async def test_hosts_and_admins_read_the_messages_and_the_attendees_contacts(
    role, session, runtime, gql, app
):
    people, convening, _ = await _world(session, app)

    read = await gql(READ, {"id": gid("Convening", convening.id)}, as_=people[role])

    node = read["data"]["node"]
    assert node["messages"] == [{"subject": "Parking"}]
    assert [e["node"] for e in node["rsvps"]["edges"]] == [
        {"email": "ana@example.org", "phone": "555 0101"}
    ]


@pytest.fixture
async def browser_like(app) -> AsyncIterator[httpx.AsyncClient]:
    """A client keeping its cookies, as a browser does (the page session's)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


@pytest.mark.parametrize("role", ["host", "admin"])
async def test_a_signed_in_browser_downloads_the_csv_with_emails_and_phones(
    role, session, runtime, app, browser_like
):
    people, convening, _ = await _world(session, app)
    await sign_in_over_http(browser_like, runtime, people[role])

    response = await browser_like.get(f"/convenings/{gid('Convening', convening.id)}/attendees.csv")

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["person"], r["email"], r["phone"]) for r in rows] == [
        ("Ana Alvarez", "ana@example.org", "555 0101")
    ]


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("other", 403), ("anonymous", 401)])
async def test_a_browser_of_anyone_else_gets_no_csv(
    role, status, session, runtime, app, browser_like
):
    people, convening, _ = await _world(session, app)
    if role != "anonymous":
        await sign_in_over_http(browser_like, runtime, people[role])

    response = await browser_like.get(f"/convenings/{gid('Convening', convening.id)}/attendees.csv")

    assert response.status_code == status
    assert "ana@example.org" not in response.text
    assert "Ana Alvarez" not in response.text


async def test_a_peer_client_gets_no_csv(session, runtime, app, http):
    _, convening, peer = await _world(session, app)

    response = await http.get(
        f"/convenings/{gid('Convening', convening.id)}/attendees.csv",
        headers={"Authorization": f"Bearer {peer}"},
    )

    assert response.status_code in (401, 403)
    assert "ana@example.org" not in response.text
