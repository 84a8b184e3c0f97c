"""A client's webhook subscriptions: create (the signing secret is shown once), list, delete."""

from __future__ import annotations

import base64
import enum
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions.webhooks import (
    may_manage_every_subscription,
    require_subscriber,
    require_subscription_admin,
)
from hub.common.errors import InputChecks, InputError
from hub.delivery.webhooks import destinations
from hub.delivery.webhooks.events import EventType
from hub.infrastructure import request_keys
from hub.infrastructure.audit import record_audit
from hub.infrastructure.config import Settings
from hub.infrastructure.models import ApiClient, WebhookSubscription
from hub.infrastructure.models.base import utcnow

URL_LIMIT = 500
MAX_SUBSCRIPTIONS_PER_CLIENT = 20


class WebhookErrorCode(enum.StrEnum):
    UNSAFE_URL = "UNSAFE_URL"
    UNREACHABLE_URL = "UNREACHABLE_URL"
    URL_TOO_LONG = "URL_TOO_LONG"
    EVENT_TYPE_REQUIRED = "EVENT_TYPE_REQUIRED"
    TOO_MANY_SUBSCRIPTIONS = "TOO_MANY_SUBSCRIPTIONS"
    UNKNOWN_SUBSCRIPTION = "UNKNOWN_SUBSCRIPTION"
    UNKNOWN_CLIENT = "UNKNOWN_CLIENT"
    DUPLICATE_REQUEST = "DUPLICATE_REQUEST"


CREATED = "WEBHOOK_SUBSCRIPTION_CREATED"
DELETED = "WEBHOOK_SUBSCRIPTION_DELETED"


@dataclass(frozen=True)
class NewSubscription:
    """A new subscription and its signing secret: the only moment the secret is shown."""

    subscription: WebhookSubscription
    secret: str


def own_subscriptions(viewer: Viewer) -> Select[WebhookSubscription]:
    owner = select(ApiClient.id).where(ApiClient.client_id == viewer.client_id)
    return select(WebhookSubscription).where(WebhookSubscription.client_id.in_(owner))


@dataclass(frozen=True)
class Owner:
    """Whose subscription it is: the calling client's own, or (for an admin) a client's
    chosen by its database id."""

    client_pk: int | None = None
    request_key: str | None = None


async def create_subscription(
    session: AsyncSession,
    viewer: Viewer,
    settings: Settings,
    url: str,
    event_types: Iterable[EventType],
    owner: Owner = Owner(),
) -> NewSubscription:
    _require_creator(viewer, owner)
    wanted = sorted(set(event_types))
    checks = InputChecks()
    if not wanted:
        checks.refuse(
            InputError("eventTypes", WebhookErrorCode.EVENT_TYPE_REQUIRED, "Choose an event.")
        )
    checks.keep({}, "url", lambda: _well_formed_url(url, settings))
    chosen = await _chosen_client(session, viewer, owner, checks)
    checks.raise_found()
    # Only a request right in every other way reaches out to the URL (a slow lookup).
    checked = await _reachable_url(url, settings)
    client = await _locked_client(session, chosen)
    await _require_room(session, client)
    await request_keys.claim(session, owner.request_key, code=WebhookErrorCode.DUPLICATE_REQUEST)
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    subscription = WebhookSubscription(
        client_id=client.id, url=checked, event_types=[str(e) for e in wanted], secret=secret
    )
    session.add(subscription)
    await session.flush()
    if owner.client_pk is not None:
        detail = f"{checked} for {client.client_id}: {' '.join(str(e) for e in wanted)}"
        await _audit(session, viewer, CREATED, detail)
    return NewSubscription(subscription=subscription, secret=secret)


def _require_creator(viewer: Viewer, owner: Owner) -> None:
    if owner.client_pk is None:
        require_subscriber(viewer)
    else:
        require_subscription_admin(viewer)


async def _audit(session: AsyncSession, viewer: Viewer, action: str, detail: str) -> None:
    now = utcnow()
    await record_audit(session, action=action, actor_id=viewer.person_id, detail=detail, now=now)


def _well_formed_url(url: str, settings: Settings) -> None:
    if len(url) > URL_LIMIT:
        raise InputError("url", WebhookErrorCode.URL_TOO_LONG, f"Keep the URL under {URL_LIMIT}.")
    try:
        destinations.well_formed(url, settings)
    except destinations.UnsafeDestination as error:
        raise InputError("url", WebhookErrorCode.UNSAFE_URL, str(error)) from error


async def _reachable_url(url: str, settings: Settings) -> str:
    try:
        checked = await destinations.checked_url(url, settings)
        await destinations.require_reachable(checked)
    except destinations.UnsafeDestination as error:
        raise InputError("url", WebhookErrorCode.UNSAFE_URL, str(error)) from error
    except destinations.UnreachableDestination as error:
        raise InputError("url", WebhookErrorCode.UNREACHABLE_URL, str(error)) from error
    return checked.strip()


async def _chosen_client(
    session: AsyncSession, viewer: Viewer, owner: Owner, checks: InputChecks
) -> int | None:
    """The database id of the client the subscription is for: the caller's own, or the one an
    admin chose (which must exist and not be revoked)."""
    if owner.client_pk is None:
        statement = select(ApiClient.id).where(ApiClient.client_id == viewer.client_id)
    else:
        statement = select(ApiClient.id).where(
            ApiClient.id == owner.client_pk, ApiClient.revoked_at.is_(None)
        )
    client_pk = await session.scalar(statement)
    if client_pk is None:
        message = "Choose an API client that is not revoked."
        checks.refuse(InputError("client", WebhookErrorCode.UNKNOWN_CLIENT, message))
    return client_pk


async def _locked_client(session: AsyncSession, client_pk: int | None) -> ApiClient:
    # The client's row is the parent every subscription counts against: locking it makes
    # the limit hold under concurrent creates (SQLite's BEGIN IMMEDIATE does the same).
    statement = select(ApiClient).where(ApiClient.id == client_pk).with_for_update()
    return (await session.scalars(statement)).one()


async def _require_room(session: AsyncSession, client: ApiClient) -> None:
    statement = select(WebhookSubscription).where(WebhookSubscription.client_id == client.id)
    existing = list(await session.scalars(statement))
    if len(existing) >= MAX_SUBSCRIPTIONS_PER_CLIENT:
        raise InputError(
            None,
            WebhookErrorCode.TOO_MANY_SUBSCRIPTIONS,
            f"A client may have at most {MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions.",
        )


async def delete_subscription(
    session: AsyncSession, viewer: Viewer, subscription_id: int
) -> WebhookSubscription:
    """Deliveries still queued for it fail at their next attempt, unsent. An admin may delete
    any client's (audited); a client only its own."""
    everyone = may_manage_every_subscription(viewer) and not viewer.is_client
    if not everyone:
        require_subscriber(viewer)
    statement = select(WebhookSubscription) if everyone else own_subscriptions(viewer)
    subscription = await session.scalar(
        statement.where(WebhookSubscription.id == subscription_id).with_for_update()
    )
    if subscription is None:
        raise InputError(
            "id", WebhookErrorCode.UNKNOWN_SUBSCRIPTION, "You have no subscription with that id."
        )
    await session.delete(subscription)
    await session.flush()
    if everyone:
        await _audit(session, viewer, DELETED, f"{subscription.url} (#{subscription.id})")
    return subscription
