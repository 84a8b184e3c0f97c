"""Fuzzing the whole schema through the real ASGI app: 0 HTTP 5xx and 0 INTERNAL_SERVER_ERROR.

Documents (queries, mutations and invalid ones) are generated from the served schema by
hypothesis-graphql; each is then sent again with its arguments replaced by adversarial values
of the argument's own type (malformed and real-looking ids, foreign cursors, times at the ends
of the calendar, NUL, long and odd text, extreme numbers, every enum value), so most requests
pass validation and reach the resolvers and services. Each is sent anonymously, as a member or
as an admin. Generating a document costs far more than a request, hence this split.

FUZZ_DOCUMENTS x (1 + FUZZ_VARIANTS) requests: 250 x 41 = 10,250 by default. The seeds are
fixed, so a run is reproducible."""

from __future__ import annotations

import os
import random
from datetime import datetime

import httpx
import pytest
from graphql import (
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FloatValueNode,
    GraphQLEnumType,
    GraphQLScalarType,
    IntValueNode,
    NullValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableNode,
    Visitor,
    get_named_type,
    print_ast,
    visit,
)
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from hub.graphql.node import to_global_id
from hub.graphql.schema import schema
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_admin, create_organization
from tests.governance.factories import create_proposal
from tests.graphql.test_bad_input import BAD_CURSORS, EXTREME_TIMES, bad_ids

DOCUMENTS = int(os.environ.get("FUZZ_DOCUMENTS") or 250)
VARIANTS = int(os.environ.get("FUZZ_VARIANTS") or 40)
SEED = 20261201
SCHEMA = schema._schema
ROLES = ["anonymous", "member", "admin"]

TYPES = ["Organization", "Person", "Affiliation", "Convening", "Rsvp", "Proposal", "CommitteeSeat"]
IDS = [
    *(to_global_id(type_name, pk) for type_name in TYPES for pk in (1, 2, 3, 5, 8, 13, 21)),
    *bad_ids("Convening").values(),
    *bad_ids("Person").values(),
]
TIMES = [
    *EXTREME_TIMES,
    "2026-12-01T10:00:00Z",
    "2026-12-01T10:00",
    "2031-03-09T02:30:00-08:00",
    "1969-12-31T23:59:59Z",
    "2200-01-01T00:00:00+00:00",
    "not a time",
    "",
]
TEXTS = [
    "",
    " ",
    "zzz",
    "Noemí Peña",
    "a%_\\",
    "=cmd|' /C calc'!A0",
    "x" * 201,
    "y" * 5000,
    "\u0000",
    "\u202etxet",
    "America/Los_Angeles",
    "Mars/Olympus",
    "es",
    "oakland-rising",
    "https://example.org:99999/hook",
    *BAD_CURSORS.values(),
    *IDS[:10],
]
INTS = [0, 1, 2, -1, 50, 500, 501, 2**31 - 1, -(2**31), 2**31, 2**53]
FLOATS = ["0", "0.5", "1", "1.0001", "-1", "1e308", "1e-320", "2"]
SCALARS = {
    "DateTime": st.sampled_from(TIMES).map(nodes.String),
    "ID": st.sampled_from(IDS).map(nodes.String),
}


def generated_documents(count: int) -> list[DocumentNode]:
    """Documents over the whole schema: valid queries and mutations, and invalid ones."""
    found: list[DocumentNode] = []
    options = {"custom_scalars": SCALARS, "print_ast": lambda document: document}
    valid = st.one_of(queries(SCHEMA, **options), mutations(SCHEMA, **options))
    invalid = queries(SCHEMA, mode=Mode.NEGATIVE, **options)

    @seed(SEED)
    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(document=st.one_of(valid, valid, valid, invalid))
    def collect(document: DocumentNode) -> None:
        found.append(document)

    collect()
    return found[:count]


class AdversarialArguments(Visitor):
    """Replaces about half of a document's argument values with adversarial values of the
    argument's own input type."""

    def __init__(self, type_info: TypeInfo, rng: random.Random) -> None:
        super().__init__()
        self.type_info = type_info
        self.rng = rng

    def enter(self, node: object, *_args: object) -> object:
        if not isinstance(node, ValueNode) or isinstance(node, VariableNode):
            return None
        named = get_named_type(self.type_info.get_input_type())
        if not isinstance(named, GraphQLScalarType | GraphQLEnumType) or self.rng.random() < 0.5:
            return None
        return self.value(named)

    def value(self, named: GraphQLScalarType | GraphQLEnumType) -> ValueNode:
        pick = self.rng.choice
        if self.rng.random() < 0.05:
            return NullValueNode()
        if isinstance(named, GraphQLEnumType):
            return EnumValueNode(value=pick(list(named.values)))
        if named.name == "Int":
            return IntValueNode(value=str(pick(INTS)))
        if named.name == "Float":
            return FloatValueNode(value=pick(FLOATS))
        if named.name == "Boolean":
            return BooleanValueNode(value=pick([True, False]))
        pool = {"ID": IDS, "DateTime": TIMES}.get(named.name, TEXTS)
        return StringValueNode(value=pick(pool))


def variants(document: DocumentNode, rng: random.Random, count: int) -> list[str]:
    texts = [print_ast(document)]
    for _ in range(count):
        type_info = TypeInfo(SCHEMA)
        changed = visit(document, TypeInfoVisitor(type_info, AdversarialArguments(type_info, rng)))
        texts.append(print_ast(changed))
    return texts


@pytest.fixture
async def tokens(session, gql) -> dict[str, str | None]:
    organization = await create_organization(session)
    admin = await create_admin(session)
    member = await create_member(session, organization)
    await create_convening(session, hosts=[organization])
    await create_proposal(session)
    await session.commit()
    return {
        "anonymous": None,
        "member": gql.token_for(member, lifetime_seconds=86_400),
        "admin": gql.token_for(admin, lifetime_seconds=86_400),
    }


async def test_generated_requests_never_fail_on_the_server(gql, tokens):
    rng = random.Random(SEED)
    failures: list[tuple[int, str, str, str]] = []
    sent = mutations_sent = 0
    started = datetime.now()

    for document in generated_documents(DOCUMENTS):
        for text in variants(document, rng, VARIANTS):
            role = rng.choice(ROLES)
            token = tokens[role]
            headers = {} if token is None else {"Authorization": f"Bearer {token}"}
            response = await gql.http.post("/graphql", json={"query": text}, headers=headers)
            sent += 1
            mutations_sent += text.startswith("mutation")
            if _failed(response):
                failures.append((response.status_code, role, text, response.text[:300]))

    assert failures == [], f"{len(failures)} of {sent} failed; the first: {failures[:3]}"
    assert sent >= 10_000 or DOCUMENTS * (1 + VARIANTS) < 10_000
    assert mutations_sent > sent // 10
    print(f"{sent} requests ({mutations_sent} mutations) in {datetime.now() - started}")


def _failed(response: httpx.Response) -> bool:
    if response.status_code >= 500:
        return True
    if "json" not in response.headers.get("content-type", ""):
        return False
    errors = response.json().get("errors") or []
    return any((e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR" for e in errors)
