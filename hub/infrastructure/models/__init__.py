"""SQLAlchemy models only; Alembic reads their metadata from here."""

from hub.infrastructure.models.audit import AuditEvent
from hub.infrastructure.models.base import Base
from hub.infrastructure.models.clients import ApiClient, RateLimitBucket
from hub.infrastructure.models.convenings import (
    AttendeeMessage,
    Convening,
    ConveningHost,
    ConveningSeries,
    Rsvp,
)
from hub.infrastructure.models.credentials import PersonalAccessToken, SignInSession
from hub.infrastructure.models.directory import Affiliation, Organization, Person
from hub.infrastructure.models.email_preferences import EmailOptOut, UnsubscribeToken
from hub.infrastructure.models.governance import (
    BallotReceipt,
    CommitteeSeat,
    EligibleSeat,
    GovernanceEvent,
    Proposal,
    ProposalAmendment,
    ProposalComment,
    ProposalSponsor,
    ProposalVersion,
    Vote,
)
from hub.infrastructure.models.guests import GuestRsvpRequest
from hub.infrastructure.models.instance import InstanceSecret
from hub.infrastructure.models.meetings import AgendaItem, Proxy
from hub.infrastructure.models.outbox import CalendarFeedToken, EmailSuppression, OutboxMessage
from hub.infrastructure.models.register import FollowUpAction
from hub.infrastructure.models.requests import RequestKey
from hub.infrastructure.models.signin import SigninAttempt, SigninLink
from hub.infrastructure.models.sync import Tombstone, TombstoneHost
from hub.infrastructure.models.webhooks import WebhookSubscription

__all__ = [
    "Affiliation",
    "AgendaItem",
    "ApiClient",
    "AttendeeMessage",
    "AuditEvent",
    "BallotReceipt",
    "Base",
    "CalendarFeedToken",
    "CommitteeSeat",
    "Convening",
    "ConveningHost",
    "ConveningSeries",
    "EligibleSeat",
    "EmailOptOut",
    "EmailSuppression",
    "FollowUpAction",
    "GovernanceEvent",
    "GuestRsvpRequest",
    "InstanceSecret",
    "Organization",
    "OutboxMessage",
    "Person",
    "PersonalAccessToken",
    "Proposal",
    "ProposalAmendment",
    "ProposalComment",
    "ProposalSponsor",
    "ProposalVersion",
    "Proxy",
    "RateLimitBucket",
    "RequestKey",
    "Rsvp",
    "SignInSession",
    "SigninAttempt",
    "SigninLink",
    "Tombstone",
    "TombstoneHost",
    "UnsubscribeToken",
    "Vote",
    "WebhookSubscription",
]
