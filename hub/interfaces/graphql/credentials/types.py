"""A personal access token, a sign-in session, and the mistakes made with them."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from sqlalchemy import select

from hub.access.auth.errors import CredentialErrorCode
from hub.access.auth.personal_tokens import READ, WRITE
from hub.access.permissions.credentials import may_see_credentials_of
from hub.infrastructure.models import PersonalAccessToken as TokenRow
from hub.infrastructure.models import SignInSession as SessionRow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.node import Node, register_node, to_global_id

strawberry.enum(
    CredentialErrorCode,
    description="REQUIRED, TOO_LONG: the name; INVALID_SCOPES: choose [READ] or [READ, WRITE]; "
    "EXPIRY_IN_THE_PAST, EXPIRY_TOO_FAR (a year at most); NOT_FOUND: no such token, session "
    "or person that you may change; ALREADY_ADMIN, NOT_ADMIN; LAST_ADMIN: the hub keeps one.",
)


@strawberry.enum(description="What a personal access token may do.")
class TokenScope(enum.Enum):
    READ = READ
    WRITE = WRITE


@strawberry.type(
    description="A personal access token, as its person (and admins) see it: never the token "
    "itself, which is shown once, when made."
)
class PersonalAccessToken(Node):
    name: str
    scopes: list[TokenScope]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = strawberry.field(
        description="The last use, to within a minute or so; null if never used."
    )

    @classmethod
    def from_model(cls, model: TokenRow) -> PersonalAccessToken:
        return cls(
            id=to_global_id("PersonalAccessToken", model.id),
            name=model.name,
            scopes=[TokenScope(scope) for scope in model.scope.split()],
            created_at=model.created_at,
            expires_at=model.expires_at,
            last_used_at=model.last_used_at,
        )


@strawberry.type(description="A browser signed in, as its person (and admins) see it.")
class SignInSession(Node):
    provider: str = strawberry.field(
        description='How they signed in: "email" for the email link, else the provider\'s name.'
    )
    user_agent: str | None = strawberry.field(description="The browser, as it said at sign-in.")
    created_at: datetime
    last_seen_at: datetime = strawberry.field(description="To within a minute or so.")

    @classmethod
    def from_model(cls, model: SessionRow) -> SignInSession:
        return cls(
            id=to_global_id("SignInSession", model.id),
            provider=model.provider,
            user_agent=model.user_agent,
            created_at=model.created_at,
            last_seen_at=model.last_seen_at,
        )


@strawberry.type(description="A mistake with a token, a session or admin rights.")
class CredentialError(UserError):
    code: CredentialErrorCode


async def _token_node(context: Context, pk: int) -> PersonalAccessToken | None:
    row = await context.session.scalar(
        select(TokenRow).where(TokenRow.id == pk, TokenRow.revoked_at.is_(None))
    )
    if row is None or not may_see_credentials_of(context.viewer, row.person_id):
        return None
    return PersonalAccessToken.from_model(row)


async def _session_node(context: Context, pk: int) -> SignInSession | None:
    row = await context.session.scalar(
        select(SessionRow).where(SessionRow.id == pk, SessionRow.ended_at.is_(None))
    )
    if row is None or not may_see_credentials_of(context.viewer, row.person_id):
        return None
    return SignInSession.from_model(row)


register_node("PersonalAccessToken", _token_node)
register_node("SignInSession", _session_node)
