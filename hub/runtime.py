"""What a running hub process holds: settings, the engine, the schema and the token signer."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.auth.secret import signing_secret
from hub.auth.tokens import TokenSigner
from hub.config import Settings
from hub.db import create_engine, create_session_factory, transaction


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    schema: strawberry.Schema
    signer: TokenSigner

    @classmethod
    async def start(cls, settings: Settings, schema: strawberry.Schema | None = None) -> Runtime:
        from hub.graphql.schema import schema as default_schema

        engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        sessions = create_session_factory(engine)
        async with transaction(sessions) as session:
            secret = await signing_secret(session, settings.secret_key)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessions,
            schema=schema or default_schema,
            signer=TokenSigner(
                secret,
                issuer=settings.base_url,
                also_accepted=settings.other_token_issuers,
                accept_person_tokens=settings.accept_signed_person_tokens,
            ),
        )

    async def stop(self) -> None:
        await self.engine.dispose()
