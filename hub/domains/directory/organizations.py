"""The rules for organizations: who may add or change them, and what a valid one is."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.common.errors import InputChecks, InputError
from hub.common.unset import UNSET, Maybe, is_set
from hub.domains.directory import validation
from hub.domains.directory.errors import DirectoryErrorCode as Code
from hub.domains.sync import tombstones
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import Organization
from hub.infrastructure.models.directory import AnchorRole, OrganizationKind, Sector
from hub.infrastructure.models.sync import TombstoneReason


@dataclass
class OrganizationChanges:
    """What to set on an organization; fields left UNSET keep their value."""

    name: Maybe[str] = UNSET
    slug: Maybe[str | None] = UNSET
    kind: Maybe[OrganizationKind] = UNSET
    anchor_role: Maybe[AnchorRole | None] = UNSET
    sector: Maybe[Sector] = UNSET
    region: Maybe[str | None] = UNSET
    counties: Maybe[list[str]] = UNSET
    state: Maybe[str | None] = UNSET
    website: Maybe[str | None] = UNSET
    description: Maybe[str] = UNSET

    def given(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if is_set(getattr(self, f.name))
        }


def visible_organizations(viewer: Viewer) -> Select[Organization]:
    return select(Organization).where(rules.organization_rows(viewer))


async def organization_by_slug(
    session: AsyncSession, viewer: Viewer, slug: str
) -> Organization | None:
    statement = visible_organizations(viewer).where(Organization.slug == slug.lower())
    return await session.scalar(statement)


async def create_organization(
    session: AsyncSession, viewer: Viewer, changes: OrganizationChanges
) -> Organization:
    rules.require_admin(viewer)
    if not is_set(changes.name) or not is_set(changes.kind):
        missing = "name" if not is_set(changes.name) else "kind"
        raise InputError(missing, Code.REQUIRED, f"Give the organization's {missing}.")
    organization = Organization(sector=Sector.OTHER, counties=[], description="")
    _apply(organization, changes, creating=True)
    return await _save(session, organization)


async def update_organization(
    session: AsyncSession, viewer: Viewer, organization: Organization, changes: OrganizationChanges
) -> Organization:
    rules.require_admin(viewer)
    if organization.archived_at is not None:
        raise InputError("id", Code.UNKNOWN_ORGANIZATION, "This organization is archived.")
    _apply(organization, changes, creating=False)
    return await _save(session, organization)


def _apply(organization: Organization, changes: OrganizationChanges, *, creating: bool) -> None:
    """Validates every given field first, so a refused change leaves the row untouched, and
    reports every mistake at once."""
    given = changes.given()
    checks = InputChecks()
    cleaned: dict[str, Any] = {}
    if "name" in given:
        checks.keep(cleaned, "name", lambda: validation.required_name("name", given["name"], 200))
    if ("slug" in given or creating) and not ("name" in given and "name" not in cleaned):
        name = cleaned.get("name", organization.name)
        checks.keep(cleaned, "slug", lambda: validation.slug(given.get("slug"), name))
    if "region" in given:
        checks.keep(
            cleaned, "region", lambda: validation.optional_name("region", given["region"], 100)
        )
    if "description" in given:
        description = given["description"]
        checks.keep(
            cleaned,
            "description",
            lambda: validation.optional_text("description", description, 5000) or "",
        )
    for name, check in (
        ("counties", validation.counties),
        ("state", validation.state),
        ("website", validation.website),
    ):
        if name in given:
            checks.keep(cleaned, name, partial(check, given[name]))
    for plain in ("kind", "anchor_role", "sector"):
        if plain in given:
            cleaned[plain] = given[plain]
    if not ("state" in given and "state" not in cleaned):
        checks.keep({}, "kind", lambda: _check_kind_rules(organization, cleaned))
    checks.raise_found()
    for name, value in cleaned.items():
        setattr(organization, name, value)


def _check_kind_rules(organization: Organization, cleaned: dict[str, Any]) -> None:
    kind = cleaned.get("kind", organization.kind)
    anchor_role = cleaned.get("anchor_role", organization.anchor_role)
    state = cleaned.get("state", organization.state)
    if anchor_role is not None and kind != OrganizationKind.MEMBER:
        raise InputError(
            "anchorRole",
            Code.ANCHOR_ROLE_ONLY_FOR_MEMBERS,
            "Only member organizations can be regional or state anchors.",
        )
    if kind == OrganizationKind.PEER and not state:
        raise InputError("state", Code.REQUIRED, "Give a peer organization's state.")


async def _save(session: AsyncSession, organization: Organization) -> Organization:
    with session.no_autoflush:
        taken_by = await session.scalar(
            select(Organization.id).where(Organization.slug == organization.slug)
        )
    if taken_by is not None and taken_by != organization.id:
        raise _duplicate_slug(organization.slug)
    try:
        async with session.begin_nested():
            session.add(organization)
            await session.flush()
    except IntegrityError as error:
        # A concurrent request took the slug between our check and our insert.
        raise _duplicate_slug(organization.slug) from error
    return organization


def _duplicate_slug(slug: str) -> InputError:
    return InputError("slug", Code.DUPLICATE_SLUG, f"The slug {slug!r} is taken.")


ARCHIVED = "organization.archived"


async def archive_organization(
    session: AsyncSession, viewer: Viewer, organization_id: int, *, now: datetime
) -> Organization:
    """Takes an organization out of the lists and pickers (and the sync lists, by a tombstone);
    its RSVPs, seats, votes and audit entries keep naming it. The row is locked, so two
    simultaneous archivings archive once."""
    rules.require_admin(viewer)
    organization = await session.get(
        Organization, organization_id, with_for_update=True, populate_existing=True
    )
    if organization is None:
        raise InputError("id", Code.UNKNOWN_ORGANIZATION, "No organization has that id.")
    if organization.archived_at is not None:
        raise InputError("id", Code.ALREADY_ARCHIVED, "This organization is archived already.")
    organization.archived_at = now
    await session.flush()
    await tombstones.record(session, "Organization", organization.id, TombstoneReason.WITHDRAWN)
    detail = f"{organization.name} (organization {organization.id})"
    await record_audit(session, action=ARCHIVED, actor_id=viewer.person_id, detail=detail, now=now)
    return organization
