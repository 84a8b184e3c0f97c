"""Fuzzing the whole schema through the real ASGI app: 0 HTTP 5xx and 0 INTERNAL_SERVER_ERROR.

Documents (queries, mutations and invalid ones) are generated from the served schema by
hypothesis-graphql; each is then sent again with its arguments replaced by adversarial values
of the argument's own type (malformed and real-looking ids, foreign cursors, times at the ends
of the calendar, NUL, long and odd text, extreme numbers, every enum value), so most requests
pass validation and reach the resolvers and services. Each is sent anonymously, as a member or
as an admin. Generating a document costs far more than a request, and validating a large one
more than running it, hence this split.

FUZZ_DOCUMENTS documents (250 by default) make at least FUZZ_REQUESTS requests: 10,000 on
PostgreSQL, the production database; 2,500 on SQLite, which sends every document too, with fewer
variants of each (the suite runs on both side by side, and the fuzz is its longest test). The
seeds are fixed, so a run is reproducible."""

from __future__ import annotations

import os
import random
from dataclasses import replace
from datetime import datetime

import httpx
import pytest
from graphql import (
    BooleanValueNode,
    DocumentNode,
    EnumValueNode,
    FloatValueNode,
    GraphQLEnumType,
    GraphQLInputType,
    GraphQLScalarType,
    IntValueNode,
    NameNode,
    NullValueNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    get_named_type,
    parse_type,
    print_ast,
    validate,
    visit,
)
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.graphql.schema import schema
from tests.convenings.factories import create_convening, create_member
from tests.factories import create_admin, create_organization
from tests.governance.factories import create_proposal
from tests.graphql.test_bad_input import BAD_CURSORS, EXTREME_TIMES, bad_ids

DOCUMENTS = int(os.environ.get("FUZZ_DOCUMENTS") or 250)
REQUESTS = {"postgresql": 10_000, "sqlite": 2_500}
LITERAL_VARIANTS = 4
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
DATES = [
    "2026-12-01",
    "2011-03-10",
    "0001-01-01",
    "9999-12-31",
    "2026-02-30",
    "2026-13-01",
    "2026-12-01T10:00:00Z",
    "not a date",
    "",
]
INTS = [0, 1, 2, -1, 50, 500, 501, 2**31 - 1, -(2**31), 2**31, 2**53]
FLOATS = ["0", "0.5", "1", "1.0001", "-1", "1e308", "1e-320", "2"]
SCALARS = {
    "DateTime": st.sampled_from(TIMES).map(nodes.String),
    "Date": st.sampled_from(DATES).map(nodes.String),
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
        pool = {"ID": IDS, "DateTime": TIMES, "Date": DATES}.get(named.name, TEXTS)
        return StringValueNode(value=pick(pool))


class ArgumentsAsVariables(Visitor):
    """Moves every scalar and enum argument value into a variable of the position's type."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.types: dict[str, GraphQLInputType] = {}

    def enter(self, node: object, *_args: object) -> object:
        if not isinstance(node, ValueNode) or isinstance(node, VariableNode):
            return None
        expected = self.type_info.get_input_type()
        if not isinstance(get_named_type(expected), GraphQLScalarType | GraphQLEnumType):
            return None
        name = f"v{len(self.types)}"
        self.types[name] = expected  # type: ignore[assignment]
        return VariableNode(name=NameNode(value=name))


def parameterized(document: DocumentNode) -> tuple[str, dict[str, GraphQLInputType]]:
    type_info = TypeInfo(SCHEMA)
    moving = ArgumentsAsVariables(type_info)
    changed = visit(document, TypeInfoVisitor(type_info, moving))
    (operation,) = changed.definitions
    declared = tuple(
        VariableDefinitionNode(
            variable=VariableNode(name=NameNode(value=name)),
            type=parse_type(str(type_)),
            directives=(),
        )
        for name, type_ in moving.types.items()
    )
    declaring = replace(operation, variable_definitions=declared)  # type: ignore[type-var]
    return print_ast(replace(changed, definitions=(declaring,))), moving.types


# Values the variables' coercion and the HTTP edge refuse outright, whatever the field.
REFUSED_AT_THE_DOOR = {
    "Int": [2**31, 2**53, 1.5, "1"],
    "DateTime": [*EXTREME_TIMES, "not a time", ""],
    "Date": ["2026-02-30", "2026-13-01", "2026-12-01T10:00:00Z", "not a date", ""],
    "String": ["\u0000", "a\u0000b"],
}


def variable_values(types: dict[str, GraphQLInputType], rng: random.Random) -> dict[str, object]:
    """Values for every variable that pass coercion (so the request reaches the resolvers);
    now and then one variable gets a value refused at the door instead, or null."""
    values = {name: _variable_value(t, rng) for name, t in types.items()}
    if values and rng.random() < 0.25:
        name = rng.choice(sorted(values))
        named = get_named_type(types[name]).name
        values[name] = rng.choice([None, *REFUSED_AT_THE_DOOR.get(named, [[], {}])])
    return values


def _variable_value(type_: GraphQLInputType, rng: random.Random) -> object:
    named = get_named_type(type_)
    if isinstance(named, GraphQLEnumType):
        return rng.choice(list(named.values))
    if named.name == "Int":
        return rng.choice([n for n in INTS if -(2**31) <= n < 2**31])
    if named.name == "Float":
        return float(rng.choice(FLOATS))
    if named.name == "Boolean":
        return rng.choice([True, False])
    if named.name == "DateTime":
        return rng.choice([t for t in TIMES if t not in REFUSED_AT_THE_DOOR["DateTime"]])
    if named.name == "Date":
        return rng.choice([d for d in DATES if d not in REFUSED_AT_THE_DOOR["Date"]])
    return rng.choice([t for t in (IDS if named.name == "ID" else TEXTS) if "\x00" not in t])


Request = tuple[str, dict[str, object] | None]


def requests_on(dialect: str) -> int:
    return int(os.environ.get("FUZZ_REQUESTS") or REQUESTS[dialect])


def generated_requests(rng: random.Random, total: int) -> list[Request]:
    """At least `total` requests: every generated document as it is, and each valid one with
    adversarial literals and with adversarial variables, as many times as it takes."""
    documents = generated_documents(DOCUMENTS)
    valid = [document for document in documents if not validate(SCHEMA, document)]
    requests = [(print_ast(document), None) for document in documents]
    remaining = total - len(requests) - LITERAL_VARIANTS * len(valid)
    per_document = max(1, -(-remaining // max(1, len(valid))))
    for document in valid:
        requests += variants_of(document, rng, per_document)
    return requests


def variants_of(document: DocumentNode, rng: random.Random, count: int) -> list[Request]:
    """LITERAL_VARIANTS with adversarial literals, and `count` requests of one parameterized
    text with adversarial variables (parsed and validated once, so the fuzz spends its time in
    resolvers and services rather than in validation)."""
    requests: list[Request] = []
    for _ in range(LITERAL_VARIANTS):
        type_info = TypeInfo(SCHEMA)
        changed = visit(document, TypeInfoVisitor(type_info, AdversarialArguments(type_info, rng)))
        requests.append((print_ast(changed), None))
    text, types = parameterized(document)
    for _ in range(count):
        requests.append((text, variable_values(types, rng)))
    return requests


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


async def test_generated_requests_never_fail_on_the_server(gql, tokens, dialect):
    rng = random.Random(SEED)
    failures: list[tuple[int, str, str, object, str]] = []
    sent = mutations_sent = with_data = 0
    started = datetime.now()

    total = requests_on(dialect)
    for text, variables in generated_requests(rng, total):
        role = rng.choice(ROLES)
        token = tokens[role]
        headers = {} if token is None else {"Authorization": f"Bearer {token}"}
        body = {"query": text, "variables": variables}
        response = await gql.http.post("/graphql", json=body, headers=headers)
        sent += 1
        mutations_sent += text.startswith("mutation")
        with_data += response.status_code == 200 and bool(response.json().get("data"))
        if _failed(response):
            failures.append((response.status_code, role, text, variables, response.text[:300]))

    assert failures == [], f"{len(failures)} of {sent} failed; the first: {failures[:3]}"
    assert sent >= total
    assert mutations_sent > sent // 10
    print(f"{sent} requests ({mutations_sent} mutations, {with_data} with data) in", end=" ")
    print(datetime.now() - started)


def _failed(response: httpx.Response) -> bool:
    if response.status_code >= 500:
        return True
    if "json" not in response.headers.get("content-type", ""):
        return False
    errors = response.json().get("errors") or []
    return any((e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR" for e in errors)
