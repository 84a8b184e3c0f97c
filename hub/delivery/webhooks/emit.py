"""Queuing an event for every subscription that wants it, in the transaction of the change.
A client hears of an object only if it may read it: the same row rules as the API, applied to
the client's viewer (a convening moved to MEMBERS is not announced to peers)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.scopes import PEER_READ
from hub.access.auth.viewer import Viewer
from hub.access.permissions.convenings import convening_rows
from hub.access.permissions.governance import proposal_rows
from hub.delivery.outbox.enqueue import enqueue_webhook
from hub.delivery.webhooks.events import EventType, convening_data, proposal_data
from hub.domains.convenings.counts import RsvpCounts, counts_by_convening
from hub.infrastructure.models import ApiClient, Convening, Proposal, WebhookSubscription
from hub.infrastructure.models.base import utcnow

RowRule = Callable[[Viewer], ColumnElement[bool]]


async def convening_event(session: AsyncSession, kind: EventType, convening: Convening) -> None:
    await session.flush()
    data = convening_data(convening)
    await _emit(session, kind, data, Convening, convening.id, convening_rows)


async def rsvp_counts_event(session: AsyncSession, convening: Convening) -> None:
    await session.flush()
    data = {**convening_data(convening), "counts": await _counts(session, convening.id)}
    await _emit(
        session,
        EventType.CONVENING_RSVP_COUNTS_CHANGED,
        data,
        Convening,
        convening.id,
        convening_rows,
    )


async def proposal_event(session: AsyncSession, kind: EventType, proposal: Proposal) -> None:
    await session.flush()
    await _emit(session, kind, proposal_data(proposal), Proposal, proposal.id, proposal_rows)


async def _emit(
    session: AsyncSession,
    kind: EventType,
    data: dict[str, Any],
    model: type[Convening] | type[Proposal],
    object_id: int,
    rows: RowRule,
) -> None:
    event = {"type": str(kind), "timestamp": utcnow().isoformat(), "data": data}
    for subscription, client in await _subscribers(session, kind):
        viewer = _client_viewer(client)
        visible = select(model.id).where(model.id == object_id, rows(viewer))
        if PEER_READ not in viewer.scopes or await session.scalar(visible) is None:
            continue
        webhook_id = f"msg_{uuid.uuid4().hex}"
        payload = {"webhook_id": webhook_id, "subscription_id": subscription.id, "event": event}
        await enqueue_webhook(
            session,
            subscription.url,
            kind=str(kind),
            dedupe_key=f"webhook:{subscription.id}:{webhook_id}",
            payload=payload,
        )


async def _subscribers(
    session: AsyncSession, kind: EventType
) -> list[tuple[WebhookSubscription, ApiClient]]:
    statement = (
        select(WebhookSubscription, ApiClient)
        .join(ApiClient, ApiClient.id == WebhookSubscription.client_id)
        .where(ApiClient.revoked_at.is_(None))
        .order_by(WebhookSubscription.id)
    )
    rows = (await session.execute(statement)).all()
    return [(s, c) for s, c in rows if str(kind) in s.event_types]


async def _counts(session: AsyncSession, convening_id: int) -> dict[str, int]:
    """The counts anyone who sees the convening may read (`Convening.counts`)."""
    found = await counts_by_convening(session, Convening.id == convening_id)
    counts = found.get(convening_id, RsvpCounts())
    return {
        "going": counts.going,
        "maybe": counts.maybe,
        "waitlisted": counts.waitlisted,
        "notGoing": counts.not_going,
    }


def _client_viewer(client: ApiClient) -> Viewer:
    return Viewer(
        client_id=client.client_id,
        client_organization_id=client.organization_id,
        scopes=frozenset(client.scopes),
    )
