"""`updatedSince` and `deletedSince` through HTTP, as a peer's client and as people see them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from hub.access.auth.viewer import Viewer
from hub.domains.convenings import schedule
from hub.domains.governance import proposals as proposal_service
from hub.infrastructure.models import Convening, Tombstone
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import Visibility
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_admin
from tests.governance.factories import create_proposal, create_seat
from tests.sync.polling import EPOCH, peer_token

CONVENINGS = """
query ($since: DateTime!, $first: Int, $after: String) {
  convenings(updatedSince: $since, first: $first, after: $after) {
    edges { cursor node { id title updatedAt } } pageInfo { hasNextPage endCursor }
  }
}
"""
TOMBSTONES = """
query ($since: DateTime!) {
  deletedSince(since: $since) { totalCount edges { node { id typename reason occurredAt } } }
}
"""


def gid(type_name: str, pk: int) -> str:
    return str(to_global_id(type_name, pk))


async def tombstone_count(session) -> int:
    count = await session.scalar(select(func.count()).select_from(Tombstone))
    await session.commit()
    return int(count or 0)


async def test_updated_since_lists_changes_in_the_order_they_happened(session, gql, app):
    # Given three public convenings, the first of which changes last
    admin = await create_admin(session)
    first, second, third = [
        await create_convening(session, visibility=Visibility.PUBLIC) for _ in range(3)
    ]
    await session.commit()
    edit = schedule.ConveningChanges(title="Renamed")
    await schedule.update_convening(
        session, Viewer(person_id=admin.id, is_admin=True), first.id, edit
    )
    await session.commit()
    token = await peer_token(app, session)

    # When the peer pages through the changes two at a time
    body = await gql(CONVENINGS, {"since": EPOCH, "first": 2}, token=token)
    page = body["data"]["convenings"]
    rest = await gql(
        CONVENINGS,
        {"since": EPOCH, "first": 2, "after": page["pageInfo"]["endCursor"]},
        token=token,
    )

    # Then they come oldest change first, the renamed one last
    ids = [e["node"]["id"] for e in page["edges"] + rest["data"]["convenings"]["edges"]]
    assert ids == [gid("Convening", c.id) for c in (second, third, first)]
    assert rest["data"]["convenings"]["edges"][0]["node"]["title"] == "Renamed"
    assert rest["data"]["convenings"]["pageInfo"]["hasNextPage"] is False


async def test_updated_since_leaves_out_what_did_not_change(session, gql, app):
    # Given a convening changed before the peer's last poll
    await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()
    token = await peer_token(app, session)
    later = (utcnow() + timedelta(seconds=1)).isoformat()

    # When the peer asks for changes since then
    body = await gql(CONVENINGS, {"since": later}, token=token)

    # Then there are none
    assert body["data"]["convenings"]["edges"] == []


async def test_a_cancelled_convening_becomes_a_tombstone_for_the_peer(session, gql, app):
    # Given a public convening the peer has read, cancelled by an admin
    admin = await create_admin(session)
    convening = await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()
    token = await peer_token(app, session)
    await schedule.cancel_convening(
        session, Viewer(person_id=admin.id, is_admin=True), convening.id
    )
    await session.commit()

    # When the peer polls
    changed = await gql(CONVENINGS, {"since": EPOCH}, token=token)
    gone = await gql(TOMBSTONES, {"since": EPOCH}, token=token)

    # Then the convening left the sync list and came back as a CANCELLED tombstone
    assert changed["data"]["convenings"]["edges"] == []
    (edge,) = gone["data"]["deletedSince"]["edges"]
    assert edge["node"]["id"] == gid("Convening", convening.id)
    assert (edge["node"]["typename"], edge["node"]["reason"]) == ("Convening", "CANCELLED")


async def test_moving_a_convening_to_members_hides_it_from_the_peer_only(session, gql, app):
    # Given a public convening, made MEMBERS-only by an admin
    admin = await create_admin(session)
    member = await create_member(session)
    convening = await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()
    token = await peer_token(app, session)
    edit = schedule.ConveningChanges(visibility=Visibility.MEMBERS)
    await schedule.update_convening(
        session, Viewer(person_id=admin.id, is_admin=True), convening.id, edit
    )
    await session.commit()

    # When the peer and a member read the tombstones
    for_peer = await gql(TOMBSTONES, {"since": EPOCH}, token=token)
    for_member = await gql.data(TOMBSTONES, {"since": EPOCH}, as_=member)

    # Then the peer is told it is HIDDEN; the member, who still sees it, is told nothing
    (edge,) = for_peer["data"]["deletedSince"]["edges"]
    assert (edge["node"]["id"], edge["node"]["reason"]) == (
        gid("Convening", convening.id),
        "HIDDEN",
    )
    assert for_member["deletedSince"] == {"totalCount": 0, "edges": []}


async def test_a_members_only_convening_cancelled_is_never_told_to_the_peer(session, gql, app):
    # Given a MEMBERS convening the peer never saw, cancelled
    admin = await create_admin(session)
    member = await create_member(session)
    convening = await create_convening(session, visibility=Visibility.MEMBERS)
    await session.commit()
    token = await peer_token(app, session)
    await schedule.cancel_convening(
        session, Viewer(person_id=admin.id, is_admin=True), convening.id
    )
    await session.commit()

    # When both read the tombstones
    for_peer = await gql(TOMBSTONES, {"since": EPOCH}, token=token)
    for_member = await gql.data(TOMBSTONES, {"since": EPOCH}, as_=member)

    # Then only the member, who saw it, learns of it
    assert for_peer["data"]["deletedSince"] == {"totalCount": 0, "edges": []}
    assert [e["node"]["reason"] for e in for_member["deletedSince"]["edges"]] == ["CANCELLED"]


async def test_a_withdrawn_proposal_is_a_tombstone_for_members_not_for_the_peer(session, gql, app):
    # Given a proposal in DISCUSSION, withdrawn by a committee member
    seated = await create_seat(session)
    member = await create_member(session)
    proposal = await create_proposal(session, status=ProposalStatus.DISCUSSION)
    await session.commit()
    token = await peer_token(app, session)
    changes = proposal_service.ProposalChanges(status=ProposalStatus.WITHDRAWN)
    await proposal_service.update_proposal(
        session, seated.holder_viewer, proposal.id, changes, now=utcnow()
    )
    await session.commit()

    # When the member and the peer read the tombstones
    for_member = await gql.data(TOMBSTONES, {"since": EPOCH}, as_=member)
    for_peer = await gql(TOMBSTONES, {"since": EPOCH}, token=token)

    # Then the member learns it was WITHDRAWN; the peer, who never saw it, learns nothing
    (edge,) = for_member["deletedSince"]["edges"]
    assert (edge["node"]["id"], edge["node"]["reason"]) == (
        gid("Proposal", proposal.id),
        "WITHDRAWN",
    )
    assert for_peer["data"]["deletedSince"]["edges"] == []


async def test_an_rsvp_raises_the_convenings_updated_at(session, gql, app):
    # Given a public convening the peer has read
    member = await create_member(session)
    convening = await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()
    token = await peer_token(app, session)
    before = (await gql(CONVENINGS, {"since": EPOCH}, token=token))["data"]["convenings"]

    # When a member answers GOING
    rsvp = """mutation ($id: ID!) { rsvp(input: {conveningId: $id, status: GOING}) {
        errors { code } } }"""
    assert (await gql.data(rsvp, {"id": gid("Convening", convening.id)}, as_=member))["rsvp"][
        "errors"
    ] == []

    # Then its counts changed and so did its updatedAt: a poll since then finds it
    since = before["edges"][0]["node"]["updatedAt"]
    after = await gql(CONVENINGS, {"since": since}, token=token)
    (edge,) = after["data"]["convenings"]["edges"]
    assert edge["node"]["updatedAt"] > since


async def test_organizations_and_proposals_take_updated_since(session, gql, app):
    # Given an adopted proposal and the peer's own organization
    await create_proposal(session, status=ProposalStatus.ADOPTED, title="Adopted")
    await create_proposal(session, status=ProposalStatus.DISCUSSION)
    await session.commit()
    token = await peer_token(app, session)
    query = """query ($since: DateTime!) {
        organizations(updatedSince: $since) { edges { node { name } } }
        proposals(updatedSince: $since) { edges { node { title status } } } }"""

    # When the peer reads both lists' changes
    body = await gql(query, {"since": EPOCH}, token=token)

    # Then it gets the organization (on either read path) and only the public proposal
    assert body["data"]["organizations"]["edges"] == [{"node": {"name": "Florida Peer"}}]
    assert body["data"]["proposals"]["edges"] == [
        {"node": {"title": "Adopted", "status": "ADOPTED"}}
    ]


async def test_a_malformed_updated_since_is_a_clear_error_and_changes_nothing(session, gql, app):
    # Given a peer and a convening
    await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()
    token = await peer_token(app, session)
    before = await tombstone_count(session)

    # When it sends a time that is not one
    body = await gql(CONVENINGS, {"since": "last tuesday"}, token=token)

    # Then the error names the variable and the expected format, and nothing was written
    (error,) = body["errors"]
    assert body.get("data") is None
    assert "$since" in error["message"] and "DateTime" in error["message"]
    assert "last tuesday" in error["message"]
    assert await tombstone_count(session) == before
    async with gql.runtime.sessions() as fresh:
        assert await fresh.scalar(select(func.count()).select_from(Convening)) == 1


async def test_a_cursor_of_the_other_ordering_is_refused(session, gql, app):
    # Given a cursor from the ordinary (by name) organizations list
    token = await peer_token(app, session)
    plain = await gql("{ organizations { edges { cursor } } }", token=token)
    cursor = plain["data"]["organizations"]["edges"][0]["cursor"]

    # When it is passed to a sync read of that list
    query = """query ($after: String) {
        organizations(updatedSince: "2020-01-01T00:00:00Z", after: $after) { totalCount } }"""
    body = await gql(query, {"after": cursor}, token=token)

    # Then it is refused as a bad cursor
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "updatedSince" in error["message"]
