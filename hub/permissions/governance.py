"""The Coordinating Committee: who may see proposals, votes and the audit trail, and act on them.

- A proposal is seen by status: DRAFT by admins and committee members (seat holders and
  alternates); DISCUSSION, VOTING and WITHDRAWN also by members (people of MEMBER and
  STRATEGIC_PARTNER organizations, not of ALLY or PEER ones: `Viewer.is_member`); ADOPTED
  and REJECTED by everyone, anonymous callers and peers' API clients too.
- Proposals are written (created, changed, moved to DISCUSSION or WITHDRAWN) by admins and
  committee members; voting is opened and closed by admins; seats are assigned by admins.
- Votes (which seat voted) are seen by admins and committee members; once a RECORDED ballot
  has closed, also by members. Peers' clients never see ballots.
- A seat's choice on a SECRET ballot is seen by no one, ever: it is not stored with the seat.
- The audit trail is read by admins and committee members.
- Seats (which organization sits on the committee) are public; their holders are people,
  seen by whoever may see people.
- Meetings' agendas are set by admins. Proxies are given and revoked by the giving seat's
  holder or alternate, or by an admin recording one handed in on paper; they are seen by
  admins and committee members.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, select, true

from hub.auth.viewer import Viewer
from hub.models import CommitteeSeat, Proposal, Vote
from hub.models.governance import Ballot, ProposalStatus
from hub.permissions.errors import Forbidden, NotSignedIn

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


def vote_rows(viewer: Viewer) -> ColumnElement[bool]:
    if is_committee_insider(viewer):
        return true()
    if not is_member(viewer):
        return false()
    closed_recorded = select(Proposal.id).where(
        Proposal.closed_at.is_not(None), Proposal.ballot == Ballot.RECORDED
    )
    return Vote.proposal_id.in_(closed_recorded)


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
