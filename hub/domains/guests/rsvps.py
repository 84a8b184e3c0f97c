"""Guests answer PUBLIC convenings without an account: a request (name, email, organization,
language, needs) sends a link to the email, and only the link confirms the answer. Until then
nothing counts: no RSVP exists, no place is taken. Confirming makes the RSVP of the person with
that email (a guest person, without any affiliation and so without member rights, created
then if there is none) through the convenings' own rules, so a convening full by then puts
them on its waitlist.

A request answers alike whether the email belongs to someone or not, and a confirmation
signs no one in. Links: unguessable, only their hash kept, single-use, expiring; a newer
request for the same convening and email replaces the older one's link; an email may ask a
few times an hour."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import ANONYMOUS, load_person_viewer
from hub.common.errors import InputChecks, InputError
from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.email.enqueue import enqueue_email_to_new_address
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import convening_payload
from hub.delivery.email.suppressions import normalized
from hub.domains.convenings import lookup
from hub.domains.convenings import rsvps as rsvp_service
from hub.domains.convenings.rsvps import Answer, Needs
from hub.domains.directory import validation
from hub.domains.guests.errors import GuestErrorCode as Code
from hub.infrastructure.db import dialect_insert
from hub.infrastructure.models import Convening, GuestRsvpRequest, Organization, Person, Rsvp
from hub.infrastructure.models.convenings import AccessibilityNeed, RsvpStatus
from hub.infrastructure.models.directory import Language
from hub.infrastructure.search import folded

LINK_LIFETIME = timedelta(hours=24)
RATE_WINDOW = timedelta(hours=1)
PER_EMAIL_PER_HOUR = 3
CONFIRM_PATH = "/guest-rsvp/confirm"


@dataclass(frozen=True)
class GuestAnswer:
    convening_id: int
    name: str
    email: str
    organization_id: int | None = None
    organization_name: str | None = None
    preferred_language: Language = Language.EN
    needs: Needs = field(default_factory=Needs)
    # The form's own key: the same form sent twice is one request (one email).
    form_key: str | None = None


@dataclass(frozen=True)
class Confirmed:
    convening: Convening
    status: RsvpStatus
    waitlist_position: int | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def confirm_url(base_url: str, token: str) -> str:
    return f"{base_url}{CONFIRM_PATH}?token={token}"


async def request_rsvp(
    session: AsyncSession, answer: GuestAnswer, *, base_url: str, now: datetime
) -> None:
    """Records the answer and sends its link, or raises every mistake in it."""
    convening = await _public_convening(session, answer.convening_id)
    rsvp_service.require_open(convening, deadline=True)
    checks = InputChecks()
    cleaned: dict[str, object] = {}
    checks.keep(cleaned, "name", lambda: validation.required_name("name", answer.name, 200))
    checks.keep(cleaned, "email", lambda: validation.email(answer.email))
    checks.keep(cleaned, "needs", lambda: rsvp_service.checked_needs(convening, answer.needs))
    await checks.keep_async(cleaned, "organization", lambda: _organization_name(session, answer))
    checks.raise_found()
    email = str(cleaned["email"])
    if answer.form_key and await _already_sent(
        session, answer.convening_id, email, answer.form_key
    ):
        return
    await _within_rate(session, email, now)
    await _supersede(session, answer.convening_id, email, now)
    token = secrets.token_urlsafe(32)
    request = _new_request(answer, cleaned, email, token_hash(token), now)
    session.add(request)
    await session.flush()
    payload = {
        **convening_payload(str(cleaned["name"]), ConveningFacts.from_model(convening)),
        "link": confirm_url(base_url, token),
    }
    await enqueue_email_to_new_address(
        session,
        email,
        language=str(answer.preferred_language),
        kind=MessageKind.GUEST_RSVP_CONFIRM,
        dedupe_key=f"guest-rsvp:{request.token_hash}",
        payload=payload,
    )


async def confirm_rsvp(session: AsyncSession, token: str, *, now: datetime) -> Confirmed:
    """Confirms the answer a link was sent for (a second time changes nothing)."""
    request = await _request_for(session, token)
    if request is None or (request.used_at is None and request.expires_at <= now):
        raise _invalid_token()
    if request.used_at is not None:
        return await _confirmed_before(session, request)
    request.used_at = now
    person = await _person_for(session, request)
    request.person_id = person.id
    viewer = await load_person_viewer(session, person.id)
    assert viewer is not None
    given = Answer(request.convening_id, RsvpStatus.GOING, needs=_needs_of(request))
    rsvp = await rsvp_service.answer(session, viewer, given)
    convening = await session.get_one(Convening, request.convening_id)
    return Confirmed(convening, rsvp.status, rsvp.waitlist_position)


async def _public_convening(session: AsyncSession, convening_id: int) -> Convening:
    """Seen as by anyone signed out: PUBLIC only; any other is as unknown as none."""
    statement = lookup.visible_convenings(ANONYMOUS).where(Convening.id == convening_id)
    convening = await session.scalar(statement)
    if convening is None:
        raise InputError(
            "conveningId", Code.UNKNOWN_CONVENING, "No convening with that id takes guests."
        )
    return convening


async def _organization_name(session: AsyncSession, answer: GuestAnswer) -> str | None:
    """The organization named: one picked from the directory (by id, or a typed name that
    is one's, folding accents and case), else the name as typed."""
    if answer.organization_id is not None:
        picked = await session.get(Organization, answer.organization_id)
        if picked is None:
            raise InputError(
                "organizationId", Code.UNKNOWN_ORGANIZATION, "No organization has that id."
            )
        return picked.name
    typed = validation.optional_name("organizationName", answer.organization_name, 200)
    if typed is None:
        return None
    names = await session.scalars(select(Organization.name))
    return next((name for name in names if folded(name) == folded(typed)), typed)


async def _already_sent(
    session: AsyncSession, convening_id: int, email: str, form_key: str
) -> bool:
    statement = select(GuestRsvpRequest.id).where(
        GuestRsvpRequest.convening_id == convening_id,
        GuestRsvpRequest.email == email,
        GuestRsvpRequest.form_key == form_key[:64],
    )
    return await session.scalar(statement) is not None


async def _within_rate(session: AsyncSession, email: str, now: datetime) -> None:
    # PostgreSQL: simultaneous requests for one address take turns, so none counts past the
    # limit unseen. (SQLite already serializes writers with BEGIN IMMEDIATE.)
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"guest-rsvp:{email}"}
        )
    statement = select(func.count(GuestRsvpRequest.id)).where(
        GuestRsvpRequest.email == email, GuestRsvpRequest.created_at > now - RATE_WINDOW
    )
    if int(await session.scalar(statement) or 0) >= PER_EMAIL_PER_HOUR:
        raise InputError(
            "email",
            Code.GUEST_RATE_LIMITED,
            "Too many answers from this address: wait an hour and try again.",
        )


async def _supersede(session: AsyncSession, convening_id: int, email: str, now: datetime) -> None:
    """The older links for this answer stop working: only the newest answer can be confirmed."""
    await session.execute(
        update(GuestRsvpRequest)
        .where(
            GuestRsvpRequest.convening_id == convening_id,
            GuestRsvpRequest.email == email,
            GuestRsvpRequest.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )


def _new_request(
    answer: GuestAnswer, cleaned: dict[str, object], email: str, hashed: str, now: datetime
) -> GuestRsvpRequest:
    needs = cleaned["needs"]
    assert isinstance(needs, Needs)
    return GuestRsvpRequest(
        token_hash=hashed,
        convening_id=answer.convening_id,
        email=email,
        name=cleaned["name"],
        organization_name=cleaned["organization"],
        preferred_language=str(answer.preferred_language),
        interpretation_language=needs.interpretation_language,
        accessibility=[str(need) for need in needs.accessibility],
        accessibility_note=needs.accessibility_note,
        childcare_count=needs.childcare_count,
        dietary=needs.dietary,
        form_key=answer.form_key[:64] if answer.form_key else None,
        created_at=now,
        expires_at=now + LINK_LIFETIME,
    )


async def _request_for(session: AsyncSession, token: str) -> GuestRsvpRequest | None:
    """The request, its row locked: two uses of one link take turns."""
    if not token or len(token) > 100:
        return None
    statement = (
        select(GuestRsvpRequest)
        .where(GuestRsvpRequest.token_hash == token_hash(token))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return await session.scalar(statement)


async def _confirmed_before(session: AsyncSession, request: GuestRsvpRequest) -> Confirmed:
    """A link used already: harmless when it confirmed this answer; refused when replaced."""
    if request.person_id is None:
        raise _invalid_token()
    statement = select(Rsvp).where(
        Rsvp.convening_id == request.convening_id, Rsvp.person_id == request.person_id
    )
    rsvp = await session.scalar(statement)
    convening = await session.get(Convening, request.convening_id)
    if rsvp is None or convening is None:
        raise _invalid_token()
    return Confirmed(convening, rsvp.status, rsvp.waitlist_position)


async def _person_for(session: AsyncSession, request: GuestRsvpRequest) -> Person:
    """The person with the email (their RSVP, their record unchanged), or a new guest. Two
    confirmations for one new email at once (two convenings) make one person: the insert
    yields to the other's."""
    email = normalized(request.email)
    insert = dialect_insert(session, Person).values(
        name=request.name,
        email=email,
        preferred_language=Language(request.preferred_language),
        is_admin=False,
        is_guest=True,
        guest_organization_name=request.organization_name,
    )
    await session.execute(insert.on_conflict_do_nothing(index_elements=["email"]))
    statement = (
        select(Person).where(Person.email == email).execution_options(populate_existing=True)
    )
    return (await session.scalars(statement)).one()


def _needs_of(request: GuestRsvpRequest) -> Needs:
    return Needs(
        interpretation_language=request.interpretation_language,
        accessibility=[AccessibilityNeed(need) for need in request.accessibility],
        accessibility_note=request.accessibility_note,
        childcare_count=request.childcare_count,
        dietary=request.dietary,
    )


def _invalid_token() -> InputError:
    return InputError(
        "token",
        Code.INVALID_TOKEN,
        "This link does not work: it has expired, was replaced by a newer one, or is wrong.",
    )
