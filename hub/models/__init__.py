"""SQLAlchemy models only; Alembic reads their metadata from here."""

from hub.models.base import Base
from hub.models.convenings import Convening, ConveningHost, ConveningSeries, Rsvp
from hub.models.directory import Affiliation, Organization, Person
from hub.models.governance import (
    CommitteeSeat,
    EligibleSeat,
    GovernanceEvent,
    Proposal,
    ProposalSponsor,
    SecretBallot,
    Vote,
)
from hub.models.instance import InstanceSecret

__all__ = [
    "Affiliation",
    "Base",
    "CommitteeSeat",
    "Convening",
    "ConveningHost",
    "ConveningSeries",
    "EligibleSeat",
    "GovernanceEvent",
    "InstanceSecret",
    "Organization",
    "Person",
    "Proposal",
    "ProposalSponsor",
    "Rsvp",
    "SecretBallot",
    "Vote",
]
