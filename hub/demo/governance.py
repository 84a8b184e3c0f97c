"""Demo committee seats and the three proposals of the January 2011 strategy session: one
adopted, one rejected for lack of quorum, one open for voting now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.demo.convenings import DemoConvenings
from hub.demo.directory import DemoDirectory
from hub.domains.governance import proposals, register, tally, voting
from hub.domains.governance.events import record_event
from hub.infrastructure.models import (
    CommitteeSeat,
    Convening,
    EligibleSeat,
    Organization,
    Proposal,
    Vote,
)
from hub.infrastructure.models.directory import OrganizationKind
from hub.infrastructure.models.governance import (
    Ballot,
    GovernanceAction,
    ProposalStatus,
    VoteChoice,
    VotingRule,
)

SESSION_DAY = datetime(2011, 1, 27, 17, 0, tzinfo=UTC)
OPEN_WINDOW = timedelta(days=5)
Y, N, A = VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN


@dataclass(frozen=True)
class DemoProposal:
    title: str
    summary: str
    body: str
    sponsor_slugs: tuple[str, ...]
    rule: VotingRule
    quorum: float
    ballot: Ballot
    choices: tuple[VoteChoice, ...]  # by seat, in seat order; fewer than seats = some not voted


TAX_AGENDA = DemoProposal(
    title="A common long-term agenda on the state's tax and fiscal crisis",
    summary=(
        "Develop a common vision, values and long-term agenda to solve the state's tax and "
        "fiscal dysfunction, with equity at its centre."
    ),
    body=(
        "## Why\n\nThe budget gap is debated on a narrow axis: realignment without funding, "
        "a regressive flat tax. Equity is missing from the conversation.\n\n## What we commit "
        "to\n\n- A shared analysis of the tax and fiscal landscape\n- A long-term agenda our "
        "groups carry together\n- A second strategy session in July on closing the gap\n"
    ),
    sponsor_slugs=("strategic-concepts-in-organizing-policy-education-scope", "acce-action"),
    rule=VotingRule.MAJORITY,
    quorum=0.5,
    ballot=Ballot.RECORDED,
    choices=(Y, Y, Y, Y, N, Y, Y, A, Y, Y, Y, N, Y),
)
COMMUNICATION = DemoProposal(
    title="Shared strategic communication practice on the role of government",
    summary=(
        "Share best strategic communication practices and thinking toward shifting public "
        "opinion about the role of government and taxes."
    ),
    body=(
        "## Proposal\n\nA standing communications table that pools message research, "
        "trains spokespeople, and coordinates earned media on the role of government.\n"
    ),
    sponsor_slugs=("courage-campaign", "we-are-california"),
    rule=VotingRule.TWO_THIRDS,
    quorum=0.667,
    ballot=Ballot.RECORDED,
    choices=(Y, Y, N, Y, Y, A, Y),
)
SPECIAL_ELECTION = DemoProposal(
    title="A united effort around a possible special election",
    summary="Organize a united progressive movement effort around the potential special election.",
    body=(
        "## Proposal\n\nIf a special election is called, member groups and partners run one "
        "coordinated voter engagement program: shared targets, shared scripts, one calendar.\n"
    ),
    sponsor_slugs=("community-coalition", "california-labor-roundtable"),
    rule=VotingRule.CONSENSUS,
    quorum=0.5,
    ballot=Ballot.RECORDED,
    choices=(Y, Y, A, Y),
)


# What the adopted tax agenda asked of its sponsors: (what, owner's slug, due, status).
TAX_AGENDA_ACTIONS = (
    (
        "Circulate a shared analysis of the tax and fiscal landscape to member groups",
        "strategic-concepts-in-organizing-policy-education-scope",
        date(2011, 4, 15),
        "DONE",
    ),
    (
        "Convene the July strategy session on closing the budget gap",
        "acce-action",
        date(2011, 7, 21),
        "OPEN",
    ),
)


async def _followed_up(
    session: AsyncSession, admin: Viewer, directory: DemoDirectory, proposal: Proposal
) -> None:
    """The register's follow-up actions of the adopted decision, through the service."""
    noted = SESSION_DAY + timedelta(days=25)
    for what, slug, due, status in TAX_AGENDA_ACTIONS:
        changes = register.ActionChanges(
            what=what, organization_id=directory.organizations[slug].id, due_on=due
        )
        action = await register.add_action(session, admin, proposal.id, changes, now=noted)
        if status != "OPEN":
            done = register.ActionChanges(status=status)
            await register.update_action(session, admin, action.id, done, now=noted)


def _seated(directory: DemoDirectory) -> list[Organization]:
    return [
        organization
        for organization in directory.organizations.values()
        if organization.anchor_role is not None
        or organization.kind == OrganizationKind.STRATEGIC_PARTNER
    ]


async def _seats(session: AsyncSession, directory: DemoDirectory) -> list[CommitteeSeat]:
    seats = []
    for organization in _seated(directory):
        people = directory.people_by_org[organization.slug]
        seats.append(
            CommitteeSeat(
                organization_id=organization.id,
                holder_id=people[0].id,
                alternate_id=people[1].id if len(people) > 1 else None,
            )
        )
    session.add_all(seats)
    await session.flush()
    return seats


def _origin(convenings: DemoConvenings) -> Convening | None:
    """The January 2011 strategy session, once the demo convenings include it."""
    january = [
        c for c in convenings.by_key.values() if (c.starts_at.year, c.starts_at.month) == (2011, 1)
    ]
    return january[0] if january else None


async def _drafted(
    session: AsyncSession,
    admin: Viewer,
    directory: DemoDirectory,
    spec: DemoProposal,
    origin: Convening | None,
) -> Proposal:
    changes = proposals.ProposalChanges(
        title=spec.title,
        summary=spec.summary,
        body=spec.body,
        sponsor_organization_ids=[directory.organizations[s].id for s in spec.sponsor_slugs],
        origin_convening_id=origin.id if origin else None,
    )
    drafted = SESSION_DAY + timedelta(days=1)
    proposal = await proposals.create_proposal(session, admin, changes, now=drafted)
    discussion = proposals.ProposalChanges(status=ProposalStatus.DISCUSSION)
    return await proposals.update_proposal(
        session, admin, proposal.id, discussion, now=drafted + timedelta(days=2)
    )


async def _decided(
    session: AsyncSession,
    admin: Viewer,
    proposal: Proposal,
    spec: DemoProposal,
    seats: list[CommitteeSeat],
) -> None:
    """A vote held in 2011, written as it was recorded then (no emails for a past vote)."""
    opened = SESSION_DAY + timedelta(days=14)
    closed = opened + timedelta(days=10)
    session.add_all(EligibleSeat(proposal_id=proposal.id, seat_id=seat.id) for seat in seats)
    for seat, choice in zip(seats, spec.choices, strict=False):
        session.add(
            Vote(
                proposal_id=proposal.id,
                seat_id=seat.id,
                cast_by_id=seat.holder_id,
                # A closed secret ballot keeps only its counts.
                choice=choice if spec.ballot is Ballot.RECORDED else None,
                created_at=opened + timedelta(days=1),
                updated_at=opened + timedelta(days=1),
            )
        )
    result = tally.decide(spec.rule, spec.quorum, len(seats), spec.choices)
    proposal.voting_rule, proposal.quorum, proposal.ballot = spec.rule, spec.quorum, spec.ballot
    proposal.voting_opened_at, proposal.voting_closes_at = opened, closed
    proposal.closed_at, proposal.result = closed, result.as_json()
    proposal.status = ProposalStatus(result.outcome)
    await session.flush()
    await record_event(
        session, GovernanceAction.VOTING_OPENED, now=opened, actor=admin, proposal_id=proposal.id
    )
    await record_event(
        session,
        GovernanceAction.OUTCOME_RECORDED,
        now=closed,
        proposal_id=proposal.id,
        detail=f"{result.outcome}: {result.seats_voted} of {result.seats_eligible} seats voted",
    )


async def _opened(
    session: AsyncSession,
    admin: Viewer,
    proposal: Proposal,
    spec: DemoProposal,
    seats: list[CommitteeSeat],
) -> None:
    """Voting open now, through the services, with a few seats already voted."""
    now = datetime.now(UTC)
    terms = voting.VotingTerms(spec.rule, spec.quorum, spec.ballot, now + OPEN_WINDOW)
    # The demo's open vote is RECORDED: it needs no key, and `hub demo` runs without one.
    await voting.open_voting(session, admin, proposal.id, terms, ballot_key=None, now=now)
    for seat, choice in zip(seats, spec.choices, strict=False):
        holder = Viewer(person_id=seat.holder_id, seat_ids=frozenset({seat.id}))
        await voting.cast_vote(
            session, holder, proposal.id, choice, seat_id=seat.id, ballot_key=None, now=now
        )


async def load_governance(
    session: AsyncSession, directory: DemoDirectory, convenings: DemoConvenings
) -> str:
    """Loads seats and proposals; returns a summary such as "17 seats, 3 proposals"."""
    seats = await _seats(session, directory)
    if directory.admin is None:
        return f"{len(seats)} seats, 0 proposals"
    admin = Viewer(person_id=directory.admin.id, is_admin=True)
    origin = _origin(convenings)
    for spec in (TAX_AGENDA, COMMUNICATION):
        proposal = await _drafted(session, admin, directory, spec, origin)
        await _decided(session, admin, proposal, spec, seats)
        if spec is TAX_AGENDA:
            await _followed_up(session, admin, directory, proposal)
    proposal = await _drafted(session, admin, directory, SPECIAL_ELECTION, origin)
    await _opened(session, admin, proposal, SPECIAL_ELECTION, seats)
    return f"{len(seats)} seats, 3 proposals"
