"""Scheduling convenings: creating, changing and cancelling them (admins and host contacts).

Times arrive as wall-clock times in the convening's zone (or with an explicit offset) and are
stored in UTC beside the zone's name. A change of time, place or status raises `sequence`,
which calendar invitations carry, before the notification seam hears of it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.auth.viewer import Viewer
from hub.convenings import lookup, waitlist
from hub.convenings import validation as valid
from hub.convenings.errors import ConveningErrorCode as Code
from hub.errors import InputError
from hub.models import Convening, ConveningHost, ConveningSeries, Organization
from hub.models.convenings import ConveningKind, ConveningStatus, Visibility
from hub.models.sync import TombstoneReason
from hub.notifications import convenings as notify
from hub.permissions import convenings as rules
from hub.sync import tombstones
from hub.sync.changes import touch
from hub.unset import UNSET, Maybe, is_set

# Changes that make a sent calendar invitation wrong.
MATERIAL = ("starts_at", "ends_at", "time_zone", "venue_name", "venue_address", "virtual_url")


@dataclass
class ConveningChanges:
    """What to set on a convening; fields left UNSET keep their value."""

    title: Maybe[str] = UNSET
    kind: Maybe[ConveningKind] = UNSET
    series_slug: Maybe[str | None] = UNSET
    description: Maybe[str | None] = UNSET
    starts_at: Maybe[datetime] = UNSET
    ends_at: Maybe[datetime] = UNSET
    time_zone: Maybe[str] = UNSET
    venue_name: Maybe[str | None] = UNSET
    venue_address: Maybe[str | None] = UNSET
    virtual_url: Maybe[str | None] = UNSET
    capacity: Maybe[int | None] = UNSET
    delegate_limit: Maybe[int | None] = UNSET
    rsvp_deadline: Maybe[datetime | None] = UNSET
    languages: Maybe[list[str]] = UNSET
    visibility: Maybe[Visibility] = UNSET
    host_ids: Maybe[list[int]] = UNSET

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if is_set(getattr(self, f.name))
        }


REQUIRED_TO_CREATE = ("title", "kind", "starts_at", "ends_at", "time_zone", "host_ids")


async def create_convening(
    session: AsyncSession, viewer: Viewer, changes: ConveningChanges
) -> Convening:
    rules.require_may_schedule(viewer)
    given = changes.given()
    for name in REQUIRED_TO_CREATE:
        if given.get(name) is None:
            raise InputError(_camel(name), Code.REQUIRED, f"Give the convening's {name}.")
    convening = Convening(description="", languages=[], going_count=0, sequence=0)
    cleaned = await _cleaned(session, viewer, convening, given)
    _require_place(cleaned.get("venue_name"), cleaned.get("virtual_url"))
    hosts = cleaned.pop("host_ids")
    for name, value in cleaned.items():
        setattr(convening, name, value)
    session.add(convening)
    await session.flush()
    session.add_all(ConveningHost(convening_id=convening.id, organization_id=h) for h in hosts)
    await session.flush()
    await notify.convening_created(session, convening)
    return convening


async def update_convening(
    session: AsyncSession, viewer: Viewer, convening_id: int, changes: ConveningChanges
) -> Convening:
    """Changes the given fields. A cancelled convening stays cancelled; an admin may still
    correct its fields (legacy rows may hold what no calendar renders)."""
    convening = await _managed(session, viewer, convening_id)
    cancelled = convening.status == ConveningStatus.CANCELLED
    if cancelled and not viewer.is_admin:
        raise InputError(
            "id", Code.CONVENING_CANCELLED, "Only an admin may correct a cancelled convening."
        )
    cleaned = await _cleaned(session, viewer, convening, changes.given())
    _require_place(
        cleaned.get("venue_name", convening.venue_name),
        cleaned.get("virtual_url", convening.virtual_url),
    )
    hosts = cleaned.pop("host_ids", None)
    material = any(
        name in MATERIAL and getattr(convening, name) != cleaned[name] for name in cleaned
    )
    prior_visibility, prior_hosts = (
        convening.visibility,
        await lookup.host_ids(session, convening.id),
    )
    for name, value in cleaned.items():
        setattr(convening, name, value)
    if hosts is not None:
        await _replace_hosts(session, convening.id, hosts)
    await tombstones.convening_audience_changed(session, convening, prior_visibility, prior_hosts)
    touch(convening)  # hosts and waitlist promotions show on the convening too
    if material:
        convening.sequence += 1
    if cancelled:
        # A correction (say, of a date no calendar can hold): it stays cancelled, and those
        # told of the cancellation hear nothing more.
        await session.flush()
        return convening
    promoted = await waitlist.promote(session, convening)
    await session.flush()
    for rsvp in promoted:
        await notify.waitlist_promoted(session, rsvp, convening)
    await notify.convening_changed(session, convening, material=material)
    return convening


async def cancel_convening(session: AsyncSession, viewer: Viewer, convening_id: int) -> Convening:
    convening = await _managed(session, viewer, convening_id)
    if convening.status == ConveningStatus.CANCELLED:
        raise InputError("id", Code.ALREADY_CANCELLED, "This convening is already cancelled.")
    convening.status = ConveningStatus.CANCELLED
    convening.sequence += 1
    await session.flush()
    await tombstones.convening_left(session, convening, TombstoneReason.CANCELLED)
    await notify.convening_cancelled(session, convening)
    return convening


async def _managed(session: AsyncSession, viewer: Viewer, convening_id: int) -> Convening:
    rules.require_person(viewer)
    try:
        convening = await lookup.locked_convening(session, viewer, convening_id)
    except InputError as error:
        raise InputError("id", error.code, error.message) from error
    rules.require_manage(viewer, await lookup.host_ids(session, convening.id))
    return convening


async def _cleaned(
    session: AsyncSession, viewer: Viewer, convening: Convening, given: dict[str, Any]
) -> dict[str, Any]:
    """Validates every given field first, so a refused change leaves the row untouched."""
    cleaned: dict[str, Any] = {}
    if "title" in given:
        cleaned["title"] = valid.required_text("title", given["title"], 200)
    if "kind" in given:
        cleaned["kind"] = _not_null("kind", given["kind"])
    if "visibility" in given:
        cleaned["visibility"] = _not_null("visibility", given["visibility"])
    if "description" in given:
        cleaned["description"] = valid.optional_text("description", given["description"], 10_000)
        cleaned["description"] = cleaned["description"] or ""
    for name, limit in (("venue_name", 200), ("venue_address", 300)):
        if name in given:
            cleaned[name] = valid.optional_text(_camel(name), given[name], limit)
    if "virtual_url" in given:
        cleaned["virtual_url"] = valid.url("virtualUrl", given["virtual_url"])
    if "capacity" in given:
        cleaned["capacity"] = valid.capacity(given["capacity"])
    if "delegate_limit" in given:
        cleaned["delegate_limit"] = valid.delegate_limit(given["delegate_limit"])
    if "languages" in given:
        cleaned["languages"] = valid.languages(given["languages"] or [])
    cleaned.update(_times(convening, given))
    if "series_slug" in given:
        cleaned["series_id"] = await _series_id(session, given["series_slug"])
    if "host_ids" in given:
        cleaned["host_ids"] = await _hosts(session, viewer, given["host_ids"] or [])
    return cleaned


def _times(convening: Convening, given: dict[str, Any]) -> dict[str, Any]:
    """Start, end and deadline in UTC; a time without an offset is read in the (new) zone."""
    cleaned: dict[str, Any] = {}
    if "time_zone" in given:
        cleaned["time_zone"] = valid.time_zone(given["time_zone"]).key
    zone = ZoneInfo(cleaned.get("time_zone", convening.time_zone))
    for name in ("starts_at", "ends_at", "rsvp_deadline"):
        if name in given:
            value = given[name]
            if value is None and name != "rsvp_deadline":
                raise InputError(_camel(name), Code.REQUIRED, f"{_camel(name)} cannot be cleared.")
            cleaned[name] = valid.in_zone(value, zone) if value is not None else None
    if cleaned.keys() & {"starts_at", "ends_at", "rsvp_deadline"}:
        valid.schedule(
            cleaned.get("starts_at", convening.starts_at),
            cleaned.get("ends_at", convening.ends_at),
            cleaned.get("rsvp_deadline", convening.rsvp_deadline),
        )
    return cleaned


async def _series_id(session: AsyncSession, slug: str | None) -> int | None:
    if slug is None or not slug.strip():
        return None
    found = await session.scalar(
        select(ConveningSeries.id).where(ConveningSeries.slug == slug.strip().lower())
    )
    if found is None:
        raise InputError("seriesSlug", Code.UNKNOWN_SERIES, f"No series has the slug {slug!r}.")
    return int(found)


async def _hosts(session: AsyncSession, viewer: Viewer, host_ids: list[int]) -> list[int]:
    hosts = list(dict.fromkeys(host_ids))
    if not hosts:
        raise InputError("hostIds", Code.HOST_REQUIRED, "Name at least one host organization.")
    found = set(await session.scalars(select(Organization.id).where(Organization.id.in_(hosts))))
    if len(found) != len(hosts):
        raise InputError("hostIds", Code.UNKNOWN_ORGANIZATION, "No organization has that id.")
    if not viewer.is_admin and viewer.contact_org_ids.isdisjoint(hosts):
        raise InputError(
            "hostIds",
            Code.NOT_YOUR_ORGANIZATION,
            "Host the convening with an organization you are a contact of.",
        )
    return hosts


async def _replace_hosts(session: AsyncSession, convening_id: int, hosts: list[int]) -> None:
    await session.execute(delete(ConveningHost).where(ConveningHost.convening_id == convening_id))
    session.add_all(ConveningHost(convening_id=convening_id, organization_id=h) for h in hosts)
    await session.flush()


def _require_place(venue_name: str | None, virtual_url: str | None) -> None:
    if not venue_name and not virtual_url:
        raise InputError("venueName", Code.PLACE_REQUIRED, "Give a venue, a virtual link, or both.")


def _not_null(name: str, value: Any) -> Any:
    if value is None:
        raise InputError(name, Code.REQUIRED, f"{name} cannot be cleared.")
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
