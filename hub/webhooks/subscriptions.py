"""A client's webhook subscriptions: create (the signing secret is shown once), list, delete."""

from __future__ import annotations

import base64
import enum
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.viewer import Viewer
from hub.config import Settings
from hub.errors import InputError
from hub.models import ApiClient, WebhookSubscription
from hub.permissions.webhooks import require_subscriber
from hub.webhooks import destinations
from hub.webhooks.events import EventType

URL_LIMIT = 500
MAX_SUBSCRIPTIONS_PER_CLIENT = 20


class WebhookErrorCode(enum.StrEnum):
    UNSAFE_URL = "UNSAFE_URL"
    UNREACHABLE_URL = "UNREACHABLE_URL"
    URL_TOO_LONG = "URL_TOO_LONG"
    EVENT_TYPE_REQUIRED = "EVENT_TYPE_REQUIRED"
    TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
    UNKNOWN_SUBSCRIPTION = "UNKNOWN_SUBSCRIPTION"


@dataclass(frozen=True)
class NewSubscription:
    """A new subscription and its signing secret: the only moment the secret is shown."""

    subscription: WebhookSubscription
    secret: str


def own_subscriptions(viewer: Viewer) -> Select[WebhookSubscription]:
    owner = select(ApiClient.id).where(ApiClient.client_id == viewer.client_id)
    return select(WebhookSubscription).where(WebhookSubscription.client_id.in_(owner))


async def create_subscription(
    session: AsyncSession,
    viewer: Viewer,
    settings: Settings,
    url: str,
    event_types: Iterable[EventType],
) -> NewSubscription:
    require_subscriber(viewer)
    wanted = sorted(set(event_types))
    if not wanted:
        raise InputError("eventTypes", WebhookErrorCode.EVENT_TYPE_REQUIRED, "Choose an event.")
    checked = await _reachable_url(url, settings)
    client = await _locked_client(session, viewer)
    await _require_room(session, viewer)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    subscription = WebhookSubscription(
        client_id=client.id, url=checked, event_types=[str(e) for e in wanted], secret=secret
    )
    session.add(subscription)
    await session.flush()
    return NewSubscription(subscription=subscription, secret=secret)


async def _reachable_url(url: str, settings: Settings) -> str:
    if len(url) > URL_LIMIT:
        raise InputError("url", WebhookErrorCode.URL_TOO_LONG, f"Keep the URL under {URL_LIMIT}.")
    try:
        checked = await destinations.checked_url(url, settings)
        await destinations.require_reachable(checked)
    except destinations.UnsafeDestination as error:
        raise InputError("url", WebhookErrorCode.UNSAFE_URL, str(error)) from error
    except destinations.UnreachableDestination as error:
        raise InputError("url", WebhookErrorCode.UNREACHABLE_URL, str(error)) from error
    return checked.strip()


async def _locked_client(session: AsyncSession, viewer: Viewer) -> ApiClient:
    # The client's row is the parent every subscription counts against: locking it makes
    # the limit hold under concurrent creates (SQLite's BEGIN IMMEDIATE does the same).
    statement = select(ApiClient).where(ApiClient.client_id == viewer.client_id).with_for_update()
    return (await session.scalars(statement)).one()


async def _require_room(session: AsyncSession, viewer: Viewer) -> None:
    existing = list(await session.scalars(own_subscriptions(viewer)))
    if len(existing) >= MAX_SUBSCRIPTIONS_PER_CLIENT:
        raise InputError(
            None,
            WebhookErrorCode.TOO_MANY_SUBSCRIPTIONS,
            f"A client may have at most {MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions.",
        )


async def delete_subscription(
    session: AsyncSession, viewer: Viewer, subscription_id: int
) -> WebhookSubscription:
    """Deliveries still queued for it fail at their next attempt, unsent."""
    require_subscriber(viewer)
    statement = own_subscriptions(viewer).where(WebhookSubscription.id == subscription_id)
    subscription = await session.scalar(statement)
    if subscription is None:
        raise InputError(
            "id", WebhookErrorCode.UNKNOWN_SUBSCRIPTION, "You have no subscription with that id."
        )
    await session.delete(subscription)
    await session.flush()
    return subscription
