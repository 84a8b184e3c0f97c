"""Convenings, series and RSVPs as the API shows them. Times are shown in the convening's
own zone; needs are private to admins, host contacts and the person."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import strawberry

from hub.access.permissions import convenings as rules
from hub.delivery.email.addresses import reachable_email
from hub.infrastructure import models
from hub.infrastructure.pagination import decode_cursor, encode_cursor
from hub.interfaces.graphql.connection import Edge, PageInfo, page_request
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.enums import (
    AccessibilityNeed,
    ConveningErrorCode,
    ConveningKind,
    ConveningStatus,
    MessageAudience,
    RsvpStatus,
    Visibility,
)
from hub.interfaces.graphql.convenings.loaders import (
    AttendeeMessagesByConveningIdLoader,
    ConveningByIdLoader,
    ConveningCountsByIdLoader,
    ConveningSeriesByIdLoader,
    HostIdsByConveningIdLoader,
    NeedsTotalsByConveningIdLoader,
    RsvpByIdLoader,
    RsvpCountByFilterLoader,
    RsvpFilter,
    RsvpMatch,
    RsvpPageByConveningLoader,
    RsvpPageKey,
    ViewerRsvpByConveningIdLoader,
)
from hub.interfaces.graphql.convenings.totals import ConveningCounts, NeedsTotals
from hub.interfaces.graphql.directory.loaders import OrganizationByIdLoader, PersonByIdLoader
from hub.interfaces.graphql.directory.types import Organization, Person
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.node import Node, loaded_by, pk_of, register_node, to_global_id

Info = strawberry.Info[Context, None]


def _local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    return value.astimezone(zone) if value is not None else None


@strawberry.type(description="A run of related convenings, such as a year's strategy sessions.")
class ConveningSeries(Node):
    pk: strawberry.Private[int]
    slug: str
    name: str

    @classmethod
    def from_model(cls, model: models.ConveningSeries) -> ConveningSeries:
        return cls(
            id=to_global_id("ConveningSeries", model.id),
            pk=model.id,
            slug=model.slug,
            name=model.name,
        )


@strawberry.type(description="What a person needs to take part. Private.")
class RsvpNeeds:
    interpretation_language: str | None
    accessibility: list[AccessibilityNeed]
    accessibility_note: str
    childcare_count: int
    dietary: str

    @classmethod
    def from_model(cls, model: models.Rsvp) -> RsvpNeeds:
        return cls(
            interpretation_language=model.interpretation_language,
            accessibility=[AccessibilityNeed(need) for need in model.accessibility],
            accessibility_note=model.accessibility_note,
            childcare_count=model.childcare_count,
            dietary=model.dietary,
        )


@strawberry.type(description="A person's answer to a convening, for an organization.")
class Rsvp(Node):
    pk: strawberry.Private[int]
    status: RsvpStatus
    waitlist_position: int | None = strawberry.field(
        description="1 is next in line; null unless WAITLISTED."
    )
    convening_pk: strawberry.Private[int]
    person_pk: strawberry.Private[int]
    organization_pk: strawberry.Private[int | None]
    row: strawberry.Private[models.Rsvp]

    @classmethod
    def from_model(cls, model: models.Rsvp) -> Rsvp:
        return cls(
            id=to_global_id("Rsvp", model.id),
            pk=model.id,
            status=model.status,
            waitlist_position=model.waitlist_position,
            convening_pk=model.convening_id,
            person_pk=model.person_id,
            organization_pk=model.organization_id,
            row=model,
        )

    @strawberry.field
    async def person(self, info: Info) -> Person | None:
        row = await info.context.loader(PersonByIdLoader).load(self.person_pk)
        return Person.from_model(row) if row else None

    @strawberry.field(description="The organization the person represents here.")
    async def organization(self, info: Info) -> Organization | None:
        if self.organization_pk is None:
            return None
        row = await info.context.loader(OrganizationByIdLoader).load(self.organization_pk)
        return Organization.from_model(row) if row else None

    @strawberry.field
    async def convening(self, info: Info) -> Convening | None:
        row = await info.context.loader(ConveningByIdLoader).load(self.convening_pk)
        return Convening.from_model(row) if row else None

    @strawberry.field(description="Private: admins, host contacts and the person; else null.")
    async def needs(self, info: Info) -> RsvpNeeds | None:
        hosts = await info.context.loader(HostIdsByConveningIdLoader).load(self.convening_pk)
        if not rules.may_see_needs(info.context.viewer, hosts, self.person_pk):
            return None
        return RsvpNeeds.from_model(self.row)

    @strawberry.field(description="Registered at the door without having answered beforehand.")
    def walk_in(self) -> bool:
        return self.row.walk_in

    @strawberry.field(
        description="The organization a walk-in came for, as typed at the door, when the "
        "directory has no organization of that name (`organization` is then null)."
    )
    def walk_in_organization(self) -> str | None:
        return self.row.walk_in_organization

    @strawberry.field(
        description="The attendee's email, for the planners to reach them. Private: admins "
        "and the host organizations' contacts; else null."
    )
    async def email(self, info: Info) -> str | None:
        person = await self._contactable(info)
        return reachable_email(person.email) if person else None

    @strawberry.field(
        description="The attendee's phone, for the planners. Private: admins and the host "
        "organizations' contacts; else null."
    )
    async def phone(self, info: Info) -> str | None:
        person = await self._contactable(info)
        return person.phone if person else None

    async def _contactable(self, info: Info) -> models.Person | None:
        hosts = await info.context.loader(HostIdsByConveningIdLoader).load(self.convening_pk)
        if not rules.may_see_attendee_contacts(info.context.viewer, hosts):
            return None
        return await info.context.loader(PersonByIdLoader).load(self.person_pk)

    @strawberry.field(description="When the person arrived, in the convening's zone.")
    async def checked_in_at(self, info: Info) -> datetime | None:
        if self.row.checked_in_at is None:
            return None
        convening = await info.context.loader(ConveningByIdLoader).load(self.convening_pk)
        zone = ZoneInfo(convening.time_zone if convening else "UTC")
        return self.row.checked_in_at.astimezone(zone)


@strawberry.type(description="A host's message to a convening's attendees, as it was sent.")
class AttendeeMessage:
    id: strawberry.ID
    audience: MessageAudience
    subject: str
    text: str
    subject_es: str
    text_es: str
    recipient_count: int = strawberry.field(description="The emails queued, one per recipient.")
    sent_at: datetime = strawberry.field(description="In the convening's own time zone.")
    sent_by_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.AttendeeMessage, zone: ZoneInfo) -> AttendeeMessage:
        return cls(
            id=to_global_id("AttendeeMessage", model.id),
            audience=model.audience,
            subject=model.subject,
            text=model.text,
            subject_es=model.subject_es,
            text_es=model.text_es,
            recipient_count=model.recipient_count,
            sent_at=model.created_at.astimezone(zone),
            sent_by_pk=model.sent_by_id,
        )

    @strawberry.field(description="Who sent it (null when they are no longer visible).")
    async def sent_by(self, info: Info) -> Person | None:
        if self.sent_by_pk is None:
            return None
        row = await info.context.loader(PersonByIdLoader).load(self.sent_by_pk)
        return Person.from_model(row) if row else None


@strawberry.type(description="A page of RSVPs.")
class RsvpConnection:
    edges: list[Edge[Rsvp]]
    page_info: PageInfo
    convening_pk: strawberry.Private[int]
    match: strawberry.Private[RsvpMatch] = RsvpMatch()

    @strawberry.field(description="How many RSVPs you may see (that match), across all pages.")
    async def total_count(self, info: Info) -> int:
        key = RsvpFilter(self.convening_pk, self.match)
        return await info.context.loader(RsvpCountByFilterLoader).load(key)


@strawberry.type(description="A strategy session, committee meeting, training or caucus call.")
class Convening(Node):
    pk: strawberry.Private[int]
    title: str
    kind: ConveningKind
    description: str
    starts_at: datetime = strawberry.field(description="In the convening's own time zone.")
    ends_at: datetime = strawberry.field(description="In the convening's own time zone.")
    time_zone: str = strawberry.field(description="An IANA zone name.")
    venue_name: str | None
    venue_address: str | None
    virtual_url: str | None
    capacity: int | None = strawberry.field(description="Places for GOING; null is no limit.")
    delegate_limit: int | None = strawberry.field(
        description="How many one organization may send (GOING or WAITLISTED)."
    )
    rsvp_deadline: datetime | None
    languages: list[str] = strawberry.field(description="Interpretation offered into these.")
    visibility: Visibility
    status: ConveningStatus
    sequence: int = strawberry.field(description="Raised on every change of time, place, status.")
    updated_at: datetime = strawberry.field(
        description="When anything shown here last changed (its RSVP counts too), in UTC: "
        "what `updatedSince` compares."
    )
    series_pk: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, model: models.Convening) -> Convening:
        zone = ZoneInfo(model.time_zone)
        return cls(
            id=to_global_id("Convening", model.id),
            pk=model.id,
            title=model.title,
            kind=model.kind,
            description=model.description,
            starts_at=model.starts_at.astimezone(zone),
            ends_at=model.ends_at.astimezone(zone),
            time_zone=model.time_zone,
            venue_name=model.venue_name,
            venue_address=model.venue_address,
            virtual_url=model.virtual_url,
            capacity=model.capacity,
            delegate_limit=model.delegate_limit,
            rsvp_deadline=_local(model.rsvp_deadline, zone),
            languages=list(model.languages),
            visibility=model.visibility,
            status=model.status,
            sequence=model.sequence,
            updated_at=model.updated_at,
            series_pk=model.series_id,
        )

    @strawberry.field
    async def series(self, info: Info) -> ConveningSeries | None:
        if self.series_pk is None:
            return None
        row = await info.context.loader(ConveningSeriesByIdLoader).load(self.series_pk)
        return ConveningSeries.from_model(row) if row else None

    @strawberry.field(description="The organizations hosting it.")
    async def hosts(self, info: Info) -> list[Organization]:
        ids = await info.context.loader(HostIdsByConveningIdLoader).load(self.pk)
        rows = await info.context.loader(OrganizationByIdLoader).load_many(ids)
        return [Organization.from_model(row) for row in rows if row is not None]

    @strawberry.field
    async def counts(self, info: Info) -> ConveningCounts:
        return await info.context.loader(ConveningCountsByIdLoader).load(self.pk)

    @strawberry.field(description="For admins and host contacts; null for everyone else.")
    async def needs_totals(self, info: Info) -> NeedsTotals | None:
        return await info.context.loader(NeedsTotalsByConveningIdLoader).load(self.pk)

    @strawberry.field(
        description="The messages the hosts sent its attendees, newest first. For admins and "
        "the host organizations' contacts; null for everyone else."
    )
    async def messages(self, info: Info) -> list[AttendeeMessage] | None:
        hosts = await info.context.loader(HostIdsByConveningIdLoader).load(self.pk)
        if not rules.may_see_attendee_messages(info.context.viewer, hosts):
            return None
        rows = await info.context.loader(AttendeeMessagesByConveningIdLoader).load(self.pk)
        zone = ZoneInfo(self.time_zone)
        return [AttendeeMessage.from_model(row, zone) for row in rows]

    @strawberry.field(
        description="Whether you may manage it: see its attendee list, message its attendees and "
        "check people in at the door (admins, and contacts of its host organizations)."
    )
    async def viewer_may_manage(self, info: Info) -> bool:
        hosts = await info.context.loader(HostIdsByConveningIdLoader).load(self.pk)
        return rules.may_manage(info.context.viewer, hosts)

    @strawberry.field(description="Your own RSVP, or null.")
    async def viewer_rsvp(self, info: Info) -> Rsvp | None:
        row = await info.context.loader(ViewerRsvpByConveningIdLoader).load(self.pk)
        return Rsvp.from_model(row) if row else None

    @strawberry.field(
        description="Who answered, in the order they answered. Null for callers who may not see "
        "who is coming: anonymous callers, API clients, and people of ALLY and PEER "
        "organizations (except their contacts, for what their organization hosts)."
    )
    async def rsvps(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        search: Annotated[
            str | None,
            strawberry.argument(
                description="Only RSVPs of people whose name holds these letters (any case)."
            ),
        ] = None,
        organizations: Annotated[
            list[strawberry.ID] | None,
            strawberry.argument(
                description="Only RSVPs given for these organizations (a contact's delegation)."
            ),
        ] = None,
    ) -> RsvpConnection | None:
        if not await _may_see_attendees(info, self.pk):
            return None
        request = page_request(info.context, first, after)
        match = RsvpMatch(
            search=(search or "").strip() or None,
            organization_ids=None
            if organizations is None
            else frozenset(pk_of(org, "Organization") for org in organizations),
        )
        key = RsvpPageKey(self.pk, request.first, _after_id(after), match)
        page = await info.context.loader(RsvpPageByConveningLoader).load(key)
        cursors = [encode_cursor([row.id]) for row in page.rsvps]
        edges = [
            Edge(cursor=c, node=Rsvp.from_model(row))
            for row, c in zip(page.rsvps, cursors, strict=True)
        ]
        page_info = PageInfo(
            has_next_page=page.has_next_page,
            has_previous_page=after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )
        return RsvpConnection(edges=edges, page_info=page_info, convening_pk=self.pk, match=match)


async def _may_see_attendees(info: Info, convening_pk: int) -> bool:
    decided = rules.attendees_decided(info.context.viewer)
    if decided is not None:
        return decided
    hosts = await info.context.loader(HostIdsByConveningIdLoader).load(convening_pk)
    return rules.may_see_attendees(info.context.viewer, hosts)


def _after_id(after: str | None) -> int | None:
    if after is None:
        return None
    (after_id,) = decode_cursor(after, [models.Rsvp.id])
    return after_id  # type: ignore[no-any-return]


@strawberry.type(description="A mistake in a convening change or an RSVP.")
class ConveningError(UserError):
    code: ConveningErrorCode


register_node("Convening", loaded_by(ConveningByIdLoader, Convening.from_model))
register_node("Rsvp", loaded_by(RsvpByIdLoader, Rsvp.from_model))
register_node("ConveningSeries", loaded_by(ConveningSeriesByIdLoader, ConveningSeries.from_model))
