"""Making and revoking personal access tokens, ending sessions, granting and taking away admin
rights: each thin over its service."""

from __future__ import annotations

from datetime import datetime

import strawberry

from hub.access.auth import personal_tokens
from hub.access.auth.errors import CredentialErrorCode as Code
from hub.access.permissions.credentials import (
    require_admin,
    require_person,
    require_signed_in_page_or_token_maker,
)
from hub.common.errors import InputError
from hub.domains.directory import admins
from hub.domains.directory.people import person_by_email
from hub.domains.signin import sessions
from hub.domains.signin.credentials import end_credentials_of
from hub.domains.signin.sessions import SessionEnd
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.credentials.types import (
    CredentialError,
    PersonalAccessToken,
    TokenScope,
)
from hub.interfaces.graphql.directory.types import Person
from hub.interfaces.graphql.mutation import attempt, input_pk

Info = strawberry.Info[Context, None]


@strawberry.input
class CreatePersonalAccessTokenInput:
    name: str = strawberry.field(description="What it is for, up to 100 characters.")
    scopes: list[TokenScope] = strawberry.field(description="[READ], or [READ, WRITE].")
    expires_at: datetime = strawberry.field(description="In the future, within a year.")


@strawberry.type
class CreatePersonalAccessTokenPayload:
    token: PersonalAccessToken | None
    secret: str | None = strawberry.field(
        description="The token itself (hub_pat_…): shown this once, never again."
    )
    errors: list[CredentialError]


@strawberry.input
class RevokePersonalAccessTokenInput:
    id: strawberry.ID


@strawberry.type
class RevokePersonalAccessTokenPayload:
    token: PersonalAccessToken | None
    errors: list[CredentialError]


@strawberry.input
class EndSignInSessionInput:
    id: strawberry.ID


@strawberry.type
class EndSignInSessionPayload:
    ended: bool
    errors: list[CredentialError]


@strawberry.input
class SignOutEverywhereInput:
    email: str | None = strawberry.field(
        default=None, description="Someone else's (admins only); leave out for yourself."
    )


@strawberry.type
class SignOutEverywherePayload:
    sessions_ended: int
    tokens_revoked: int
    errors: list[CredentialError]


@strawberry.input
class AdminRightsInput:
    email: str


@strawberry.type
class AdminRightsPayload:
    person: Person | None
    errors: list[CredentialError]


def _errors(errors: list[InputError]) -> list[CredentialError]:
    return [CredentialError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


def _owner_unless_admin(info: Info) -> int | None:
    """Whose things the viewer may change: their own, or (admins) anyone's (None)."""
    person_id = require_person(info.context.viewer)
    return None if info.context.viewer.is_admin else person_id


@strawberry.type
class CredentialMutation:
    @strawberry.mutation(
        description="Makes a personal access token; its secret is in the payload, once. "
        "Signed-in people only, not with a token."
    )
    async def create_personal_access_token(
        self, info: Info, input: CreatePersonalAccessTokenInput
    ) -> CreatePersonalAccessTokenPayload:
        context = info.context
        person_id = require_signed_in_page_or_token_maker(context.viewer)

        async def make() -> personal_tokens.MadeToken:
            return await personal_tokens.make_personal_token(
                context.session,
                person_id=person_id,
                name=input.name,
                scopes=frozenset(scope.value for scope in input.scopes),
                expires_at=input.expires_at,
                now=utcnow(),
            )

        made, errors = await attempt(context, make)
        return CreatePersonalAccessTokenPayload(
            token=PersonalAccessToken.from_model(made.token) if made else None,
            secret=made.secret if made else None,
            errors=_errors(errors),
        )

    @strawberry.mutation(
        description="Revokes a token at once: yours, or anyone's for admins (audited)."
    )
    async def revoke_personal_access_token(
        self, info: Info, input: RevokePersonalAccessTokenInput
    ) -> RevokePersonalAccessTokenPayload:
        context = info.context
        owner_id = _owner_unless_admin(info)

        async def revoke() -> PersonalAccessToken:
            token_id = input_pk(input.id, "PersonalAccessToken", "id", Code.NOT_FOUND)
            revoked = await personal_tokens.revoke_personal_token(
                context.session,
                token_id,
                actor_id=context.viewer.person_id,
                owner_id=owner_id,
                now=utcnow(),
            )
            return PersonalAccessToken.from_model(revoked)

        revoked, errors = await attempt(context, revoke)
        return RevokePersonalAccessTokenPayload(token=revoked, errors=_errors(errors))

    @strawberry.mutation(
        description="Signs one browser out for good: yours, or anyone's for admins (audited)."
    )
    async def end_sign_in_session(
        self, info: Info, input: EndSignInSessionInput
    ) -> EndSignInSessionPayload:
        context = info.context
        owner_id = _owner_unless_admin(info)

        async def end() -> bool:
            session_id = input_pk(input.id, "SignInSession", "id", Code.NOT_FOUND)
            await sessions.end_session_by_id(
                context.session,
                session_id,
                owner_id=owner_id,
                actor_id=context.viewer.person_id,
                now=utcnow(),
            )
            return True

        ended, errors = await attempt(context, end)
        return EndSignInSessionPayload(ended=bool(ended), errors=_errors(errors))

    @strawberry.mutation(
        description="Ends every session and revokes every token: yours, or (admins, audited) "
        "the person's with this email."
    )
    async def sign_out_everywhere(
        self, info: Info, input: SignOutEverywhereInput
    ) -> SignOutEverywherePayload:
        context = info.context
        me = require_person(context.viewer)
        if input.email is not None:
            require_admin(context.viewer)

        async def end_all() -> tuple[int, int]:
            person_id = me if input.email is None else await _person_id(context, input.email)
            ended = await end_credentials_of(
                context.session,
                person_id,
                actor_id=me,
                reason=SessionEnd.SIGNED_OUT_EVERYWHERE
                if person_id == me
                else SessionEnd.ENDED_BY_ADMIN,
                now=utcnow(),
            )
            return ended.sessions, ended.tokens

        counts, errors = await attempt(context, end_all)
        sessions_ended, tokens_revoked = counts or (0, 0)
        return SignOutEverywherePayload(
            sessions_ended=sessions_ended, tokens_revoked=tokens_revoked, errors=_errors(errors)
        )

    @strawberry.mutation(description="Makes a person an alliance admin (audited). Admins only.")
    async def grant_admin(self, info: Info, input: AdminRightsInput) -> AdminRightsPayload:
        context = info.context
        actor_id = require_admin(context.viewer)

        async def grant() -> Person:
            granted = await admins.grant_admin(
                context.session, input.email, actor_id=actor_id, now=utcnow()
            )
            return Person.from_model(granted)

        person, errors = await attempt(context, grant)
        return AdminRightsPayload(person=person, errors=_errors(errors))

    @strawberry.mutation(
        description="Takes away a person's admin rights (audited); never the last admin's. "
        "Admins only."
    )
    async def revoke_admin(self, info: Info, input: AdminRightsInput) -> AdminRightsPayload:
        context = info.context
        actor_id = require_admin(context.viewer)

        async def revoke() -> Person:
            revoked = await admins.revoke_admin(
                context.session, input.email, actor_id=actor_id, now=utcnow()
            )
            return Person.from_model(revoked)

        person, errors = await attempt(context, revoke)
        return AdminRightsPayload(person=person, errors=_errors(errors))


async def _person_id(context: Context, email: str) -> int:
    person = await person_by_email(context.session, email)
    if person is None:
        raise InputError("email", Code.NOT_FOUND, "Nobody in the hub has that email.")
    return person.id
