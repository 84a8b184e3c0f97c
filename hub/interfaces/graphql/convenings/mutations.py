"""The convenings' mutations: scheduling (admins and host contacts), answering, cancelling an
answer, and checking in at the door."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from zoneinfo import ZoneInfo

import strawberry

from hub.access.permissions import directory as directory_rules
from hub.common.errors import InputError
from hub.common.unset import UNSET
from hub.domains.convenings import attendance, messages, rsvps, schedule, walk_ins
from hub.domains.convenings.errors import ConveningErrorCode as Code
from hub.infrastructure.models import Convening as ConveningRow
from hub.infrastructure.models import Rsvp as RsvpRow
from hub.infrastructure.models.convenings import AccessibilityNeed, MessageAudience, RsvpStatus
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.inputs import (
    CancelConveningInput,
    CancelRsvpInput,
    CheckInInput,
    CreateConveningInput,
    MessageAttendeesInput,
    RegisterWalkInInput,
    RsvpInput,
    RsvpNeedsInput,
    UpdateConveningInput,
)
from hub.interfaces.graphql.convenings.types import AttendeeMessage, Convening, ConveningError, Rsvp
from hub.interfaces.graphql.directory.loaders import OrganizationByIdLoader, PersonByIdLoader
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]


@strawberry.type
class CreateConveningPayload:
    convening: Convening | None
    errors: list[ConveningError]


@strawberry.type
class UpdateConveningPayload:
    convening: Convening | None
    errors: list[ConveningError]


@strawberry.type
class CancelConveningPayload:
    convening: Convening | None
    errors: list[ConveningError]


@strawberry.type
class RsvpPayload:
    rsvp: Rsvp | None
    errors: list[ConveningError]


@strawberry.type
class CancelRsvpPayload:
    rsvp: Rsvp | None
    errors: list[ConveningError]


@strawberry.type
class CheckInPayload:
    rsvp: Rsvp | None
    errors: list[ConveningError]


@strawberry.type
class MessageAttendeesPayload:
    message: AttendeeMessage | None
    errors: list[ConveningError]


@strawberry.type
class RegisterWalkInPayload:
    rsvp: Rsvp | None
    errors: list[ConveningError]


def _errors(errors: list[InputError]) -> list[ConveningError]:
    return [ConveningError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


def _convening_pk(global_id: str, field: str = "id") -> int:
    return input_pk(global_id, "Convening", field, Code.UNKNOWN_CONVENING)


def _rsvp_pk(global_id: str) -> int:
    return input_pk(global_id, "Rsvp", "rsvpId", Code.UNKNOWN_RSVP)


def _organization_pk(global_id: str, field: str) -> int:
    return input_pk(global_id, "Organization", field, Code.UNKNOWN_ORGANIZATION)


def _changes(given: Any) -> schedule.ConveningChanges:
    names = schedule.ConveningChanges.__dataclass_fields__
    values = {
        name: UNSET if getattr(given, name) is strawberry.UNSET else getattr(given, name)
        for name in names
    }
    hosts: list[str] | None = values["host_ids"] or None  # type: ignore[assignment]
    if hosts:
        values["host_ids"] = [_organization_pk(h, "hostIds") for h in hosts]
    return schedule.ConveningChanges(**values)


def _needs(given: RsvpNeedsInput | None) -> rsvps.Needs | None:
    if given is None:
        return None
    return rsvps.Needs(
        interpretation_language=given.interpretation_language,
        accessibility=[AccessibilityNeed(need) for need in given.accessibility],
        accessibility_note=given.accessibility_note,
        childcare_count=given.childcare_count,
        dietary=given.dietary,
    )


def _new_message(given: MessageAttendeesInput) -> messages.NewMessage:
    return messages.NewMessage(
        convening_id=_convening_pk(given.convening_id, "conveningId"),
        audience=MessageAudience(given.audience),
        subject=given.subject,
        text=given.text,
        key=given.key,
        subject_es=given.subject_es,
        text_es=given.text_es,
    )


def _walk_in(given: RegisterWalkInInput) -> walk_ins.WalkIn:
    person, organization = given.person_id, given.organization_id
    return walk_ins.WalkIn(
        convening_id=_convening_pk(given.convening_id, "conveningId"),
        key=given.key,
        person_id=input_pk(person, "Person", "personId", Code.UNKNOWN_PERSON) if person else None,
        name=given.name,
        email=given.email,
        organization_id=_organization_pk(organization, "organizationId") if organization else None,
        organization_name=given.organization_name,
    )


def _answer(given: RsvpInput) -> rsvps.Answer:
    person = given.person_id
    organization = given.organization_id
    return rsvps.Answer(
        convening_id=_convening_pk(given.convening_id, "conveningId"),
        status=RsvpStatus(given.status),
        person_id=input_pk(person, "Person", "personId", Code.UNKNOWN_PERSON) if person else None,
        organization_id=_organization_pk(organization, "organizationId") if organization else None,
        needs=_needs(given.needs),
    )


async def _convening(
    context: Context, action: Callable[[], Awaitable[ConveningRow]]
) -> tuple[Convening | None, list[ConveningError]]:
    done, errors = await attempt(context, action)
    return (Convening.from_model(done) if done else None), _errors(errors)


async def _rsvp(
    context: Context, action: Callable[[], Awaitable[RsvpRow]]
) -> tuple[Rsvp | None, list[ConveningError]]:
    done, errors = await attempt(context, action)
    return (Rsvp.from_model(done) if done else None), _errors(errors)


@strawberry.type
class ConveningMutation:
    @strawberry.mutation(description="Schedules a convening. Admins, and contacts for their org.")
    async def create_convening(
        self, info: Info, input: CreateConveningInput
    ) -> CreateConveningPayload:
        c = info.context
        convening, errors = await _convening(
            c,
            lambda: schedule.create_convening(
                c.session, c.viewer, _changes(input), form_key=input.idempotency_key
            ),
        )
        return CreateConveningPayload(convening=convening, errors=errors)

    @strawberry.mutation(
        description="Changes a convening. Admins and host contacts; a cancelled one stays "
        "cancelled, and only admins may correct its fields."
    )
    async def update_convening(
        self, info: Info, input: UpdateConveningInput
    ) -> UpdateConveningPayload:
        c = info.context
        convening, errors = await _convening(
            c,
            lambda: schedule.update_convening(
                c.session, c.viewer, _convening_pk(input.id), _changes(input)
            ),
        )
        return UpdateConveningPayload(convening=convening, errors=errors)

    @strawberry.mutation(description="Cancels a convening. Admins and host contacts.")
    async def cancel_convening(
        self, info: Info, input: CancelConveningInput
    ) -> CancelConveningPayload:
        c = info.context
        convening, errors = await _convening(
            c, lambda: schedule.cancel_convening(c.session, c.viewer, _convening_pk(input.id))
        )
        return CancelConveningPayload(convening=convening, errors=errors)

    @strawberry.mutation(
        description="Answers a convening for yourself or, as an organization's contact, for one "
        "of its people. Answering again changes the answer. GOING on a full convening is "
        "WAITLISTED."
    )
    async def rsvp(self, info: Info, input: RsvpInput) -> RsvpPayload:
        c = info.context
        done, errors = await attempt(c, lambda: rsvps.answered(c.session, c.viewer, _answer(input)))
        if done is None:
            return RsvpPayload(rsvp=None, errors=_errors(errors))
        _know_answered_rows(c, done)
        return RsvpPayload(rsvp=Rsvp.from_model(done.rsvp), errors=[])

    @strawberry.mutation(description="Withdraws an answer (NOT_GOING), freeing its place.")
    async def cancel_rsvp(self, info: Info, input: CancelRsvpInput) -> CancelRsvpPayload:
        c = info.context
        rsvp, errors = await _rsvp(
            c, lambda: rsvps.cancel(c.session, c.viewer, _rsvp_pk(input.rsvp_id))
        )
        return CancelRsvpPayload(rsvp=rsvp, errors=errors)

    @strawberry.mutation(
        description="Records arrival at the door, making the answer GOING (from MAYBE, "
        "NOT_GOING or the waitlist, even past capacity). Admins and host contacts."
    )
    async def check_in(self, info: Info, input: CheckInInput) -> CheckInPayload:
        c = info.context
        rsvp, errors = await _rsvp(
            c,
            lambda: attendance.check_in(
                c.session, c.viewer, _rsvp_pk(input.rsvp_id), undo=input.undo
            ),
        )
        return CheckInPayload(rsvp=rsvp, errors=errors)

    @strawberry.mutation(
        description="Registers someone who arrives without having answered (a person of the "
        "directory, or a new one) and checks them in at once: GOING even when the convening "
        "is full, marked as a walk-in. Admins and host contacts."
    )
    async def register_walk_in(
        self, info: Info, input: RegisterWalkInInput
    ) -> RegisterWalkInPayload:
        c = info.context
        rsvp, errors = await _rsvp(
            c, lambda: walk_ins.register_walk_in(c.session, c.viewer, _walk_in(input))
        )
        return RegisterWalkInPayload(rsvp=rsvp, errors=errors)

    @strawberry.mutation(
        description="Sends a message to a convening's attendees (GOING, WAITLISTED or both), "
        "one email each through the outbox, in their language when a Spanish version is "
        "given. Admins and host contacts."
    )
    async def message_attendees(
        self, info: Info, input: MessageAttendeesInput
    ) -> MessageAttendeesPayload:
        c = info.context
        done, errors = await attempt(
            c, lambda: messages.message_attendees(c.session, c.viewer, _new_message(input))
        )
        zone = await _zone_of(c, done.convening_id) if done else None
        message = AttendeeMessage.from_model(done, zone) if done and zone else None
        return MessageAttendeesPayload(message=message, errors=_errors(errors))


def _know_answered_rows(context: Context, done: rsvps.Answered) -> None:
    """The payload's person and organization are the rows the answer was checked against,
    read moments ago in this transaction: its loaders take them rather than read them again,
    where the viewer's rules surely show them (else they ask the database, as always)."""
    viewer = context.viewer
    if directory_rules.surely_sees_person(viewer, done.person.id):
        context.loader(PersonByIdLoader).prime(done.person.id, done.person)
    organization = done.organization
    if organization is not None and directory_rules.surely_sees_organizations(viewer):
        context.loader(OrganizationByIdLoader).prime(organization.id, organization)


async def _zone_of(context: Context, convening_id: int) -> ZoneInfo:
    row = await context.session.get(ConveningRow, convening_id)
    return ZoneInfo(row.time_zone if row else "UTC")
