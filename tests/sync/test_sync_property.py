"""Sync as a property: whatever happens between polls (creates, updates, cancellations,
visibility changes, RSVPs, deletions), after every poll the peer's copy, built only from
`updatedSince` pages and `deletedSince` tombstones, equals a fresh full read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.common.errors import InputError
from hub.domains.convenings import rsvps, schedule
from hub.domains.governance import proposals as proposal_service
from hub.domains.sync import tombstones
from hub.infrastructure.models import Convening, Organization, Person, Proposal
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import ConveningStatus, RsvpStatus, Visibility
from hub.infrastructure.models.governance import ProposalStatus
from hub.infrastructure.models.sync import TombstoneReason
from tests.conftest import empty_tables
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_admin, create_organization
from tests.governance.factories import create_proposal
from tests.sync.polling import PeerCopy, full_read, peer_token

Step = tuple[str, int, Any]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            ["create", "rename", "cancel", "visibility", "rsvp", "delete", "propose", "withdraw"]
        ),
        st.integers(min_value=0, max_value=7),
        st.sampled_from(list(Visibility)),
    ),
    max_size=6,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(rounds=st.lists(STEPS, min_size=1, max_size=4))
async def test_the_peers_copy_equals_a_full_read_after_every_poll(rounds, runtime, app, gql):
    await _run(rounds, runtime, app, gql)


async def _run(rounds: list[list[Step]], runtime: Any, app: Any, gql: Any) -> None:
    await empty_tables(runtime)
    try:
        async with runtime.sessions() as session:
            world = await World.arrange(session)
            token = await peer_token(app, session)
        copy = PeerCopy()
        for steps in rounds:
            async with runtime.sessions() as session:
                for step in steps:
                    await world.apply(session, step)
            await copy.poll(gql, token)
            assert copy.items == await full_read(gql, token)
    finally:
        await empty_tables(runtime)


class World:
    """The rows the steps act on, and the people acting."""

    def __init__(self, admin: Viewer, member: Person, host: Organization) -> None:
        self.admin = admin
        self.member = member
        self.host = host

    @classmethod
    async def arrange(cls, session: AsyncSession) -> World:
        admin = await create_admin(session)
        host = await create_organization(session)
        member = await create_member(session, host)
        await session.commit()
        return cls(Viewer(person_id=admin.id, is_admin=True), member, host)

    async def apply(self, session: AsyncSession, step: Step) -> None:
        """One change, committed; a change the service refuses (an RSVP to a convening the
        member may not see, say) is rolled back, as a refused request would be."""
        action, pick, visibility = step
        try:
            await ACTIONS[action](self, session, pick, visibility)
        except InputError:
            await session.rollback()
            return
        await session.commit()

    async def create(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        await create_convening(session, [self.host], visibility=visibility)

    async def rename(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        if convening := await _live_convening(session, pick):
            edit = schedule.ConveningChanges(title=f"Renamed {pick}")
            await schedule.update_convening(session, self.admin, convening.id, edit)

    async def cancel(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        if convening := await _live_convening(session, pick):
            await schedule.cancel_convening(session, self.admin, convening.id)

    async def visibility(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        if convening := await _live_convening(session, pick):
            edit = schedule.ConveningChanges(visibility=visibility)
            await schedule.update_convening(session, self.admin, convening.id, edit)

    async def rsvp(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        if convening := await _live_convening(session, pick):
            orgs = frozenset({self.host.id})
            member = Viewer(person_id=self.member.id, affiliated_org_ids=orgs, member_org_ids=orgs)
            status = RsvpStatus.GOING if pick % 2 else RsvpStatus.MAYBE
            answer = rsvps.Answer(convening_id=convening.id, status=status)
            await rsvps.answer(session, member, answer)

    async def delete(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        # The hub has no delete path yet; this is how one would use the tombstone mechanism.
        if convening := await _live_convening(session, pick):
            await tombstones.convening_left(session, convening, TombstoneReason.DELETED)
            await session.delete(convening)
            await session.flush()

    async def propose(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        status = ProposalStatus.ADOPTED if pick % 2 else ProposalStatus.DISCUSSION
        await create_proposal(session, status=status)

    async def withdraw(self, session: AsyncSession, pick: int, visibility: Visibility) -> None:
        statement = select(Proposal).where(Proposal.status == ProposalStatus.DISCUSSION)
        if proposal := (await session.scalars(statement.order_by(Proposal.id))).first():
            changes = proposal_service.ProposalChanges(status=ProposalStatus.WITHDRAWN)
            await proposal_service.update_proposal(
                session, self.admin, proposal.id, changes, now=utcnow()
            )


ACTIONS: dict[str, Callable[[World, AsyncSession, int, Visibility], Awaitable[None]]] = {
    name: getattr(World, name)
    for name in (
        "create",
        "rename",
        "cancel",
        "visibility",
        "rsvp",
        "delete",
        "propose",
        "withdraw",
    )
}


async def _live_convening(session: AsyncSession, pick: int) -> Convening | None:
    statement = select(Convening).where(Convening.status != ConveningStatus.CANCELLED)
    found = list(await session.scalars(statement.order_by(Convening.id)))
    return found[pick % len(found)] if found else None
