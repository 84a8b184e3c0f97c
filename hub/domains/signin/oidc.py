"""Who an OpenID Connect sign-in is: the claims of an ID token already verified (signature,
issuer, audience, expiry, nonce) matched to a person by the address the provider has verified.
Nobody is added unless the provider may create people, and then only for its own domains."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from hub.common.errors import InputError
from hub.domains.directory import validation
from hub.domains.directory.people import NewPerson, add_person, person_by_email
from hub.domains.signin.links import SignedIn
from hub.infrastructure.config import OidcProvider
from hub.infrastructure.models import AuditEvent, Person

PERSON_CREATED = "PERSON_CREATED_AT_SIGNIN"
MAX_NAME = 200


class OidcRefusal(enum.StrEnum):
    # No address, or one the provider does not say it has verified: it proves nothing.
    UNVERIFIED_EMAIL = "UNVERIFIED_EMAIL"
    # The provider signs in other domains only (HUB_OIDC_<NAME>_DOMAINS).
    DOMAIN_NOT_ALLOWED = "DOMAIN_NOT_ALLOWED"
    # The address is no one's in the hub, and the provider may not add people.
    UNKNOWN_PERSON = "UNKNOWN_PERSON"


def verified_email(provider: OidcProvider, claims: Mapping[str, object]) -> str | None:
    """The address, normalized, when the provider vouches for it; else None."""
    email = claims.get("email")
    if not isinstance(email, str) or not _vouched_for(provider, claims):
        return None
    try:
        return validation.email(email)
    except InputError:
        return None


def _vouched_for(provider: OidcProvider, claims: Mapping[str, object]) -> bool:
    # Some providers send the flag as the string "true"; anything else is not a yes.
    if claims.get("email_verified") in (True, "true"):
        return True
    # Microsoft Entra ID sends no email_verified; its optional claim xms_edov says the
    # tenant owns the address's domain. Enough only where the provider is held to the
    # organization's own domains.
    return bool(provider.domains) and claims.get("xms_edov") is True


def may_sign_in(provider: OidcProvider, email: str) -> bool:
    return not provider.domains or email.rsplit("@", 1)[1] in provider.domains


async def sign_in_by_claims(
    session: AsyncSession, provider: OidcProvider, claims: Mapping[str, object], now: datetime
) -> SignedIn | OidcRefusal:
    email = verified_email(provider, claims)
    if email is None:
        return OidcRefusal.UNVERIFIED_EMAIL
    if not may_sign_in(provider, email):
        return OidcRefusal.DOMAIN_NOT_ALLOWED
    person = await person_by_email(session, email)
    if person is None and provider.create_people:
        person = await _add_person(session, provider, email, _name(claims, email), now)
    if person is None:
        return OidcRefusal.UNKNOWN_PERSON
    return SignedIn(person.id, str(person.preferred_language).lower())


async def _add_person(
    session: AsyncSession, provider: OidcProvider, email: str, name: str, now: datetime
) -> Person:
    try:
        person = await add_person(session, NewPerson(name=name, email=email))
    except InputError:
        # The same person signing in twice at once (the address is theirs by now), or a
        # name the directory refuses (a control character, say): then the address's own.
        existing = await person_by_email(session, email)
        if existing is not None:
            return existing
        person = await add_person(session, NewPerson(name=email.split("@")[0], email=email))
    detail = f"{email} (signed in through {provider.name})"
    session.add(
        AuditEvent(action=PERSON_CREATED, actor_id=person.id, detail=detail, created_at=now)
    )
    await session.flush()
    return person


def _name(claims: Mapping[str, object], email: str) -> str:
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()[:MAX_NAME]
    return email.split("@")[0]
