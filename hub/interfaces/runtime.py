"""What a running hub process holds: settings, the engines, the schema and the token signer."""

from __future__ import annotations

from dataclasses import dataclass

import strawberry
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from hub.access.auth.secret import signing_secret
from hub.access.auth.tokens import TokenSigner
from hub.infrastructure.config import Settings
from hub.infrastructure.db import create_engine, create_session_factory, transaction
from hub.infrastructure.db_routing import (
    REPLICA_CONNECT_TIMEOUT_SECONDS,
    Database,
    DatabaseRouting,
    Replica,
)


@dataclass
class Runtime:
    settings: Settings
    # The primary: every write, and every read not routed elsewhere (see `routing`).
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    schema: strawberry.Schema
    signer: TokenSigner
    routing: DatabaseRouting

    @classmethod
    async def start(cls, settings: Settings, schema: strawberry.Schema | None = None) -> Runtime:
        from hub.interfaces.graphql.schema import schema as default_schema

        primary = _database(settings, settings.database_url)
        async with transaction(primary.sessions) as session:
            secret = await signing_secret(session, settings.secret_key)
        replica = None
        if settings.database_replica_url is not None:
            replica_database = _database(
                settings,
                settings.database_replica_url,
                connect_args={"timeout": REPLICA_CONNECT_TIMEOUT_SECONDS},
            )
            replica = Replica(replica_database, settings.replica_max_lag_seconds)
        return cls(
            settings=settings,
            engine=primary.engine,
            sessions=primary.sessions,
            schema=schema or default_schema,
            signer=TokenSigner(
                secret,
                issuer=settings.base_url,
                also_accepted=settings.other_token_issuers,
                accept_person_tokens=settings.accept_signed_person_tokens,
            ),
            routing=DatabaseRouting(primary, replica, secret),
        )

    async def stop(self) -> None:
        await self.engine.dispose()
        if self.routing.replica is not None:
            await self.routing.replica.database.engine.dispose()


def _database(settings: Settings, url: str, **options: object) -> Database:
    pooled = settings.database_pooler == "transaction"
    engine = create_engine(
        url, pool_size=settings.database_pool_size, transaction_pooler=pooled, **options
    )
    return Database(engine, create_session_factory(engine))
