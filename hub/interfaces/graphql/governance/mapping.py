"""The Coordinating Committee as tables, for the compiled read path
(hub/interfaces/graphql/compiled).

Each entry mirrors a resolver in types.py, loaders.py or queries.py: the same row rules, the
same orderings. The differential tests hold the two paths equal.

Not mapped, so documents asking for them take the normal path: a proposal's `status`,
`closedAt` and `tally` (a voting window past its close reads as closed under an outcome
counted in Python, a SECRET ballot's from its opened seals: no SQL gives it), the fields
computed from them (`viewerMay...`), `proposals(status:)`, and the
proposals of viewers who may not see VOTING (which of the windows past their close they see
depends on that outcome too).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Float, cast, select, true

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.infrastructure.models import (
    CommitteeSeat,
    Convening,
    Organization,
    Person,
    Proposal,
    ProposalSponsor,
)
from hub.infrastructure.models import Vote as VoteRow
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.compiled.declarations import (
    Arguments,
    Column,
    Linked,
    Many,
    One,
    RootConnection,
    RootList,
    RootMapping,
    RootValue,
    TypeMapping,
)
from hub.interfaces.graphql.compiled.plan import NotCompiled
from hub.interfaces.graphql.sync.ordering import by_change, changes_asked

SEAT = TypeMapping(
    name="CommitteeSeat",
    model=CommitteeSeat,
    rows=rules.seat_rows,
    fields={
        "active": Column(CommitteeSeat.active),
        # Organizations are public: a seat's always reads (the resolver raises if it did not).
        "organization": One("Organization", CommitteeSeat.organization_id, Organization.id),
        # PersonByIdLoader: null where the viewer may not see people (the target's row rule).
        "holder": One("Person", CommitteeSeat.holder_id, Person.id),
        "alternate": One("Person", CommitteeSeat.alternate_id, Person.id),
    },
)


def _proposal_rows(viewer: Viewer) -> ColumnElement[bool]:
    """`read_rows` (hub/domains/governance/proposals.py) for the viewers it equals `proposal_rows`
    for: those who see VOTING, under which a window past its close is stored until its
    outcome is (admins, committee and members see both outcomes too). For the others the rows
    depend on that outcome, counted in Python: their reads take the normal path."""
    if not rules.may_see_status(viewer, ProposalStatus.VOTING):
        raise NotCompiled("proposals of viewers who may not see VOTING")
    return rules.proposal_rows(viewer)


PROPOSAL = TypeMapping(
    name="Proposal",
    model=Proposal,
    rows=_proposal_rows,
    fields={
        "title": Column(Proposal.title),
        "summary": Column(Proposal.summary),
        "body": Column(Proposal.body),
        "votingRule": Column(Proposal.voting_rule),
        # Stored as a decimal of three places: read as the float the resolver gives.
        "quorum": Column(cast(Proposal.quorum, Float)),
        "ballot": Column(Proposal.ballot),
        "votingOpensAt": Column(Proposal.voting_opened_at),
        "votingClosesAt": Column(Proposal.voting_closes_at),
        "createdAt": Column(Proposal.created_at),
        "updatedAt": Column(Proposal.updated_at),
        # SponsorsByProposalIdLoader: by organization name, through the organization rule.
        "sponsors": Linked(
            "Organization",
            Proposal.id,
            ProposalSponsor.proposal_id,
            ProposalSponsor.organization_id,
            Organization.id,
            (Organization.name, Organization.id),
        ),
        # ConveningByIdLoader: null where the convening is hidden (the target's row rule).
        "originConvening": One("Convening", Proposal.origin_convening_id, Convening.id),
        "meeting": One("Convening", Proposal.meeting_id, Convening.id),
        # VotesByProposalIdLoader: one per seat, by seat.
        "votes": Many("Vote", Proposal.id, VoteRow.proposal_id, (VoteRow.seat_id, VoteRow.id)),
    },
)


def _vote_rows(viewer: Viewer) -> ColumnElement[bool]:
    return rules.vote_rows_read(viewer, utcnow())


VOTE = TypeMapping(
    name="Vote",
    model=VoteRow,
    rows=_vote_rows,
    fields={
        # Stored null on a SECRET ballot (only its seal carries the choice), as is the reason.
        "choice": Column(VoteRow.choice),
        "reason": Column(VoteRow.reason),
        "castAs": Column(VoteRow.cast_as),
        "seat": One("CommitteeSeat", VoteRow.seat_id, CommitteeSeat.id),
        "proposal": One("Proposal", VoteRow.proposal_id, Proposal.id),
        "castBy": One("Person", VoteRow.cast_by_id, Person.id),
    },
)

TYPES = (SEAT, PROPOSAL, VOTE)


def _organization_name() -> Any:
    """The seat's organization's name, to order by (the resolvers join it)."""
    named = select(Organization.name).where(Organization.id == CommitteeSeat.organization_id)
    return named.scalar_subquery()


def _active_seats(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    return [CommitteeSeat.active == true()]


def _every_seat(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    rules.require_admin(viewer)  # Forbidden: the normal path refuses, saying why
    return []


def _proposal_filters(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    return changes_asked(Proposal, arguments)


ROOTS: dict[str, RootMapping] = {
    "committee": RootList("CommitteeSeat", (_organization_name(), CommitteeSeat.id), _active_seats),
    "committeeRoster": RootList(
        "CommitteeSeat",
        (CommitteeSeat.active.desc(), _organization_name(), CommitteeSeat.id),
        _every_seat,
    ),
    # Not `status`: read through outcomes counted in Python.
    "proposals": RootConnection(
        "Proposal",
        (Proposal.created_at, Proposal.id),
        _proposal_filters,
        orders=by_change(Proposal),
    ),
    "viewerMayWriteProposals": RootValue(rules.may_write_proposals),
}
