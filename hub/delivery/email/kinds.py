"""The kinds of message the hub sends; each has a template per language."""

from __future__ import annotations

import enum


class MessageKind(enum.StrEnum):
    SIGNIN_LINK = "signin_link"
    GUEST_RSVP_CONFIRM = "guest_rsvp_confirm"
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
    COMMITTEE_AGENDA = "committee_agenda"
    COMMITTEE_PROXY_GRANTED = "committee_proxy_granted"
    COMMITTEE_PROXY_USED = "committee_proxy_used"
    COMMITTEE_ACTION_DUE = "committee_action_due"
    HOST_MESSAGE = "host_message"


# Messages that take a convening out of someone's calendar: they offer no link to put it in.
TAKES_OUT_OF_CALENDAR = frozenset({MessageKind.RSVP_WITHDRAWN, MessageKind.CONVENING_CANCELLED})

# What a person needs whatever they unsubscribed from: their sign-in links, what became of
# what they answered (and changes to it), and the notices a seat holder must act on. An
# unsubscribe stops the rest; a bounce or a spam report stops everything (hub/delivery/email/
# suppressions). Reminders of a convening are a courtesy: an unsubscribe stops them.
TRANSACTIONAL = frozenset(
    {
        MessageKind.SIGNIN_LINK,
        MessageKind.RSVP_CONFIRMED,
        MessageKind.RSVP_WAITLISTED,
        MessageKind.RSVP_WITHDRAWN,
        MessageKind.WAITLIST_PROMOTED,
        MessageKind.CONVENING_UPDATED,
        MessageKind.CONVENING_CANCELLED,
        MessageKind.VOTING_OPENED,
        MessageKind.VOTING_REMINDER,
        MessageKind.VOTING_RESULT,
        # A meeting's notice to its seats; a proxy is a seat's vote given in writing, and its
        # grant and its use are that writing. Follow-up actions coming due are a courtesy.
        MessageKind.COMMITTEE_AGENDA,
        MessageKind.COMMITTEE_PROXY_GRANTED,
        MessageKind.COMMITTEE_PROXY_USED,
        # The link a guest asked for, to confirm their answer to a PUBLIC convening.
        MessageKind.GUEST_RSVP_CONFIRM,
    }
)
