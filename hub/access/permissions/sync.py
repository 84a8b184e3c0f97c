"""Tombstones: who learns that an object left the lists.

A tombstone is seen by a viewer who could see the object just before it left (the same rules
as for the object, applied to what it was: a convening's visibility and hosts, a proposal's
status) and who does not see it in the sync lists now. Organizations are public, so their
tombstones are too. A viewer who never saw an object never learns that it existed."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, or_, select, true

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as convening_rules
from hub.access.permissions import governance as governance_rules
from hub.infrastructure.models import Convening, Proposal, Tombstone, TombstoneHost
from hub.infrastructure.models.convenings import ConveningStatus, Visibility
from hub.infrastructure.models.governance import ProposalStatus

# What the sync lists leave out: these arrive as tombstones instead.
ENDED_CONVENING = ConveningStatus.CANCELLED
ENDED_PROPOSAL = ProposalStatus.WITHDRAWN


def tombstone_rows(viewer: Viewer) -> ColumnElement[bool]:
    return or_(
        Tombstone.type_name == "Organization",
        and_(
            Tombstone.type_name == "Convening",
            _convening_was_visible(viewer),
            ~_convening_still_listed(viewer),
        ),
        and_(
            Tombstone.type_name == "Proposal",
            _proposal_was_visible(viewer),
            ~_proposal_still_listed(viewer),
        ),
    )


def _convening_was_visible(viewer: Viewer) -> ColumnElement[bool]:
    """`convening_rows`, applied to the convening as it was
    (hub/access/permissions/convenings.py)."""
    if viewer.is_admin:
        return true()
    allowed: list[ColumnElement[bool]] = [Tombstone.prior_visibility == Visibility.PUBLIC]
    if viewer.is_member:
        allowed.append(Tombstone.prior_visibility == Visibility.MEMBERS)
    if viewer.is_person and viewer.is_committee_member:
        allowed.append(Tombstone.prior_visibility == Visibility.COMMITTEE)
    if viewer.is_person and viewer.contact_org_ids:
        allowed.append(
            exists().where(
                TombstoneHost.tombstone_id == Tombstone.id,
                TombstoneHost.organization_id.in_(sorted(viewer.contact_org_ids)),
            )
        )
    return or_(*allowed)


def _convening_still_listed(viewer: Viewer) -> ColumnElement[bool]:
    listed = select(Convening.id).where(
        Convening.id == Tombstone.object_id,
        Convening.status != ENDED_CONVENING,
        convening_rules.convening_rows(viewer),
    )
    return listed.exists()


def _proposal_was_visible(viewer: Viewer) -> ColumnElement[bool]:
    """`proposal_rows`, applied to the proposal's status before it left."""
    if governance_rules.is_committee_insider(viewer):
        return true()
    if governance_rules.is_member(viewer):
        return Tombstone.prior_status.in_(governance_rules.MEMBER_STATUSES)
    return Tombstone.prior_status.in_(governance_rules.PUBLIC_STATUSES)


def _proposal_still_listed(viewer: Viewer) -> ColumnElement[bool]:
    listed = select(Proposal.id).where(
        Proposal.id == Tombstone.object_id,
        Proposal.status != ENDED_PROPOSAL,
        governance_rules.proposal_rows(viewer),
    )
    return listed.exists()
