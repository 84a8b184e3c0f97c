"""`decisionRegister` over HTTP: decided proposals with outcome and tally, their actions, the
public slice for anonymous callers and peers' clients, and the two mutations."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from hub.infrastructure.models import AuditEvent, FollowUpAction
from hub.infrastructure.models.governance import Ballot, VoteChoice
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import register_peer
from tests.factories import create_admin
from tests.governance.factories import create_committee, create_proposal
from tests.governance.register_factories import create_action, create_decision

YES, NO = VoteChoice.YES, VoteChoice.NO
REGISTER = """{ decisionRegister(first: 10) { totalCount edges { node {
  title status meeting { id } closedAt
  tally { final seatsVoted yes no outcome }
  votes { choice }
  actions { what status dueOn notes organization { name } } } } } }"""
ADD = """mutation ($input: AddFollowUpActionInput!) { addFollowUpAction(input: $input) {
  action { what status dueOn notes } errors { field code } } }"""
UPDATE = """mutation ($input: UpdateFollowUpActionInput!) { updateFollowUpAction(input: $input) {
  action { what status notes } errors { field code } } }"""


def gid(kind: str, pk: int) -> str:
    return str(to_global_id(kind, pk))


async def decided(session):
    seats = await create_committee(session, 3)
    admin = await create_admin(session)
    adopted = await create_decision(session, admin, seats, [YES, YES, NO], sponsor=seats[0])
    rejected = await create_decision(session, admin, seats, [NO, NO, YES], ballot=Ballot.SECRET)
    await create_proposal(session, title="Still in discussion")
    await create_action(session, adopted, seats[1].organization.id, due_on=date(2027, 3, 1))
    await create_action(session, rejected, seats[2].organization.id)
    await session.commit()
    return seats, admin, adopted, rejected


async def test_members_see_every_decision_with_outcome_tally_and_actions(session, gql):
    seats, _, adopted, rejected = await decided(session)

    data = await gql.data(REGISTER, as_=seats[0].holder)

    nodes = [edge["node"] for edge in data["decisionRegister"]["edges"]]
    assert data["decisionRegister"]["totalCount"] == 2
    assert [(n["title"], n["status"]) for n in nodes] == [
        (adopted.title, "ADOPTED"),
        (rejected.title, "REJECTED"),
    ]
    assert nodes[0]["tally"] == {
        "final": True,
        "seatsVoted": 3,
        "yes": 2,
        "no": 1,
        "outcome": "ADOPTED",
    }
    assert nodes[1]["tally"] == {
        "final": True,
        "seatsVoted": 3,
        "yes": 1,
        "no": 2,
        "outcome": "REJECTED",
    }
    # A secret ballot's votes never carry a seat's choice.
    assert {v["choice"] for v in nodes[1]["votes"]} == {None}
    assert nodes[0]["actions"] == [
        {
            "what": "Report back",
            "status": "OPEN",
            "dueOn": "2027-03-01",
            "notes": "Private note",
            "organization": {"name": seats[1].organization.name},
        }
    ]


async def test_anonymous_and_peer_clients_see_the_adopted_slice_without_notes(
    session, gql, runtime
):
    _, _, adopted, _ = await decided(session)
    peer = await register_peer(session)
    await session.commit()
    token = runtime.signer.issue(f"client:{peer.client.client_id}", 60, frozenset({"peer:read"}))

    for body in (await gql(REGISTER), await gql(REGISTER, token=token)):
        register = body["data"]["decisionRegister"]
        assert register["totalCount"] == 1
        (node,) = [edge["node"] for edge in register["edges"]]
        assert node["title"] == adopted.title
        assert [a["notes"] for a in node["actions"]] == [None]


async def test_a_sponsor_adds_and_an_admin_updates_an_action_in_the_audit_trail(session, gql):
    seats, admin, adopted, _ = await decided(session)
    owner = gid("Organization", seats[2].organization.id)
    audits = await session.scalar(select(func.count()).select_from(AuditEvent))
    await session.commit()

    added = await gql.data(
        ADD,
        {
            "input": {
                "proposalId": gid("Proposal", adopted.id),
                "what": " Publish the plan ",
                "organizationId": owner,
                "dueOn": "2027-01-15",
            }
        },
        as_=seats[0].alternate,
    )
    assert added["addFollowUpAction"] == {
        "action": {
            "what": "Publish the plan",
            "status": "OPEN",
            "dueOn": "2027-01-15",
            "notes": "",
        },
        "errors": [],
    }
    action_id = await session.scalar(select(func.max(FollowUpAction.id)))
    await session.commit()
    updated = await gql.data(
        UPDATE,
        {
            "input": {
                "actionId": gid("FollowUpAction", action_id),
                "status": "DONE",
                "notes": "Sent",
            }
        },
        as_=admin,
    )
    assert updated["updateFollowUpAction"] == {
        "action": {"what": "Publish the plan", "status": "DONE", "notes": "Sent"},
        "errors": [],
    }
    actions = (
        await session.scalars(select(AuditEvent.action).order_by(AuditEvent.id).offset(audits))
    ).all()
    assert actions == ["FOLLOW_UP_ACTION_ADDED", "FOLLOW_UP_ACTION_UPDATED"]


async def test_bad_input_is_refused_with_a_code_and_changes_nothing(session, gql):
    seats, admin, adopted, _ = await decided(session)
    undecided = await create_proposal(session)
    action = await create_action(session, adopted, seats[1].organization.id)
    await session.commit()
    owner = gid("Organization", seats[1].organization.id)
    cases = [
        (
            ADD,
            {"proposalId": gid("Proposal", adopted.id), "what": "  ", "organizationId": owner},
            "what",
            "REQUIRED",
        ),
        (
            ADD,
            {
                "proposalId": gid("Proposal", adopted.id),
                "what": "x",
                "organizationId": gid("Organization", 999999),
            },
            "organizationId",
            "UNKNOWN_ORGANIZATION",
        ),
        (
            ADD,
            {"proposalId": gid("Proposal", undecided.id), "what": "x", "organizationId": owner},
            "proposalId",
            "NOT_DECIDED",
        ),
        (UPDATE, {"actionId": gid("FollowUpAction", action.id), "what": ""}, "what", "REQUIRED"),
        (UPDATE, {"actionId": gid("FollowUpAction", 999999)}, "actionId", "UNKNOWN_ACTION"),
    ]
    for document, values, field, code in cases:
        before = await session.scalar(select(func.count()).select_from(AuditEvent))
        await session.commit()
        body = await gql.data(document, {"input": values}, as_=admin)
        (payload,) = body.values()
        assert payload == {"action": None, "errors": [{"field": field, "code": code}]}, values
        assert await session.scalar(select(func.count()).select_from(AuditEvent)) == before
        await session.commit()
    await session.refresh(action)
    assert (action.what, action.status.value) == ("Report back", "OPEN")
    assert await session.scalar(select(func.count()).select_from(FollowUpAction)) == 3
