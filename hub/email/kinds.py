"""The kinds of message the hub sends; each has a template per language."""

from __future__ import annotations

import enum


class MessageKind(enum.StrEnum):
    RSVP_CONFIRMED = "rsvp_confirmed"
    RSVP_WAITLISTED = "rsvp_waitlisted"
    RSVP_WITHDRAWN = "rsvp_withdrawn"
    WAITLIST_PROMOTED = "waitlist_promoted"
    CONVENING_UPDATED = "convening_updated"
    CONVENING_CANCELLED = "convening_cancelled"
    CONVENING_REMINDER = "convening_reminder"
    VOTING_OPENED = "voting_opened"
    VOTING_REMINDER = "voting_reminder"
    VOTING_RESULT = "voting_result"
