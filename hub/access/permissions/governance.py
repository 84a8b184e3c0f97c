"""The Coordinating Committee: who may see proposals, votes and the audit trail, and act on them.

- A proposal is seen by status: DRAFT by admins and committee members (seat holders and
  alternates); DISCUSSION, VOTING and WITHDRAWN also by members (people of MEMBER and
  STRATEGIC_PARTNER organizations, not of ALLY or PEER ones: `Viewer.is_member`); ADOPTED
  and REJECTED by everyone, anonymous callers and peers' API clients too.
- Proposals are written (created, changed, moved to DISCUSSION or WITHDRAWN) by admins and
  committee members, until voting opens; voting is opened and closed by admins; seats are
  assigned and vacated by admins, who alone read the roster of every seat, vacated ones too.
- Votes (which seat voted) are seen by admins and committee members; once a RECORDED ballot
  has closed, also by members. Peers' clients never see ballots.
- A seat's choice on a SECRET ballot is seen by no one, ever: it is not stored with the seat.
- The audit trail is read by admins and committee members.
- Seats (which organization sits on the committee) are public; their holders are people,
  seen by whoever may see people.
- A proposal's discussion (its comments) is the members' business: seen by admins, committee
  members and members, on the proposals they see; never by anonymous callers, ALLY or PEER
  people or peers' clients. Members, committee members and admins comment; authors edit and
  withdraw their own; admins hide. A withdrawn or hidden comment's text is seen by admins
  only (its author withdrew it; a moderator hid it).
- Amendments and the text's versions are seen wherever their proposal is. A seat's holder or
  alternate proposes amendments; admins, the proposal's author and people of its sponsoring
  organizations accept or reject them.
- Meetings' agendas are set by admins. Proxies are given and revoked by the giving seat's
  holder or alternate, or by an admin recording one handed in on paper; they are seen by
  admins and committee members.
- The decision register (proposals closed ADOPTED or REJECTED, with their follow-up actions)
  is seen whole by members; peers' clients, ALLY and PEER people and anonymous callers see its
  public slice, the ADOPTED decisions and their actions without the actions' notes. Admins and
  the proposal's sponsors (its author, people of its sponsoring organizations) add and update
  its actions.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from hub.access.auth.viewer import Viewer
from hub.access.permissions.errors import Forbidden, NotSignedIn
from hub.infrastructure.models import CommitteeSeat, FollowUpAction, Proposal, ProposalComment, Vote
from hub.infrastructure.models.governance import Ballot, CommentStatus, ProposalStatus

PUBLIC_STATUSES = (ProposalStatus.ADOPTED, ProposalStatus.REJECTED)
MEMBER_STATUSES = (
    ProposalStatus.DISCUSSION,
    ProposalStatus.VOTING,
    ProposalStatus.WITHDRAWN,
    *PUBLIC_STATUSES,
)


def is_committee_insider(viewer: Viewer) -> bool:
    """Admins and committee members: they see drafts, open votes and the audit trail."""
    return viewer.is_admin or (viewer.is_person and viewer.is_committee_member)


def is_member(viewer: Viewer) -> bool:
    return viewer.is_member


def proposal_rows(viewer: Viewer) -> ColumnElement[bool]:
    if is_committee_insider(viewer):
        return true()
    if is_member(viewer):
        return Proposal.status.in_(MEMBER_STATUSES)
    return Proposal.status.in_(PUBLIC_STATUSES)


def may_see_status(viewer: Viewer, status: ProposalStatus) -> bool:
    """`proposal_rows` for a status a proposal reads as but does not store yet (a window past
    its close reads as its outcome until the worker stores it)."""
    if is_committee_insider(viewer):
        return True
    return status in (MEMBER_STATUSES if is_member(viewer) else PUBLIC_STATUSES)


def may_see_in_register(viewer: Viewer, status: ProposalStatus) -> bool:
    """`register_rows` for a decision read but not stored yet."""
    if is_committee_insider(viewer) or is_member(viewer):
        return status in DECIDED_STATUSES
    return status is ProposalStatus.ADOPTED


def vote_rows(viewer: Viewer) -> ColumnElement[bool]:
    if is_committee_insider(viewer):
        return true()
    if not is_member(viewer):
        return false()
    closed_recorded = select(Proposal.id).where(
        Proposal.closed_at.is_not(None), Proposal.ballot == Ballot.RECORDED
    )
    return Vote.proposal_id.in_(closed_recorded)


def vote_rows_read(viewer: Viewer, now: datetime) -> ColumnElement[bool]:
    """`vote_rows` as a read at `now` applies it (hub/interfaces/graphql/governance/loaders.py
    `_vote_rows`), in SQL alone for the compiled read path: members also see the votes of a
    RECORDED ballot whose window has passed though its close is not stored yet (a RECORDED
    ballot's outcome is always counted, so every such window reads as closed)."""
    if is_committee_insider(viewer):
        return true()
    if not is_member(viewer):
        return false()
    passed = and_(Proposal.status == ProposalStatus.VOTING, Proposal.voting_closes_at <= now)
    read_closed = select(Proposal.id).where(
        Proposal.ballot == Ballot.RECORDED, or_(Proposal.closed_at.is_not(None), passed)
    )
    return Vote.proposal_id.in_(read_closed)


def event_rows(viewer: Viewer) -> ColumnElement[bool]:
    return true() if is_committee_insider(viewer) else false()


def seat_rows(viewer: Viewer) -> ColumnElement[bool]:
    return true()


def proxy_rows(viewer: Viewer) -> ColumnElement[bool]:
    return true() if is_committee_insider(viewer) else false()


def require_seat_speaker(viewer: Viewer, seat: CommitteeSeat) -> None:
    """The seat's holder or alternate, or an admin, may speak for it (give its proxy)."""
    require_person(viewer)
    if viewer.is_admin or viewer.person_id in (seat.holder_id, seat.alternate_id):
        return
    raise Forbidden("Only the seat's holder or alternate, or an admin, may give its proxy.")


def may_see_live_counts(viewer: Viewer, ballot: Ballot | None) -> bool:
    """Per-choice counts before the close: only of a RECORDED ballot, to those who see its votes.
    A SECRET ballot's counts wait for the close: any earlier count would let an observer
    difference one seat's choice out of it."""
    return ballot is Ballot.RECORDED and is_committee_insider(viewer)


def may_write_proposals(viewer: Viewer) -> bool:
    return is_committee_insider(viewer)


def may_edit_proposal(viewer: Viewer, status: ProposalStatus) -> bool:
    """Its text, sponsors, origin and place in the lifecycle: writers, until voting opens."""
    return may_write_proposals(viewer) and status in TEXT_EDITABLE


def may_open_voting(viewer: Viewer, status: ProposalStatus) -> bool:
    return viewer.is_admin and status is ProposalStatus.DISCUSSION


def may_close_voting(viewer: Viewer, status: ProposalStatus) -> bool:
    return viewer.is_admin and status is ProposalStatus.VOTING


def require_person(viewer: Viewer) -> None:
    if not viewer.is_person:
        raise NotSignedIn()


def require_admin(viewer: Viewer) -> None:
    if not viewer.is_person and not viewer.client_id:
        raise NotSignedIn()
    if not viewer.is_admin:
        raise Forbidden("Only alliance admins may do this.")


def require_proposal_writer(viewer: Viewer) -> None:
    require_person(viewer)
    if not may_write_proposals(viewer):
        raise Forbidden("Only admins and Coordinating Committee members may write proposals.")


def comment_rows(viewer: Viewer) -> ColumnElement[bool]:
    if not (is_committee_insider(viewer) or is_member(viewer)):
        return false()
    return ProposalComment.proposal_id.in_(select(Proposal.id).where(proposal_rows(viewer)))


def may_read_comment_text(viewer: Viewer, status: CommentStatus) -> bool:
    return status is CommentStatus.VISIBLE or viewer.is_admin


TEXT_EDITABLE = (ProposalStatus.DRAFT, ProposalStatus.DISCUSSION)


def may_discuss(viewer: Viewer, status: ProposalStatus) -> bool:
    return (
        status is ProposalStatus.DISCUSSION
        and viewer.is_person
        and (is_committee_insider(viewer) or is_member(viewer))
    )


def may_amend(viewer: Viewer, status: ProposalStatus) -> bool:
    return status in TEXT_EDITABLE and viewer.is_person and viewer.is_committee_member


def require_discussant(viewer: Viewer) -> None:
    require_person(viewer)
    if not (is_committee_insider(viewer) or is_member(viewer)):
        raise Forbidden("Only people of member organizations take part in the discussion.")


def require_author(viewer: Viewer, author_id: int | None) -> None:
    require_person(viewer)
    if author_id is None or author_id != viewer.person_id:
        raise Forbidden("Only its author may change a comment.")


def require_moderator(viewer: Viewer) -> None:
    require_person(viewer)
    if not viewer.is_admin:
        raise Forbidden("Only alliance admins moderate the discussion.")


def require_amender(viewer: Viewer) -> None:
    require_person(viewer)
    if not viewer.is_committee_member:
        raise Forbidden("Only a seat's holder or alternate may propose an amendment.")


def may_decide_amendments(
    viewer: Viewer, created_by_id: int | None, sponsor_ids: frozenset[int]
) -> bool:
    if not viewer.is_person:
        return False
    return (
        viewer.is_admin
        or (created_by_id is not None and created_by_id == viewer.person_id)
        or bool(viewer.affiliated_org_ids & sponsor_ids)
    )


def require_amendment_decider(
    viewer: Viewer, created_by_id: int | None, sponsor_ids: frozenset[int]
) -> None:
    require_person(viewer)
    if not may_decide_amendments(viewer, created_by_id, sponsor_ids):
        raise Forbidden("Only the proposal's sponsors, its author and admins decide amendments.")


# The decision register: the proposals decided when their vote closed, and their follow-up
# actions. Members see every decision; peers' clients, ALLY and PEER people and anonymous
# callers see the public slice, the ADOPTED ones; an action's notes are the members' business.
DECIDED_STATUSES = (ProposalStatus.ADOPTED, ProposalStatus.REJECTED)


def register_rows(viewer: Viewer) -> ColumnElement[bool]:
    decided = Proposal.closed_at.is_not(None)
    if is_committee_insider(viewer) or is_member(viewer):
        return decided & Proposal.status.in_(DECIDED_STATUSES)
    return decided & (Proposal.status == ProposalStatus.ADOPTED)


def follow_up_rows(viewer: Viewer) -> ColumnElement[bool]:
    return FollowUpAction.proposal_id.in_(select(Proposal.id).where(register_rows(viewer)))


def may_read_action_notes(viewer: Viewer) -> bool:
    return is_committee_insider(viewer) or is_member(viewer)


def may_follow_up(viewer: Viewer, created_by_id: int | None, sponsor_ids: frozenset[int]) -> bool:
    """Admins and the proposal's sponsors (its author, people of its sponsoring organizations)
    keep its follow-up actions, as they decide its amendments."""
    return may_decide_amendments(viewer, created_by_id, sponsor_ids)


def require_follow_up_writer(
    viewer: Viewer, created_by_id: int | None, sponsor_ids: frozenset[int]
) -> None:
    require_person(viewer)
    if not may_follow_up(viewer, created_by_id, sponsor_ids):
        raise Forbidden("Only the proposal's sponsors, its author and admins keep its actions.")
