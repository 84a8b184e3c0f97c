"""A person's own profile and email choices, and what an unsubscribe link stops."""

from __future__ import annotations

import enum

import strawberry

from hub.delivery.email.preferences import EmailCategory
from hub.domains.directory.errors import DirectoryErrorCode
from hub.interfaces.graphql.errors import UserError

strawberry.enum(
    EmailCategory,
    description="A kind of email a person may stop: reminders (of convenings they are going "
    "to), host_messages (messages from a convening's hosts), committee_notices (such as "
    "follow-up actions coming due). Email about what they answered is in none and always goes.",
)


class UnsubscribeErrorCode(enum.StrEnum):
    INVALID_TOKEN = "INVALID_TOKEN"


strawberry.enum(
    UnsubscribeErrorCode,
    description="INVALID_TOKEN: the link is not one the hub sent (mistyped, or forged).",
)


@strawberry.type(description="What an email's unsubscribe link stops, for whoever holds it.")
class UnsubscribeLink:
    category: EmailCategory


@strawberry.type(description="A mistake in a profile change.")
class ProfileError(UserError):
    code: DirectoryErrorCode


@strawberry.type(description="A mistake in an unsubscribe.")
class UnsubscribeError(UserError):
    code: UnsubscribeErrorCode
