"""Committee meetings as the API shows them: the agenda, who is in the room, the live quorum."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry

from hub.common.errors import InputError
from hub.domains.governance import meetings as meeting_service
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure import models
from hub.infrastructure.models.convenings import ConveningKind
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.loaders import ConveningByIdLoader
from hub.interfaces.graphql.convenings.types import Convening
from hub.interfaces.graphql.governance.loaders import ProposalByIdLoader, SeatByIdLoader
from hub.interfaces.graphql.governance.proxies import ProxiesByMeetingIdLoader, Proxy
from hub.interfaces.graphql.governance.types import CommitteeSeat, GovernanceError, Proposal
from hub.interfaces.graphql.mutation import attempt, input_pk
from hub.interfaces.graphql.node import InvalidGlobalId, pk_of

Info = strawberry.Info[Context, None]


@strawberry.type(description="A proposal on a meeting's agenda, at its place (1 first).")
class AgendaItem:
    position: int
    proposal_pk: strawberry.Private[int]

    @strawberry.field(description="Null when the proposal is hidden from you.")
    async def proposal(self, info: Info) -> Proposal | None:
        row = await info.context.loader(ProposalByIdLoader).load(self.proposal_pk)
        return Proposal.from_model(row) if row else None


@strawberry.type(
    description=(
        "A COMMITTEE_MEETING convening in session: its agenda, the seats present (their holder "
        "or alternate checked in) or represented by a proxy carried by someone present, and "
        "the live quorum over them. A vote opened in the meeting (`openVoting` with "
        "`meetingId`) fixes its eligible seats, and so its quorum, to the seats in the meeting "
        "at that moment."
    )
)
class CommitteeMeeting:
    pk: strawberry.Private[int]
    seats_held: int = strawberry.field(description="The committee's active, held seats.")
    seats_in_meeting: int = strawberry.field(description="Seats present + seats represented.")
    present_pks: strawberry.Private[list[int]]
    represented_pks: strawberry.Private[list[int]]
    items: strawberry.Private[list[models.AgendaItem]]

    @strawberry.field
    async def convening(self, info: Info) -> Convening | None:
        row = await info.context.loader(ConveningByIdLoader).load(self.pk)
        return Convening.from_model(row) if row else None

    @strawberry.field(description="The agenda, in order.")
    def agenda(self) -> list[AgendaItem]:
        return [AgendaItem(position=i.position, proposal_pk=i.proposal_id) for i in self.items]

    @strawberry.field(
        description=(
            "What the room looks at: the item whose vote opened last in this meeting (open, or "
            "closed with its result); before any vote, the first item still undecided."
        )
    )
    async def current_item(self, info: Info) -> AgendaItem | None:
        rows = await info.context.loader(ProposalByIdLoader).load_many(
            [i.proposal_id for i in self.items]
        )
        proposals = {row.id: row for row in rows if row is not None}
        visible = [i for i in self.items if i.proposal_id in proposals]
        current = meeting_service.current_item(visible, proposals)
        if current is None:
            return None
        return AgendaItem(position=current.position, proposal_pk=current.proposal_id)

    @strawberry.field(description="Seats whose holder or alternate is checked in.")
    async def present_seats(self, info: Info) -> list[CommitteeSeat]:
        return await _seats(info, self.present_pks)

    @strawberry.field(description="Seats absent but represented by a proxy carried in the room.")
    async def represented_seats(self, info: Info) -> list[CommitteeSeat]:
        return await _seats(info, self.represented_pks)

    @strawberry.field(
        description="The meeting's proxies, revoked ones too: admins and committee members."
    )
    async def proxies(self, info: Info) -> list[Proxy]:
        rows = await info.context.loader(ProxiesByMeetingIdLoader).load(self.pk)
        return [Proxy.from_model(row) for row in rows]


async def _seats(info: Info, pks: list[int]) -> list[CommitteeSeat]:
    rows = await info.context.loader(SeatByIdLoader).load_many(pks)
    return [CommitteeSeat.from_model(row) for row in rows if row is not None]


async def meeting_of(context: Context, convening_pk: int) -> CommitteeMeeting | None:
    row = await context.loader(ConveningByIdLoader).load(convening_pk)
    if row is None or row.kind is not ConveningKind.COMMITTEE_MEETING:
        return None
    room = await meeting_service.attendance(context.session, row.id)
    return CommitteeMeeting(
        pk=row.id,
        seats_held=room.seats_held,
        seats_in_meeting=room.seats_in_meeting,
        present_pks=room.present_seat_ids,
        represented_pks=room.represented_seat_ids,
        items=await meeting_service.agenda(context.session, row.id),
    )


@strawberry.type
class MeetingQuery:
    @strawberry.field(
        description="A committee meeting by its convening's id; null for any other convening."
    )
    async def committee_meeting(
        self, info: Info, meeting_id: strawberry.ID
    ) -> CommitteeMeeting | None:
        try:
            pk = pk_of(meeting_id, "Convening")
        except InvalidGlobalId:
            return None
        return await meeting_of(info.context, pk)


@strawberry.input(description="The meeting's whole agenda, in order; it replaces the agenda.")
class SetMeetingAgendaInput:
    meeting_id: strawberry.ID
    proposal_ids: list[strawberry.ID]


@strawberry.type
class SetMeetingAgendaPayload:
    meeting: CommitteeMeeting | None
    errors: list[GovernanceError]


def meeting_pk(global_id: str) -> int:
    return input_pk(global_id, "Convening", "meetingId", Code.UNKNOWN_CONVENING)


def _errors(errors: list[InputError]) -> list[GovernanceError]:
    return [GovernanceError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


@strawberry.type
class MeetingMutation:
    @strawberry.mutation(
        description="Sets a committee meeting's agenda: proposals in order. Admins only."
    )
    async def set_meeting_agenda(
        self, info: Info, input: SetMeetingAgendaInput
    ) -> SetMeetingAgendaPayload:
        context = info.context

        async def set_() -> Any:
            pks = [
                input_pk(g, "Proposal", "proposalIds", Code.UNKNOWN_PROPOSAL)
                for g in input.proposal_ids
            ]
            return await meeting_service.set_agenda(
                context.session,
                context.viewer,
                meeting_pk(input.meeting_id),
                pks,
                now=datetime.now(UTC),
            )

        meeting, errors = await attempt(context, set_)
        wrapped = await meeting_of(context, meeting.id) if meeting else None
        return SetMeetingAgendaPayload(meeting=wrapped, errors=_errors(errors))
