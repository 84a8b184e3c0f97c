"""Your tokens and sessions (an admin: anyone's, by email), and who the admins are."""

from __future__ import annotations

import strawberry

from hub.access.auth import personal_tokens
from hub.access.permissions.credentials import require_admin, require_person
from hub.domains.directory import admins
from hub.domains.directory.people import person_by_email
from hub.domains.signin import sessions
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.credentials.types import PersonalAccessToken, SignInSession
from hub.interfaces.graphql.directory.types import Person

Info = strawberry.Info[Context, None]


async def _whose(info: Info, email: str | None) -> int | None:
    """The person asked about: yourself without an email; with one, admins only (None for an
    email nobody has)."""
    viewer = info.context.viewer
    if email is None:
        return require_person(viewer)
    require_admin(viewer)
    person = await person_by_email(info.context.session, email)
    return None if person is None else person.id


@strawberry.type
class CredentialQuery:
    @strawberry.field(
        description="Personal access tokens not revoked, newest first (expired ones too): "
        "yours, or with `email` (admins only) that person's."
    )
    async def personal_access_tokens(
        self, info: Info, email: str | None = None
    ) -> list[PersonalAccessToken]:
        person_id = await _whose(info, email)
        if person_id is None:
            return []
        rows = await personal_tokens.tokens_of(info.context.session, person_id)
        return [PersonalAccessToken.from_model(row) for row in rows]

    @strawberry.field(
        description="Browsers signed in, most recently seen first: yours, or with `email` "
        "(admins only) that person's."
    )
    async def sign_in_sessions(self, info: Info, email: str | None = None) -> list[SignInSession]:
        person_id = await _whose(info, email)
        if person_id is None:
            return []
        settings = info.context.settings
        rows = await sessions.live_sessions_of(
            info.context.session,
            person_id,
            now=utcnow(),
            lifetimes=sessions.lifetimes_of(settings),
        )
        return [SignInSession.from_model(row) for row in rows]

    @strawberry.field(description="The alliance's admins, by name. Admins only.")
    async def admins(self, info: Info) -> list[Person]:
        require_admin(info.context.viewer)
        return [Person.from_model(row) for row in await admins.admins(info.context.session)]
