"""The secret ballot walk: seven kinds of viewer read every path that shows a proposal or its
votes (GraphQL, the proposal page, the committee meeting's projector, the decisions page and
CSV, the audit trail, the outbox's emails and webhooks), while the ballot is open and after
its close, and none of them learns a seat's choice: only counts. Beside it a RECORDED
ballot, read the same way, shows its seats' choices: the walk would see a leak. And each
voter's receipt verifies."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from hub.domains.governance import meetings
from hub.infrastructure.models import OutboxMessage, WebhookSubscription
from hub.infrastructure.models.directory import OrganizationKind
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.frontend.over_http import plain, sign_in_over_http
from tests.governance.factories import admin_viewer, create_committee, create_proposal
from tests.governance.meeting_factories import check_in_at, create_meeting
from tests.governance.test_receipts import CAST, CHECK, CLOSE

OPEN = """
mutation ($input: OpenVotingInput!) { openVoting(input: $input) { errors { code } } }
"""

CHOICE_WORD = re.compile(r"\b(yes|no|abstain|block)\b", re.IGNORECASE)
SEAT_FIELDS = "seat { id organization { name } }"
PROPOSAL_FIELDS = f"""
  id status ballot
  tally {{ yes no abstain block seatsVoted outcome }}
  votes {{ choice reason castAs {SEAT_FIELDS} castBy {{ name }} }}
"""
READS = {
    "node": f"query ($id: ID!) {{ node(id: $id) {{ ... on Proposal {{ {PROPOSAL_FIELDS} }} }} }}",
    "decisionRegister": f"{{ decisionRegister {{ edges {{ node {{ {PROPOSAL_FIELDS} }} }} }} }}",
    "proposals": f"{{ proposals {{ edges {{ node {{ {PROPOSAL_FIELDS} }} }} }} }}",
    "committee": "{ committee { id organization { name } } }",
    "governanceEvents": f"""{{ governanceEvents(first: 100) {{ edges {{ node {{
        action detail proposal {{ id }} {SEAT_FIELDS} }} }} }} }}""",
    "committeeMeeting": f"""query ($meetingId: ID!) {{ committeeMeeting(meetingId: $meetingId) {{
        agenda {{ proposal {{ {PROPOSAL_FIELDS} }} }}
        currentItem {{ proposal {{ {PROPOSAL_FIELDS} }} }} }} }}""",
    "outbox": "{ outbox(first: 100) { edges { node { kind subject recipientAddress } } } }",
}


def leaks_in_json(tree: Any, seats: set[str]) -> list[str]:
    """Every object of the answer that names a seat and holds a choice: a `choice` set, or a
    choice word in its own text."""
    found = []
    if isinstance(tree, dict):
        own_text = " ".join(str(v) for k, v in tree.items() if isinstance(v, str) and k != "name")
        names_seat = any(name in json.dumps(tree) for name in seats)
        if names_seat and (tree.get("choice") or CHOICE_WORD.search(own_text)):
            found.append(json.dumps(tree))
        for value in tree.values():
            found += leaks_in_json(value, seats)
    elif isinstance(tree, list):
        for item in tree:
            found += leaks_in_json(item, seats)
    return found


def leaks_in_text(page: str, seats: set[str]) -> list[str]:
    """Every row, item or paragraph of a page (or line of a CSV) that names a seat and a choice."""
    chunks = re.split(r"<(?:tr|li|p|div|dd|dt|section|article)\b|\n", page)
    return [
        text
        for text in (plain(chunk) for chunk in chunks)
        if CHOICE_WORD.search(text) and any(name in text for name in seats)
    ]


def of(body: dict[str, Any], gid: str) -> Any:
    """The answer's parts about this proposal: lists of many keep only its rows."""
    data = body["data"] or {}
    for name in ("decisionRegister", "proposals", "governanceEvents"):
        if data.get(name):
            nodes = [edge["node"] for edge in data[name]["edges"]]
            data[name] = [
                n for n in nodes if gid in (n.get("id"), (n.get("proposal") or {}).get("id"))
            ]
    return data


async def arrange(session, app):
    committee = await create_committee(session, 5)
    admin = await create_admin(session)
    ally_org = await create_organization(session, kind=OrganizationKind.ALLY)
    ally = await create_person(session)
    await affiliate(session, ally, ally_org)
    member_org = await create_organization(session)
    member = await create_person(session)
    await affiliate(session, member, member_org)
    secret, recorded = await create_proposal(session), await create_proposal(session)
    meetings_of = {}
    for proposal in (secret, recorded):
        meeting = meetings_of[proposal.id] = await create_meeting(session)
        for seated in committee:
            await check_in_at(session, meeting, seated.holder, admin)
        await meetings.set_agenda(
            session, admin_viewer(admin), meeting.id, [proposal.id], now=datetime.now(UTC)
        )
    await session.commit()
    registered = await register_peer(session)
    session.add(
        WebhookSubscription(
            client_id=registered.client.id,
            url="https://peer.example/hook",
            event_types=["proposal.adopted", "proposal.rejected"],
            secret="whsec_walk",
        )
    )
    await session.commit()
    async with https_client(app) as client:
        peer_token = await fetch_token(client, registered)
    people = {
        "ally person": ally,
        "member": member,
        "committee member who voted": committee[0].holder,
        "another committee member": committee[4].holder,
        "admin": admin,
    }
    return committee, secret, recorded, people, peer_token, meetings_of


async def open_in_meeting(gql, admin, proposal, meeting, ballot: str) -> None:
    opening = {
        "proposalId": str(to_global_id("Proposal", proposal.id)),
        "rule": "MAJORITY",
        "quorum": 0.5,
        "ballot": ballot,
        "closesAt": (datetime.now(UTC) + timedelta(hours=1)).isoformat(),
        "meetingId": str(to_global_id("Convening", meeting.id)),
    }
    opened = await gql.data(OPEN, {"input": opening}, as_=admin)
    assert opened["openVoting"]["errors"] == []


async def vote_all(gql, committee, proposal) -> dict[str, str | None]:
    """Four seats vote YES, NO, ABSTAIN, YES (the last after changing from NO): each receipt
    code with the choice it should show counted (None: the replaced one)."""
    codes: dict[str, str | None] = {}
    last: dict[int, str] = {}
    plan = [(0, "YES"), (1, "NO"), (2, "ABSTAIN"), (3, "NO"), (3, "YES")]
    for index, choice in plan:
        variables = {
            "input": {"proposalId": to_global_id("Proposal", proposal.id), "choice": choice}
        }
        answer = (await gql.data(CAST, variables, as_=committee[index].holder))["castVote"]
        assert answer["errors"] == []
        if answer["receiptCode"]:
            if index in last:
                codes[last[index]] = None
            codes[answer["receiptCode"]] = choice
            last[index] = answer["receiptCode"]
    return codes


async def walk(gql, app, runtime, meeting, proposal, people, peer_token, seats) -> list[str]:
    """Every leak any viewer finds on every path, as (viewer, path, what)."""
    gid = str(to_global_id("Proposal", proposal.id))
    mid = str(to_global_id("Convening", meeting.id))
    tokens = {"anonymous": None, "peer API client": peer_token}
    tokens |= {role: gql.token_for(person) for role, person in people.items()}
    leaks = []
    for role, token in tokens.items():
        for path, query in READS.items():
            body = await gql(query, {"id": gid, "meetingId": mid}, token=token)
            codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
            assert "GRAPHQL_VALIDATION_FAILED" not in codes, (role, path, body)
            leaks += [f"{role} {path}: {leak}" for leak in leaks_in_json(of(body, gid), seats)]
    for role, person in {"anonymous": None, **people}.items():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
            if person is not None:
                await sign_in_over_http(http, runtime, person)
            pages = (f"/proposals/{gid}", f"/convenings/{mid}/projector/live", "/decisions")
            for url in (*pages, "/decisions.csv"):
                page = await http.get(url)
                assert page.status_code in (200, 303, 404), (role, url, page.status_code)
                leaks += [f"{role} {url}: {leak}" for leak in leaks_in_text(page.text, seats)]
    async with runtime.sessions() as reader:
        for message in await reader.scalars(select(OutboxMessage)):
            if not re.search(rf"{re.escape(proposal.title)}\b|{gid}", json.dumps(message.payload)):
                continue
            found = leaks_in_json(message.payload, seats)
            leaks += [f"outbox {message.channel} {message.kind}: {leak}" for leak in found]
    return leaks


async def test_no_viewer_on_any_path_learns_a_seat_s_secret_choice(session, gql, app, runtime):
    # Given a SECRET and a RECORDED ballot, both voted by the same four seats
    committee, secret, recorded, people, peer_token, meetings_of = await arrange(session, app)
    await open_in_meeting(gql, people["admin"], secret, meetings_of[secret.id], "SECRET")
    await open_in_meeting(gql, people["admin"], recorded, meetings_of[recorded.id], "RECORDED")
    seats = {seated.organization.name for seated in committee}
    codes = await vote_all(gql, committee, secret)
    assert await vote_all(gql, committee, recorded) == {}

    async def walk_of(proposal) -> list[str]:
        meeting = meetings_of[proposal.id]
        return await walk(gql, app, runtime, meeting, proposal, people, peer_token, seats)

    # While open: no path shows a secret choice, and the recorded one's do show
    assert await walk_of(secret) == []
    assert await walk_of(recorded) != []

    # After both close: still none for the secret ballot, only its counts
    for proposal in (secret, recorded):
        variables = {"id": to_global_id("Proposal", proposal.id)}
        assert (await gql.data(CLOSE, variables, as_=people["admin"]))["closeVoting"] == {
            "errors": []
        }
    assert await walk_of(secret) == []
    recorded_leaks = await walk_of(recorded)
    assert any(leak.startswith("member /proposals/") for leak in recorded_leaks)
    assert any(leak.startswith("admin node:") for leak in recorded_leaks)
    assert any(leak.startswith("admin committeeMeeting:") for leak in recorded_leaks)
    assert any("/projector/live" in leak for leak in recorded_leaks)
    tally = await gql.data(
        "query ($id: ID!) { node(id: $id) { ... on Proposal { tally {"
        " yes no abstain block seatsVoted } } } }",
        {"id": to_global_id("Proposal", secret.id)},
        as_=people["admin"],
    )
    assert tally["node"]["tally"] == {
        "yes": 2,
        "no": 1,
        "abstain": 1,
        "block": 0,
        "seatsVoted": 4,
    }

    # And each voter's receipt verifies, and no path shows a receipt code
    for code, choice in codes.items():
        variables = {"id": to_global_id("Proposal", secret.id), "code": code}
        check = (await gql.data(CHECK, variables))["ballotReceipt"]
        assert check == {"ballotClosed": True, "counted": choice is not None, "choice": choice}
    assert list(codes.values()).count(None) == 1
    async with runtime.sessions() as reader:
        messages = list(await reader.scalars(select(OutboxMessage)))
    payloads = json.dumps([m.payload for m in messages])
    assert [code for code in codes if code in payloads] == []
    # (the walk read real emails and webhooks about the secret ballot)
    gid = str(to_global_id("Proposal", secret.id))
    mentions = re.compile(rf"{re.escape(secret.title)}\b|{gid}")
    about_it = {str(m.channel) for m in messages if mentions.search(json.dumps(m.payload))}
    assert about_it >= {"EMAIL", "WEBHOOK"}, about_it
