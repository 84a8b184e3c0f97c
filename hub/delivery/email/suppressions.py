"""Addresses the hub stops mailing, as SendGrid's Event Webhook reports them, and which mail
each stops: a bounce, a drop or a spam report stops every message (the address takes no mail,
or its owner called ours spam); an unsubscribe stops only what is not transactional
(hub/delivery/email/kinds.TRANSACTIONAL), so an unsubscribed person still gets their sign-in link.

Admins list suppressions and lift one (an address fixed, a report made by mistake); each lift
is written to the audit trail."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.common.errors import InputChecks, InputError
from hub.delivery.email.kinds import TRANSACTIONAL
from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import AuditEvent, EmailSuppression

SUPPRESSING_EVENTS = frozenset(
    {"bounce", "dropped", "spamreport", "unsubscribe", "group_unsubscribe"}
)
UNSUBSCRIBES = frozenset({"unsubscribe", "group_unsubscribe"})
MAX_DETAIL = 500
MAX_EMAIL = 320
MAX_LIFT_REASON = 500
LIFTED = "EMAIL_SUPPRESSION_LIFTED"


def suppresses(event: dict[str, Any]) -> bool:
    # A "blocked" bounce is the receiving server's passing refusal; only a real bounce sticks.
    if event.get("event") == "bounce" and event.get("type") == "blocked":
        return False
    return event.get("event") in SUPPRESSING_EVENTS and isinstance(event.get("email"), str)


def stops(reason: str | None, kind: str) -> bool:
    """Whether a suppression for this reason stops a message of this kind."""
    if reason is None:
        return False
    return kind not in TRANSACTIONAL if reason in UNSUBSCRIBES else True


def stops_all_mail(reason: str | None) -> bool:
    return reason is not None and reason not in UNSUBSCRIBES


def normalized(email: str) -> str:
    return email.strip().lower()


async def record_events(session: AsyncSession, events: Iterable[dict[str, Any]]) -> int:
    """Records a suppression for each suppressing event; returns how many were new. An address
    already suppressed keeps its first reason."""
    recorded = 0
    for event in events:
        if suppresses(event):
            recorded += await suppress(session, event["email"], _reason(event), _detail(event))
    return recorded


async def suppress(session: AsyncSession, email: str, reason: str, detail: str = "") -> int:
    insert = dialect_insert(session, EmailSuppression).values(
        email=normalized(email), reason=reason, detail=detail
    )
    result = await session.execute(insert.on_conflict_do_nothing(index_elements=["email"]))
    return int(cast(CursorResult[Any], result).rowcount or 0)


async def suppression_reason(session: AsyncSession, email: str) -> str | None:
    statement = select(EmailSuppression.reason).where(EmailSuppression.email == normalized(email))
    return await session.scalar(statement)


def suppressions_by_email() -> Select[EmailSuppression]:
    return select(EmailSuppression).order_by(EmailSuppression.email)


class SuppressionErrorCode(enum.StrEnum):
    INVALID_EMAIL = "INVALID_EMAIL"
    NOT_SUPPRESSED = "NOT_SUPPRESSED"
    REASON_REQUIRED = "REASON_REQUIRED"
    REASON_TOO_LONG = "REASON_TOO_LONG"


async def lift(
    session: AsyncSession,
    email: str,
    *,
    reason: str,
    actor_id: int | None,
    via: str,
    now: datetime,
) -> EmailSuppression:
    """Lifts the address's suppression and writes who did it, how, why it had been there and
    why it is lifted to the audit trail. Refused (nothing written) for an address that is not
    suppressed, and without a reason."""
    checks = InputChecks()
    if not plausible_email(email):
        checks.refuse(
            InputError("email", SuppressionErrorCode.INVALID_EMAIL, "Enter an email address.")
        )
    why = _lifting_reason(reason, checks)
    checks.raise_found()
    statement = delete(EmailSuppression).where(EmailSuppression.email == normalized(email))
    lifted = (await session.execute(statement.returning(EmailSuppression))).scalar_one_or_none()
    if lifted is None:
        message = f"{normalized(email)} is not suppressed: the hub mails it already."
        raise InputError("email", SuppressionErrorCode.NOT_SUPPRESSED, message)
    detail = f"{lifted.email} (was {lifted.reason}; lifted {via}): {why}"
    session.add(AuditEvent(action=LIFTED, actor_id=actor_id, detail=detail, created_at=now))
    await session.flush()
    return lifted


def _lifting_reason(reason: str, checks: InputChecks) -> str:
    why = " ".join(reason.split())
    if not why:
        checks.refuse(
            InputError(
                "reason",
                SuppressionErrorCode.REASON_REQUIRED,
                "Say why the address may be mailed again.",
            )
        )
    elif len(why) > MAX_LIFT_REASON or not why.isprintable():
        checks.refuse(
            InputError(
                "reason",
                SuppressionErrorCode.REASON_TOO_LONG,
                f"Keep the reason under {MAX_LIFT_REASON} characters.",
            )
        )
    return why


def plausible_email(email: str) -> bool:
    # Lifts what SendGrid reported, so no stricter check than this; never a control character.
    return 0 < len(email) <= MAX_EMAIL and "@" in email and email.isprintable()


def _reason(event: dict[str, Any]) -> str:
    # SendGrid drops mail to an address on its own unsubscribe list: that is an unsubscribe.
    if event["event"] == "dropped" and "unsubscribed" in str(event.get("reason", "")).lower():
        return "unsubscribe"
    return str(event["event"])


def _detail(event: dict[str, Any]) -> str:
    parts = [str(event[key]) for key in ("reason", "status", "sg_message_id") if event.get(key)]
    return " ".join(parts)[:MAX_DETAIL]
