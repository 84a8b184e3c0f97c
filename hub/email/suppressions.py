"""Addresses the hub stops mailing: bounces, drops, spam reports and unsubscribes, as
SendGrid's Event Webhook reports them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from hub.db import dialect_insert
from hub.models import EmailSuppression

SUPPRESSING_EVENTS = frozenset(
    {"bounce", "dropped", "spamreport", "unsubscribe", "group_unsubscribe"}
)
MAX_DETAIL = 500


def suppresses(event: dict[str, Any]) -> bool:
    # A "blocked" bounce is the receiving server's passing refusal; only a real bounce sticks.
    if event.get("event") == "bounce" and event.get("type") == "blocked":
        return False
    return event.get("event") in SUPPRESSING_EVENTS and isinstance(event.get("email"), str)


async def record_events(session: AsyncSession, events: Iterable[dict[str, Any]]) -> int:
    """Records a suppression for each suppressing event; returns how many were new. An address
    already suppressed keeps its first reason."""
    recorded = 0
    for event in events:
        if suppresses(event):
            recorded += await suppress(session, event["email"], event["event"], _detail(event))
    return recorded


async def suppress(session: AsyncSession, email: str, reason: str, detail: str = "") -> int:
    insert = dialect_insert(session, EmailSuppression).values(
        email=email.strip().lower(), reason=reason, detail=detail
    )
    result = await session.execute(insert.on_conflict_do_nothing(index_elements=["email"]))
    return int(cast(CursorResult[Any], result).rowcount or 0)


def _detail(event: dict[str, Any]) -> str:
    parts = [str(event[key]) for key in ("reason", "status", "sg_message_id") if event.get(key)]
    return " ".join(parts)[:MAX_DETAIL]
