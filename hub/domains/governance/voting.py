"""Voting windows: opening, casting, and closing with an outcome computed once.

Every write takes the proposal's row lock first (PostgreSQL: SELECT ... FOR UPDATE; SQLite
serializes writers with BEGIN IMMEDIATE), so a vote and a close never interleave: a vote
either lands before the tally or is refused after it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.delivery.notifications import governance as notifications
from hub.domains.governance import ballot_box, meetings, proxies, receipts, tally
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.events import record_event
from hub.domains.governance.proposals import visible_proposal
from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import CommitteeSeat, EligibleSeat, Proposal, Vote
from hub.infrastructure.models.governance import (
    Ballot,
    GovernanceAction,
    ProposalStatus,
    VoteChoice,
    VoterRole,
    VotingRule,
)

QUORUM_PLACES = Decimal("0.001")
REASON_LIMIT = 500
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VotingTerms:
    rule: VotingRule
    quorum: Decimal | float
    ballot: Ballot
    closes_at: datetime
    # Voted in this committee meeting: quorum over the seats present or represented there.
    meeting_id: int | None = None
    # A later start for an online vote (None: now). The seats eligible are fixed now.
    opens_at: datetime | None = None


async def open_voting(
    session: AsyncSession,
    viewer: Viewer,
    proposal_id: int,
    terms: VotingTerms,
    *,
    ballot_key: bytes | None,
    now: datetime,
) -> Proposal:
    """Opens the window and fixes the eligible seats: the active seats with a holder, now; in
    a meeting, those of them present or represented by proxy there now, so that the quorum is
    the meeting's. A SECRET ballot needs the sealing key from the environment
    (`ballot_box.ballot_key`)."""
    rules.require_admin(viewer)
    proposal = await visible_proposal(session, viewer, proposal_id, lock=True)
    if proposal.status is not ProposalStatus.DISCUSSION:
        raise InputError(
            "proposalId", Code.INVALID_STATUS_CHANGE, "Voting opens on a proposal in DISCUSSION."
        )
    if terms.ballot is Ballot.SECRET:
        ballot_box.require_key(ballot_key, "ballot")
    quorum = _quorum(terms.quorum)
    opens_at = _start(terms, now)
    if terms.closes_at.tzinfo is None:
        raise InputError("closesAt", Code.INVALID_TIME, "Give the close time with its offset.")
    if terms.closes_at <= now:
        raise InputError("closesAt", Code.CLOSES_IN_PAST, "The window must close in the future.")
    if terms.closes_at <= opens_at:
        raise InputError(
            "closesAt", Code.CLOSES_BEFORE_OPENING, "The window must close after it opens."
        )
    seat_ids, in_meeting = await _eligible_seats(session, viewer, proposal.id, terms)
    if not seat_ids:
        raise InputError(None, Code.NO_ELIGIBLE_SEATS, "No seat is held: nobody could vote.")
    session.add_all(EligibleSeat(proposal_id=proposal.id, seat_id=s) for s in seat_ids)
    proposal.status = ProposalStatus.VOTING
    proposal.voting_rule = terms.rule
    proposal.quorum = float(quorum)
    proposal.ballot = terms.ballot
    proposal.voting_opened_at = opens_at
    proposal.voting_closes_at = terms.closes_at
    proposal.meeting_id = terms.meeting_id
    proposal.updated_at = now
    await session.flush()
    detail = (
        f"{terms.rule.value}, quorum {quorum}, {terms.ballot.value} ballot, "
        f"{len(seat_ids)} seats eligible{in_meeting}, "
        f"{'' if opens_at == now else f'opens {opens_at.isoformat()}, '}"
        f"closes {terms.closes_at.isoformat()}"
    )
    await record_event(
        session,
        GovernanceAction.VOTING_OPENED,
        now=now,
        actor=viewer,
        proposal_id=proposal.id,
        detail=detail,
    )
    await notifications.voting_opened(session, proposal)
    return proposal


def _start(terms: VotingTerms, now: datetime) -> datetime:
    """When votes are first taken: now, or the later start given for an online vote."""
    if terms.opens_at is None:
        return now
    if terms.opens_at.tzinfo is None:
        raise InputError("opensAt", Code.INVALID_TIME, "Give the start time with its offset.")
    if terms.meeting_id is not None and terms.opens_at > now:
        raise InputError(
            "opensAt", Code.INVALID_TIME, "A vote in a meeting opens in the room, now."
        )
    return max(terms.opens_at, now)


async def _eligible_seats(
    session: AsyncSession, viewer: Viewer, proposal_id: int, terms: VotingTerms
) -> tuple[list[int], str]:
    """The seats that may vote, and words saying where they come from for the audit trail."""
    if terms.meeting_id is None:
        held = meetings.held_seats().order_by(CommitteeSeat.id)
        return list(await session.scalars(held)), ""
    meeting = await meetings.visible_meeting(session, viewer, terms.meeting_id)
    await meetings.require_on_agenda(session, meeting.id, proposal_id)
    room = await meetings.attendance(session, meeting.id, proposal_id)
    seat_ids = sorted(room.present_seat_ids + room.represented_seat_ids)
    if not seat_ids:
        raise InputError(
            "meetingId",
            Code.NO_ELIGIBLE_SEATS,
            "No seat is present or represented at the meeting: check people in first.",
        )
    words = (
        f" in meeting {meeting.id} ({len(room.present_seat_ids)} present, "
        f"{len(room.represented_seat_ids)} represented by proxy)"
    )
    return seat_ids, words


def _quorum(given: Decimal | float) -> Decimal:
    try:
        quorum = Decimal(str(given))
    except InvalidOperation as error:
        raise _bad_quorum() from error
    if not (0 < quorum <= 1) or quorum != quorum.quantize(QUORUM_PLACES):
        raise _bad_quorum()
    return quorum


def _bad_quorum() -> InputError:
    return InputError(
        "quorum",
        Code.INVALID_QUORUM,
        "Give the quorum as a share of the seats above 0 and at most 1, to three decimals.",
    )


async def cast_vote(
    session: AsyncSession,
    viewer: Viewer,
    proposal_id: int,
    choice: VoteChoice,
    *,
    seat_id: int | None,
    ballot_key: bytes | None,
    now: datetime,
    reason: str | None = None,
    receipt_code: str | None = None,
) -> Vote:
    """Records (or replaces) the vote of a seat the viewer holds or alternates, with the
    voter's short reason on a RECORDED ballot (a later vote replaces it too). On a SECRET
    ballot the seal carries `receipt_code`'s receipt (see hub/domains/governance/receipts.py): the
    caller shows the code to the voter; a later vote replaces it.

    When the window has passed, the proposal is closed here and the vote refused with
    VOTING_CLOSED; the close is the only thing written, and callers may keep it."""
    rules.require_person(viewer)
    proposal = await visible_proposal(session, viewer, proposal_id, lock=True)
    await _require_open(session, proposal, ballot_key, now=now)
    if choice is VoteChoice.BLOCK and proposal.voting_rule is not VotingRule.CONSENSUS:
        raise InputError(
            "choice", Code.BLOCK_ONLY_UNDER_CONSENSUS, "BLOCK is a choice under CONSENSUS only."
        )
    given_reason = _reason(proposal, reason)
    voter = await _voter(session, viewer, proposal, seat_id)
    replaced = await _existing_vote(session, proposal.id, voter.seat_id)
    receipt = receipts.receipt_for(proposal.id, receipt_code or receipts.new_code())
    vote = await _store_vote(
        session, viewer, proposal, voter, choice, ballot_key, receipt, now=now, reason=given_reason
    )
    shown = [choice.value if proposal.ballot is Ballot.RECORDED else ""]
    shown.append("by proxy" if voter.proxy_id else "")
    await record_event(
        session,
        GovernanceAction.VOTE_CHANGED if replaced else GovernanceAction.VOTE_CAST,
        now=now,
        actor=viewer,
        proposal_id=proposal.id,
        seat_id=voter.seat_id,
        detail=" ".join(word for word in shown if word),
    )
    if voter.proxy_id is not None:
        await proxies.record_use(session, viewer, voter.proxy_id, proposal.id, now=now)
    return vote


async def _require_open(
    session: AsyncSession, proposal: Proposal, ballot_key: bytes | None, *, now: datetime
) -> None:
    if proposal.closed_at is not None:
        raise _voting_closed()
    if proposal.status is not ProposalStatus.VOTING:
        raise InputError("proposalId", Code.VOTING_NOT_OPEN, "Voting is not open on this proposal.")
    if proposal.voting_opened_at is not None and now < proposal.voting_opened_at:
        raise InputError("proposalId", Code.VOTING_NOT_OPEN, "Voting has not opened yet.")
    if await close_proposal(session, proposal.id, ballot_key=ballot_key, now=now) is not None:
        raise _voting_closed()
    if proposal.ballot is Ballot.SECRET:
        # Every seal so far must open with this key, or the ballot could not be counted.
        await _unsealed_choices(session, proposal.id, ballot_box.require_key(ballot_key, None))


def _reason(proposal: Proposal, reason: str | None) -> str | None:
    """Free text beside a secret vote could tell its choice: a SECRET ballot takes none."""
    cleaned = (reason or "").strip() or None
    if cleaned is None:
        return None
    if proposal.ballot is Ballot.SECRET:
        raise InputError(
            "reason", Code.REASON_ON_SECRET_BALLOT, "A secret ballot takes no reasons."
        )
    if len(cleaned) > REASON_LIMIT:
        raise InputError("reason", Code.TOO_LONG, f"Keep the reason under {REASON_LIMIT}.")
    return cleaned


def _voting_closed() -> InputError:
    return InputError("proposalId", Code.VOTING_CLOSED, "Voting on this proposal has closed.")


@dataclass(frozen=True)
class Voter:
    """The seat a vote is for, and in what role the viewer casts it."""

    seat_id: int
    role: VoterRole
    proxy_id: int | None = None


async def _voter(
    session: AsyncSession, viewer: Viewer, proposal: Proposal, seat_id: int | None
) -> Voter:
    """The eligible seat the viewer votes for: named, or the only one they sit in. A seat they
    carry a proxy for must be named."""
    statement = (
        select(CommitteeSeat.id, CommitteeSeat.holder_id)
        .join(EligibleSeat, EligibleSeat.seat_id == CommitteeSeat.id)
        .where(
            EligibleSeat.proposal_id == proposal.id,
            CommitteeSeat.active,
            or_(
                CommitteeSeat.holder_id == viewer.person_id,
                CommitteeSeat.alternate_id == viewer.person_id,
            ),
        )
        .order_by(CommitteeSeat.id)
    )
    seats = {
        seat: _role(holder == viewer.person_id) for seat, holder in await session.execute(statement)
    }
    if seat_id is not None:
        if seat_id in seats:
            return Voter(seat_id, seats[seat_id])
        proxy_id = await proxies.usable_proxy_id(session, viewer, proposal, seat_id)
        if proxy_id is None:
            raise _not_eligible("seatId")
        return Voter(seat_id, VoterRole.PROXY, proxy_id)
    if not seats:
        raise _not_eligible(None)
    if len(seats) > 1:
        raise InputError(
            "seatId", Code.SEAT_REQUIRED, "You sit in more than one seat: name the seat."
        )
    ((only, role),) = seats.items()
    return Voter(only, role)


def _role(is_holder: bool) -> VoterRole:
    return VoterRole.HOLDER if is_holder else VoterRole.ALTERNATE


def _not_eligible(field: str | None) -> InputError:
    return InputError(
        field,
        Code.NOT_ELIGIBLE,
        "Only the holder or the alternate of a seat eligible on this proposal may vote.",
    )


async def _existing_vote(session: AsyncSession, proposal_id: int, seat_id: int) -> bool:
    found = await session.scalar(
        select(Vote.id).where(Vote.proposal_id == proposal_id, Vote.seat_id == seat_id)
    )
    return found is not None


async def _store_vote(
    session: AsyncSession,
    viewer: Viewer,
    proposal: Proposal,
    voter: Voter,
    choice: VoteChoice,
    ballot_key: bytes | None,
    receipt: receipts.Receipt,
    *,
    now: datetime,
    reason: str | None = None,
) -> Vote:
    """One row per seat however many of its people vote at once. Between the holder and the
    alternate the last write wins; either of them replaces a proxy's vote, and a proxy's vote
    never replaces theirs (SEAT_VOTED_ITSELF): the proxy serves only a seat that did not vote."""
    secret = proposal.ballot is Ballot.SECRET
    seat_id = voter.seat_id
    changes = {
        "cast_by_id": viewer.person_id,
        "cast_as": voter.role,
        "proxy_id": voter.proxy_id,
        "choice": None if secret else choice,
        "sealed_choice": (
            ballot_box.seal(
                ballot_box.require_key(ballot_key, None), proposal.id, seat_id, choice, receipt
            )
            if secret
            else None
        ),
        "reason": None if secret else reason,
        "updated_at": now,
    }
    insert = dialect_insert(session, Vote).values(
        proposal_id=proposal.id, seat_id=seat_id, created_at=now, **changes
    )
    only_over_a_proxy = Vote.cast_as == VoterRole.PROXY if voter.proxy_id else None
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=["proposal_id", "seat_id"], set_=changes, where=only_over_a_proxy
        )
    )
    statement = (
        select(Vote)
        .where(Vote.proposal_id == proposal.id, Vote.seat_id == seat_id)
        .execution_options(populate_existing=True)
    )
    vote = (await session.scalars(statement)).one()
    if voter.proxy_id is not None and vote.cast_as is not VoterRole.PROXY:
        raise InputError(
            "seatId",
            Code.SEAT_VOTED_ITSELF,
            "The seat's holder or alternate has voted: a proxy serves only a seat that did not.",
        )
    return vote


async def close_voting(
    session: AsyncSession,
    viewer: Viewer,
    proposal_id: int,
    *,
    ballot_key: bytes | None,
    now: datetime,
) -> Proposal:
    """Closes the window now (an admin's decision). Closing a closed proposal changes nothing."""
    rules.require_admin(viewer)
    proposal = await visible_proposal(session, viewer, proposal_id)
    if proposal.closed_at is None and proposal.status is not ProposalStatus.VOTING:
        raise InputError("proposalId", Code.VOTING_NOT_OPEN, "Voting is not open on this proposal.")
    await close_proposal(
        session, proposal.id, ballot_key=ballot_key, now=now, actor=viewer, due_only=False
    )
    return proposal


async def close_due_proposals(
    session: AsyncSession,
    *,
    ballot_key: bytes | None,
    now: datetime,
    proposal_ids: Sequence[int] | None = None,
) -> list[Proposal]:
    """Closes every proposal whose window has passed (optionally among `proposal_ids`): run by
    `hub worker`, and by writes (a vote, a close) before they act. Reads never call it: they
    read a passed window as closed with `read_outcomes` and `as_read`. A secret
    ballot this process cannot count (no key, or another key) waits, with a warning, for a
    process that can; nothing of it is written."""
    due = select(Proposal.id).where(
        Proposal.status == ProposalStatus.VOTING,
        Proposal.voting_closes_at <= now,
        Proposal.closed_at.is_(None),
    )
    if proposal_ids is not None:
        due = due.where(Proposal.id.in_(proposal_ids))
    closed = []
    for proposal_id in list(await session.scalars(due.order_by(Proposal.id))):
        try:
            proposal = await close_proposal(session, proposal_id, ballot_key=ballot_key, now=now)
        except InputError as error:
            log.warning("Proposal %s stays open past its close: %s", proposal_id, error.message)
            continue
        if proposal is not None:
            closed.append(proposal)
    return closed


@dataclass(frozen=True)
class Reading:
    """How a proposal reads at a moment: what is stored, or, for a window past its close
    whose outcome is not stored yet, the outcome the close will store (`computed`)."""

    status: ProposalStatus
    closed_at: datetime | None
    result: dict[str, int | bool | str] | None
    computed: bool = False


@dataclass(frozen=True)
class Stored:
    """What a proposal's row stores of its window (a copy: readers keep it past the session)."""

    status: ProposalStatus
    closed_at: datetime | None
    voting_closes_at: datetime | None
    result: dict[str, int | bool | str] | None

    @classmethod
    def of(cls, proposal: Proposal) -> Stored:
        return cls(proposal.status, proposal.closed_at, proposal.voting_closes_at, proposal.result)


def is_due(proposal: Stored, now: datetime) -> bool:
    """Whether the window has passed and its outcome is not stored yet."""
    closes_at = proposal.voting_closes_at
    return (
        proposal.status is ProposalStatus.VOTING
        and proposal.closed_at is None
        and closes_at is not None
        and closes_at <= now
    )


def as_read(proposal: Stored, outcome: tally.Result | None, now: datetime) -> Reading:
    """Pure: the proposal as a reader sees it. A window past its close reads as closed at its
    close time, with `outcome` (see `read_outcomes`); without one (a secret ballot this
    process cannot count) it reads as the close leaves it: VOTING, waiting."""
    if outcome is None or not is_due(proposal, now):
        return Reading(proposal.status, proposal.closed_at, proposal.result)
    return Reading(
        ProposalStatus(outcome.outcome), proposal.voting_closes_at, outcome.as_json(), True
    )


def closed_time(proposal: Stored | Proposal, now: datetime) -> datetime:
    """When voting closed: the window's end once it has passed, else now (an early close).
    What the close stores and what a read before it shows, so that both answer alike."""
    closes_at = proposal.voting_closes_at
    return closes_at if closes_at is not None and closes_at <= now else now


async def read_outcomes(
    session: AsyncSession,
    *,
    ballot_key: bytes | None,
    now: datetime,
    proposal_ids: Sequence[int] | None = None,
) -> dict[int, tally.Result]:
    """The outcomes of the windows past their close not stored yet (optionally among
    `proposal_ids`), computed from the stored votes exactly as the close computes them; a
    secret ballot's seals are opened to count, and no choice leaves this function. Reads
    only: no INSERT, UPDATE, DELETE or row lock, so it runs on a read replica and is safe to
    retry. A secret ballot this process cannot count is left out (it reads as VOTING)."""
    due = select(Proposal).where(
        Proposal.status == ProposalStatus.VOTING,
        Proposal.voting_closes_at <= now,
        Proposal.closed_at.is_(None),
    )
    if proposal_ids is not None:
        due = due.where(Proposal.id.in_(proposal_ids))
    outcomes = {}
    for proposal in list(await session.scalars(due.order_by(Proposal.id))):
        try:
            outcomes[proposal.id] = await _decide(session, proposal, ballot_key)
        except InputError:
            continue
    return outcomes


async def read_receipt(
    session: AsyncSession, proposal_id: int, code: str, *, ballot_key: bytes | None
) -> VoteChoice | None:
    """Before the close stores the receipts, the choice a code's seal carries (None when no
    seal carries it): what `receipts.check` will find once the close has written them."""
    if ballot_key is None:
        return None
    wanted = receipts.receipt_for(proposal_id, code).lookup
    for choice, receipt in await _receipts(session, proposal_id, ballot_key):
        if receipt.lookup == wanted:
            return choice
    return None


async def close_proposal(
    session: AsyncSession,
    proposal_id: int,
    *,
    ballot_key: bytes | None = None,
    now: datetime,
    actor: Viewer | None = None,
    due_only: bool = True,
) -> Proposal | None:
    """Computes and stores the outcome once; None when there was nothing to close (already
    closed, not voting, or, with `due_only`, its window still open). A secret ballot's seals
    are erased in the same transaction: from then on only its counts exist."""
    statement = (
        select(Proposal)
        .where(Proposal.id == proposal_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    proposal = await session.scalar(statement)
    if proposal is None or proposal.closed_at is not None:
        return None
    if proposal.status is not ProposalStatus.VOTING:
        return None
    closes_at = proposal.voting_closes_at
    if due_only and closes_at is not None and now < closes_at:
        return None
    result = await _decide(session, proposal, ballot_key)
    if not await _store_result(session, proposal, result, now=now):
        return None
    if proposal.ballot is Ballot.SECRET:
        key = ballot_box.require_key(ballot_key, "proposalId")
        await receipts.write_counted(
            session, proposal.id, await _receipts(session, proposal.id, key)
        )
    await _erase_seals(session, proposal.id, now=now)
    await _record_close(session, proposal, result, actor, now=now)
    await notifications.result_recorded(session, proposal)
    return proposal


async def _decide(
    session: AsyncSession, proposal: Proposal, ballot_key: bytes | None
) -> tally.Result:
    eligible = await session.scalar(
        select(func.count()).where(EligibleSeat.proposal_id == proposal.id)
    )
    if proposal.ballot is Ballot.SECRET:
        key = ballot_box.require_key(ballot_key, "proposalId")
        cast = await _unsealed_choices(session, proposal.id, key)
    else:
        recorded = select(Vote.choice).where(Vote.proposal_id == proposal.id)
        cast = [c for c in await session.scalars(recorded) if c is not None]
    rule = proposal.voting_rule or VotingRule.MAJORITY
    return tally.decide(rule, proposal.quorum or 1, int(eligible or 0), cast)


async def _unsealed_choices(
    session: AsyncSession, proposal_id: int, key: bytes
) -> list[VoteChoice]:
    sealed = await session.execute(
        select(Vote.seat_id, Vote.sealed_choice).where(
            Vote.proposal_id == proposal_id, Vote.sealed_choice.is_not(None)
        )
    )
    return [
        ballot_box.unseal(key, proposal_id, seat, seal) for seat, seal in sealed if seal is not None
    ]


async def _receipts(
    session: AsyncSession, proposal_id: int, key: bytes
) -> list[tuple[VoteChoice, receipts.Receipt]]:
    sealed = await session.execute(
        select(Vote.seat_id, Vote.sealed_choice).where(
            Vote.proposal_id == proposal_id, Vote.sealed_choice.is_not(None)
        )
    )
    opened = [ballot_box.open_seal(key, proposal_id, seat, seal) for seat, seal in sealed if seal]
    return [(choice, receipt) for choice, receipt in opened if receipt is not None]


async def _erase_seals(session: AsyncSession, proposal_id: int, *, now: datetime) -> None:
    """A closed ballot keeps no link from seat to choice, so that a later leak of the key
    together with a copy of the database reveals nothing."""
    await session.execute(
        update(Vote)
        .where(Vote.proposal_id == proposal_id, Vote.sealed_choice.is_not(None))
        .values(sealed_choice=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )


async def _store_result(
    session: AsyncSession, proposal: Proposal, result: tally.Result, *, now: datetime
) -> bool:
    # Conditional on closed_at IS NULL as well as the row lock: a second closer writes nothing.
    written = await session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id, Proposal.closed_at.is_(None))
        .values(
            status=ProposalStatus(result.outcome),
            closed_at=closed_time(proposal, now),
            result=result.as_json(),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if written.rowcount != 1:  # type: ignore[attr-defined]
        return False
    reread = select(Proposal).where(Proposal.id == proposal.id)
    await session.scalar(reread.execution_options(populate_existing=True))
    return True


async def _record_close(
    session: AsyncSession,
    proposal: Proposal,
    result: tally.Result,
    actor: Viewer | None,
    *,
    now: datetime,
) -> None:
    how = "closed by an admin" if actor else "closed when its window passed"
    await record_event(
        session,
        GovernanceAction.VOTING_CLOSED,
        now=now,
        actor=actor,
        proposal_id=proposal.id,
        detail=how,
    )
    counts = (
        f"{result.seats_voted} of {result.seats_eligible} seats voted "
        f"(quorum {result.quorum_threshold}{'' if result.quorum_met else ' not met'}): "
        f"{result.yes} yes, {result.no} no, {result.abstain} abstain, {result.block} block"
    )
    await record_event(
        session,
        GovernanceAction.OUTCOME_RECORDED,
        now=now,
        proposal_id=proposal.id,
        detail=f"{result.outcome}: {counts}",
    )
