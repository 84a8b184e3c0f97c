"""Guests' answers to PUBLIC convenings: `requestGuestRsvp` (anyone, signed out included: it
sends a link to the email), `confirmGuestRsvp` (whoever holds the link), and
`attachGuestToOrganization` (admins: the guest joins an organization, and stops being one)."""

from __future__ import annotations

import strawberry

from hub.common.errors import InputError
from hub.domains.convenings.rsvps import Needs
from hub.domains.guests import attach, rsvps
from hub.domains.guests.errors import GuestErrorCode, guest_code
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.directory import AffiliationRole as AffiliationRoleRow
from hub.infrastructure.models.directory import Language as LanguageRow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.convenings.enums import RsvpStatus
from hub.interfaces.graphql.convenings.inputs import RsvpNeedsInput
from hub.interfaces.graphql.convenings.types import Convening
from hub.interfaces.graphql.directory.enums import AffiliationRole, Language
from hub.interfaces.graphql.directory.types import Person
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]

strawberry.enum(GuestErrorCode)


@strawberry.type(description="A mistake in a guest's answer or its confirmation.")
class GuestError(UserError):
    code: GuestErrorCode


@strawberry.input(description="A guest's answer (GOING) to a PUBLIC convening.")
class RequestGuestRsvpInput:
    convening_id: strawberry.ID
    name: str
    email: str = strawberry.field(description="Where the link that confirms the answer goes.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="An organization picked from the directory."
    )
    organization_name: str | None = strawberry.field(
        default=None, description="Or the organization's name, typed (kept as typed)."
    )
    preferred_language: Language = Language.EN  # type: ignore[assignment]
    needs: RsvpNeedsInput | None = None
    form_key: str | None = strawberry.field(
        default=None, description="A key of the form's own: sent twice, it makes one request."
    )


@strawberry.type
class RequestGuestRsvpPayload:
    sent: bool = strawberry.field(
        description="A link is on its way to the email: nothing counts until it is opened."
    )
    errors: list[GuestError]


@strawberry.input
class ConfirmGuestRsvpInput:
    token: str


@strawberry.type(description="What the confirmation made of the answer: GOING or WAITLISTED.")
class ConfirmGuestRsvpPayload:
    convening: Convening | None
    status: RsvpStatus | None
    waitlist_position: int | None
    errors: list[GuestError]


@strawberry.input
class AttachGuestToOrganizationInput:
    person_id: strawberry.ID
    organization_id: strawberry.ID
    role: AffiliationRole = AffiliationRole.MEMBER  # type: ignore[assignment]


@strawberry.type
class AttachGuestToOrganizationPayload:
    person: Person | None
    errors: list[GuestError]


def _errors(errors: list[InputError]) -> list[GuestError]:
    return [GuestError(field=e.field, code=guest_code(e.code), message=e.message) for e in errors]


def _needs(given: RsvpNeedsInput | None) -> Needs:
    if given is None:
        return Needs()
    return Needs(
        interpretation_language=given.interpretation_language,
        accessibility=list(given.accessibility),  # type: ignore[arg-type]
        accessibility_note=given.accessibility_note,
        childcare_count=given.childcare_count,
        dietary=given.dietary,
    )


def _answer(input: RequestGuestRsvpInput) -> rsvps.GuestAnswer:
    organization = input.organization_id
    return rsvps.GuestAnswer(
        convening_id=input_pk(
            input.convening_id, "Convening", "conveningId", GuestErrorCode.UNKNOWN_CONVENING
        ),
        name=input.name,
        email=input.email,
        organization_id=None
        if organization is None
        else input_pk(
            organization, "Organization", "organizationId", GuestErrorCode.UNKNOWN_ORGANIZATION
        ),
        organization_name=input.organization_name,
        preferred_language=LanguageRow(input.preferred_language),
        needs=_needs(input.needs),
        form_key=input.form_key,
    )


@strawberry.type
class GuestMutation:
    @strawberry.mutation(
        description="Answers a PUBLIC convening as a guest, signed in or not: sends a link to "
        "the email that confirms the answer (nothing counts until then). The same email again "
        "replaces the answer waiting there and sends a new link; a few an hour. A convening "
        "that is not PUBLIC is refused as one that does not exist."
    )
    async def request_guest_rsvp(
        self, info: Info, input: RequestGuestRsvpInput
    ) -> RequestGuestRsvpPayload:
        context = info.context
        base_url = context.settings.base_url

        async def request() -> bool:
            answer = _answer(input)
            await rsvps.request_rsvp(context.session, answer, base_url=base_url, now=utcnow())
            return True

        sent, errors = await attempt(context, request)
        return RequestGuestRsvpPayload(sent=bool(sent), errors=_errors(errors))

    @strawberry.mutation(
        description="Confirms a guest's answer with the token of the link sent to their email: "
        "GOING, or WAITLISTED if the convening is full by now. A second time changes nothing. "
        "It signs no one in."
    )
    async def confirm_guest_rsvp(
        self, info: Info, input: ConfirmGuestRsvpInput
    ) -> ConfirmGuestRsvpPayload:
        context = info.context
        confirmed, errors = await attempt(
            context, lambda: rsvps.confirm_rsvp(context.session, input.token, now=utcnow())
        )
        if confirmed is None:
            return ConfirmGuestRsvpPayload(
                convening=None, status=None, waitlist_position=None, errors=_errors(errors)
            )
        return ConfirmGuestRsvpPayload(
            convening=Convening.from_model(confirmed.convening),
            status=confirmed.status,  # type: ignore[arg-type]
            waitlist_position=confirmed.waitlist_position,
            errors=[],
        )

    @strawberry.mutation(
        description="Attaches a guest to an organization (an affiliation with this role): they "
        "are no longer a guest, with what that organization's people may do. Admins only."
    )
    async def attach_guest_to_organization(
        self, info: Info, input: AttachGuestToOrganizationInput
    ) -> AttachGuestToOrganizationPayload:
        context = info.context
        attach.require_may_attach(context.viewer)

        async def attach_guest() -> Person:
            person = await attach.attach_guest(
                context.session,
                context.viewer,
                person_id=input_pk(
                    input.person_id, "Person", "personId", GuestErrorCode.UNKNOWN_PERSON
                ),
                organization_id=input_pk(
                    input.organization_id,
                    "Organization",
                    "organizationId",
                    GuestErrorCode.UNKNOWN_ORGANIZATION,
                ),
                role=AffiliationRoleRow(input.role),
            )
            return Person.from_model(person)

        person, errors = await attempt(context, attach_guest)
        return AttachGuestToOrganizationPayload(person=person, errors=_errors(errors))
