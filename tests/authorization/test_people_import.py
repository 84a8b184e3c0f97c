"""Who may import people: the format, the preview (it shows contact details) and the import
are for alliance admins only. Anonymous callers, members, host contacts, an admin's read-only
token and peers' API clients are refused, and a refused call changes nothing."""

from __future__ import annotations

import pytest

from hub.access.auth.personal_tokens import READ
from hub.infrastructure.models.directory import AffiliationRole
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.factories import (
    affiliate,
    create_admin,
    create_organization,
    create_person,
    create_personal_token,
)
from tests.graphql.directory.test_people_import import directory, table_counts

ANONYMOUS, MEMBER, HOST, READ_TOKEN, PEER, ADMIN, WRITE_TOKEN = (
    "anonymous",
    "member",
    "host contact",
    "admin's read-only token",
    "peer:read client",
    "admin",
    "admin's read-write token",
)
CSV = "name,email,organization,role\\nAna Ruiz,ana@scope.org,SCOPE,LEADER\\n"
OPERATIONS = {
    "peopleImportFormat": "{ peopleImportFormat { maxRows } }",
    "previewPeopleImport": f'mutation {{ previewPeopleImport(input: {{csv: "{CSV}"}}) '
    "{ counts { create } rows { email } errors { code } } }",
    "importPeople": f'mutation {{ importPeople(input: {{csv: "{CSV}"}}) '
    "{ counts { create } errors { code } } }",
}
OK, F, U = "ok", "FORBIDDEN", "UNAUTHENTICATED"
EXPECTED = {
    ANONYMOUS: U,
    MEMBER: F,
    HOST: F,
    PEER: F,
    ADMIN: OK,
    WRITE_TOKEN: OK,
}
# A read-only token reads: the format, but no mutation.
EXPECTED_BY_OPERATION = {
    operation: {**EXPECTED, READ_TOKEN: OK if operation == "peopleImportFormat" else F}
    for operation in OPERATIONS
}
CASES = [(op, role) for op, roles in EXPECTED_BY_OPERATION.items() for role in roles]


async def arrange(session, gql, app) -> dict[str, str | None]:
    scope = await create_organization(session, name="SCOPE")
    member = await create_person(session)
    await affiliate(session, member, scope)
    host = await create_person(session)
    await affiliate(session, host, scope, AffiliationRole.CONTACT)
    admin = await create_admin(session)
    tokens = {
        READ_TOKEN: await create_personal_token(session, admin, scopes=frozenset({READ})),
        WRITE_TOKEN: await create_personal_token(session, admin),
    }
    await session.commit()
    registered = await register_peer(session)
    async with https_client(app) as client:
        peer_token = await fetch_token(client, registered)
    people = {MEMBER: member, HOST: host, ADMIN: admin}
    return {
        ANONYMOUS: None,
        PEER: peer_token,
        **{role: gql.token_for(person) for role, person in people.items()},
        **tokens,
    }


def outcome(body: dict) -> str:
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    [value] = body["data"].values()
    assert not value.get("errors"), value
    return OK


@pytest.mark.parametrize(("operation", "role"), CASES)
async def test_only_admins_import_people(session, gql, app, operation, role):
    # Given SCOPE with a member and a contact, an admin with two tokens, and a peer client
    tokens = await arrange(session, gql, app)
    await gql.post(OPERATIONS["peopleImportFormat"], token=tokens[role])  # budgets' rows
    counts, people = await table_counts(session), await directory(session)

    # When the caller asks
    body = (await gql.post(OPERATIONS[operation], token=tokens[role])).json()

    # Then they get what the policy says, and a refusal changed nothing
    assert outcome(body) == EXPECTED_BY_OPERATION[operation][role], body
    if outcome(body) != OK:
        assert body["data"] is None
        assert await table_counts(session) == counts
        assert await directory(session) == people
    elif operation == "importPeople":
        assert len(await directory(session)) == len(people) + 1
