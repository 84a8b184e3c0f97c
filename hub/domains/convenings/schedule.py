"""Scheduling convenings: creating, changing and cancelling them (admins and host contacts).

Times arrive as wall-clock times in the convening's zone (or with an explicit offset) and are
stored in UTC beside the zone's name. A change of time, place or status raises `sequence`,
which calendar invitations carry, before the notification seam hears of it."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.common.errors import InputChecks, InputError
from hub.common.unset import UNSET, Maybe, is_set
from hub.delivery.notifications import convenings as notify
from hub.domains.convenings import creation_keys, lookup, waitlist
from hub.domains.convenings import validation as valid
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.domains.sync import tombstones
from hub.domains.sync.changes import touch
from hub.infrastructure.models import Convening, ConveningHost, ConveningSeries, Organization
from hub.infrastructure.models.convenings import ConveningKind, ConveningStatus, Visibility
from hub.infrastructure.models.sync import TombstoneReason

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
    session: AsyncSession,
    viewer: Viewer,
    changes: ConveningChanges,
    *,
    form_key: str | None = None,
) -> Convening:
    """A new convening. With a `form_key` (one per form shown), the same form sent again
    gets the convening the first one made, and nothing more is written."""
    rules.require_may_schedule(viewer)
    made = await creation_keys.made_by_form(session, viewer, form_key)
    if made:
        return made[0]
    given = changes.given()
    checks = InputChecks()
    _require_all(given, checks)
    convening = new_convening()
    cleaned = await cleaned_changes(session, viewer, convening, given, checks)
    key = creation_keys.key_of(viewer, form_key, 1)
    if not await insert_convening(session, convening, cleaned, key):
        return (await creation_keys.made_by_form(session, viewer, form_key))[0]
    await notify.convening_created(session, convening)
    return convening


def _require_all(given: dict[str, Any], checks: InputChecks) -> None:
    for name in REQUIRED_TO_CREATE:
        if given.get(name) is None:
            given.pop(name, None)
            checks.refuse(
                InputError(_camel(name), Code.REQUIRED, f"Give the convening's {_camel(name)}.")
            )


def new_convening() -> Convening:
    return Convening(description="", languages=[], going_count=0, sequence=0)


async def insert_convening(
    session: AsyncSession, convening: Convening, cleaned: dict[str, Any], key: str | None
) -> bool:
    """Adds the checked convening and its hosts; False when another request with the same
    creation key stored its convening first (the unique key refused this one)."""
    hosts = cleaned.pop("host_ids")
    for name, value in cleaned.items():
        setattr(convening, name, value)
    convening.creation_key = key
    try:
        async with session.begin_nested():
            session.add(convening)
            await session.flush()
    except IntegrityError:
        if key is None:
            raise
        return False
    session.add_all(ConveningHost(convening_id=convening.id, organization_id=h) for h in hosts)
    await session.flush()
    return True


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
    cleaned = await cleaned_changes(session, viewer, convening, changes.given(), InputChecks())
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


async def cleaned_changes(
    session: AsyncSession,
    viewer: Viewer,
    convening: Convening,
    given: dict[str, Any],
    checks: InputChecks,
) -> dict[str, Any]:
    """Validates every given field first, so a refused change leaves the row untouched, and
    reports every mistake at once."""
    cleaned: dict[str, Any] = {}
    if "title" in given:
        checks.keep(cleaned, "title", lambda: valid.required_name("title", given["title"], 200))
    for name in ("kind", "visibility"):
        if name in given:
            checks.keep(cleaned, name, partial(_not_null, name, given[name]))
    if "description" in given:
        description = given["description"]
        checks.keep(
            cleaned,
            "description",
            lambda: valid.optional_text("description", description, 10_000) or "",
        )
    for name, limit in (("venue_name", 200), ("venue_address", 300)):
        if name in given:
            check = partial(valid.optional_name, _camel(name), given[name], limit)
            checks.keep(cleaned, name, check)
    if "virtual_url" in given:
        checks.keep(cleaned, "virtual_url", lambda: valid.url("virtualUrl", given["virtual_url"]))
    if "capacity" in given:
        going = convening.going_count or 0
        checks.keep(cleaned, "capacity", lambda: valid.capacity(given["capacity"], going))
    if "delegate_limit" in given:
        checks.keep(
            cleaned, "delegate_limit", lambda: valid.delegate_limit(given["delegate_limit"])
        )
    if "languages" in given:
        checks.keep(cleaned, "languages", lambda: valid.languages(given["languages"] or []))
    cleaned.update(_times(checks, convening, given))
    if "series_slug" in given:
        await checks.keep_async(
            cleaned, "series_id", lambda: _series_id(session, given["series_slug"])
        )
    if "host_ids" in given:
        await checks.keep_async(
            cleaned, "host_ids", lambda: _hosts(session, viewer, given["host_ids"] or [])
        )
    _check_place(checks, convening, given, cleaned)
    checks.raise_found()
    return cleaned


TIMES = ("starts_at", "ends_at", "rsvp_deadline")


def _times(checks: InputChecks, convening: Convening, given: dict[str, Any]) -> dict[str, Any]:
    """Start, end and deadline in UTC; a time without an offset is read in the (new) zone,
    so times are checked only once the zone is known."""
    cleaned: dict[str, Any] = {}
    if "time_zone" in given:
        checks.keep(cleaned, "time_zone", lambda: valid.time_zone(given["time_zone"]).key)
    zone_name = cleaned.get("time_zone", None if "time_zone" in given else convening.time_zone)
    if zone_name is None:
        return cleaned
    zone = ZoneInfo(zone_name)
    for name in TIMES:
        if name in given:
            checks.keep(cleaned, name, partial(_time, name, given[name], zone))
    if cleaned.keys() & set(TIMES) and not any(n in given and n not in cleaned for n in TIMES):
        starts_at = cleaned.get("starts_at", convening.starts_at)
        ends_at = cleaned.get("ends_at", convening.ends_at)
        deadline = cleaned.get("rsvp_deadline", convening.rsvp_deadline)
        if starts_at is not None and ends_at is not None:
            checks.keep({}, "schedule", lambda: valid.schedule(starts_at, ends_at, deadline))
    return cleaned


def _time(name: str, value: datetime | None, zone: ZoneInfo) -> datetime | None:
    if value is None:
        if name == "rsvp_deadline":
            return None
        raise InputError(_camel(name), Code.REQUIRED, f"{_camel(name)} cannot be cleared.")
    return valid.in_zone(_camel(name), value, zone)


def _check_place(
    checks: InputChecks, convening: Convening, given: dict[str, Any], cleaned: dict[str, Any]
) -> None:
    """A venue, a link or both, once the given ones passed their own checks."""
    if any(name in given and name not in cleaned for name in ("venue_name", "virtual_url")):
        return
    venue_name = cleaned.get("venue_name", convening.venue_name)
    virtual_url = cleaned.get("virtual_url", convening.virtual_url)
    if not venue_name and not virtual_url:
        checks.refuse(
            InputError("venueName", Code.PLACE_REQUIRED, "Give a venue, a virtual link, or both.")
        )


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


def _not_null(name: str, value: Any) -> Any:
    if value is None:
        raise InputError(name, Code.REQUIRED, f"{name} cannot be cleared.")
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
