"""`hub client add | list | revoke`, run as the real command against the test database."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

from sqlalchemy import func, select

from hub.access.auth.client_secrets import secret_matches
from hub.infrastructure.models import ApiClient
from hub.infrastructure.models.directory import OrganizationKind
from tests.auth.peers import ask_for_token, https_client
from tests.factories import create_organization

HUB = Path(sys.executable).with_name("hub")


async def hub(database_url: str, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "HUB_DATABASE_URL": database_url, "HUB_SECRET_KEY": "x" * 40}
    process = await asyncio.create_subprocess_exec(
        str(HUB), *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode(), err.decode()


async def client_count(session) -> int:
    count = await session.scalar(select(func.count()).select_from(ApiClient))
    await session.commit()
    return int(count or 0)


async def test_add_prints_the_secret_once_and_stores_only_its_hash(session, database_url, app):
    # Given a peer organization
    await create_organization(
        session, name="Florida Peers", slug="florida-peers", kind=OrganizationKind.PEER, state="FL"
    )
    await session.commit()

    # When an admin registers a client for it
    code, out, _ = await hub(
        database_url,
        "client",
        "add",
        "Florida sync",
        "--org",
        "florida-peers",
        "--scope",
        "peer:read",
    )

    # Then the id and secret are printed, and only a salted hash of the secret is stored
    assert code == 0
    client_id = re.search(r"client_id:\s+(\S+)", out)[1]
    secret = re.search(r"client_secret:\s+(\S+)", out)[1]
    row = await session.scalar(select(ApiClient).where(ApiClient.client_id == client_id))
    await session.commit()
    assert row.name == "Florida sync"
    assert row.scopes == ["peer:read"]
    assert secret not in row.secret_hash
    assert row.secret_hash.startswith("scrypt$16384$8$1$")
    assert secret_matches(row.secret_hash, secret)
    assert not secret_matches(row.secret_hash, secret + "x")
    # And the printed credentials get a token
    async with https_client(app) as https:
        response = await ask_for_token(https, client_id, secret)
    assert response.status_code == 200


async def test_list_and_revoke(session, database_url):
    await create_organization(session, name="Texas Peers", slug="texas-peers")
    await session.commit()
    _, out, _ = await hub(
        database_url, "client", "add", "Texas CRM", "--org", "texas-peers", "--scope", "peer:read"
    )
    client_id = re.search(r"client_id:\s+(\S+)", out)[1]

    _, listed, _ = await hub(database_url, "client", "list")
    code, revoked, _ = await hub(database_url, "client", "revoke", client_id)
    _, listed_after, _ = await hub(database_url, "client", "list")
    again, _, error = await hub(database_url, "client", "revoke", client_id)

    assert listed.strip() == f"{client_id}  Texas CRM  texas-peers  peer:read  active"
    assert code == 0
    assert revoked.strip() == f"Revoked {client_id} (Texas CRM)."
    assert re.fullmatch(
        rf"{client_id}  Texas CRM  texas-peers  peer:read  revoked \d{{4}}-\d\d-\d\d",
        listed_after.strip(),
    )
    assert again == 2
    assert error.strip() == f"Error: The client {client_id} is already revoked."


async def test_bad_input_is_explained_and_registers_nothing(session, database_url):
    await create_organization(session, name="Peers", slug="peers")
    await session.commit()

    unknown_scope = await hub(
        database_url, "client", "add", "X", "--org", "peers", "--scope", "admin"
    )
    unknown_org = await hub(
        database_url, "client", "add", "X", "--org", "nobody", "--scope", "peer:read"
    )
    unknown_client = await hub(database_url, "client", "revoke", "hc_nobody")

    assert unknown_scope[0] == 2
    assert unknown_scope[2].strip() == "Error: Unknown scope admin; the scopes are: peer:read."
    assert unknown_org[0] == 2
    assert unknown_org[2].strip() == "Error: No organization has the slug 'nobody'."
    assert unknown_client[0] == 2
    assert unknown_client[2].strip() == "Error: No client has the id hc_nobody."
    assert await client_count(session) == 0
