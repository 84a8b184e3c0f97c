"""SQLAlchemy models only; Alembic reads their metadata from here."""

from hub.models.audit import AuditEvent
from hub.models.base import Base
from hub.models.clients import ApiClient, RateLimitBucket
from hub.models.convenings import (
    AttendeeMessage,
    Convening,
    ConveningHost,
    ConveningSeries,
    Rsvp,
)
from hub.models.credentials import PersonalAccessToken, SignInSession
from hub.models.directory import Affiliation, Organization, Person
from hub.models.email_preferences import EmailOptOut, UnsubscribeToken
from hub.models.governance import (
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
from hub.models.guests import GuestRsvpRequest
from hub.models.instance import InstanceSecret
from hub.models.meetings import AgendaItem, Proxy
from hub.models.outbox import CalendarFeedToken, EmailSuppression, OutboxMessage
from hub.models.register import FollowUpAction
from hub.models.requests import RequestKey
from hub.models.signin import SigninAttempt, SigninLink
from hub.models.sync import Tombstone, TombstoneHost
from hub.models.webhooks import WebhookSubscription

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
