"""Bad input gets a clear error at the edge, on both read paths and both databases: never an
HTTP 5xx, never INTERNAL_SERVER_ERROR. Each table says what each kind of bad input gets."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from graphql import GraphQLError, GraphQLInputObjectType, StringValueNode, get_named_type
from sqlalchemy import func, select

from hub.access.auth.viewer import ANONYMOUS
from hub.infrastructure.models import Organization
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.schema import schema
from tests.factories import affiliate, create_admin, create_organization, create_person


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def cursor(values: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


NOT_AN_ID = "That is not an id this hub gave out."


def bad_ids(type_name: str) -> dict[str, str]:
    """Global ids the hub never gave out, for a type: each is refused as an id, not looked up."""
    return {
        "a non-ASCII raw id": f"{type_name}:²",
        "a superscript digit": b64(f"{type_name}:²"),
        "Arabic-Indic digits": b64(f"{type_name}:\u0661"),
        "a number beyond any id": b64(f"{type_name}:99999999999999999999"),
        "one past PostgreSQL's integer": b64(f"{type_name}:2147483648"),
        "a leading zero": b64(f"{type_name}:0001"),
        "a plus sign": b64(f"{type_name}:+1"),
        "a space": b64(f"{type_name}: 1"),
        "a minus sign": b64(f"{type_name}:-1"),
        "zero": b64(f"{type_name}:0"),
        "no number": b64(f"{type_name}:"),
        "an unknown type": b64("Spaceship:1"),
        "not base64": f"{type_name}:1",
        "base64 without its padding": b64(f"{type_name}:1").rstrip("="),
        "base64 of invalid UTF-8": base64.b64encode(f"{type_name}:".encode() + b"\xff").decode(),
        "a NUL": b64(f"{type_name}:1\x00"),
        "empty": "",
    }


BAD_IDS = bad_ids("Convening")
BAD_ORGANIZATION_IDS = bad_ids("Organization")


async def _clear(gql, query: str, variables: dict[str, Any] | None = None, **as_) -> dict:
    response = await gql.post(query, variables, **as_)
    assert response.status_code < 500, response.text
    body = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    assert "INTERNAL_SERVER_ERROR" not in codes, body
    return body  # type: ignore[no-any-return]


@pytest.mark.parametrize("bad_id", BAD_IDS.values(), ids=BAD_IDS.keys())
async def test_a_bad_id_in_node_is_refused_as_an_id(session, gql, bad_id):
    admin = await create_admin(session)
    await session.commit()

    body = await _clear(gql, "query ($id: ID!) { node(id: $id) { id } }", {"id": bad_id}, as_=admin)

    assert body["data"] == {"node": None}
    assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
        (NOT_AN_ID, "BAD_USER_INPUT")
    ]


@pytest.mark.parametrize("bad_id", BAD_IDS.values(), ids=BAD_IDS.keys())
async def test_a_bad_id_in_calendar_links_is_null(session, gql, bad_id):
    body = await _clear(
        gql, "query ($id: ID!) { calendarLinks(conveningId: $id) { icsUrl } }", {"id": bad_id}
    )

    assert body == {"data": {"calendarLinks": None}}


@pytest.mark.parametrize("bad_id", BAD_ORGANIZATION_IDS.values(), ids=BAD_ORGANIZATION_IDS.keys())
async def test_a_bad_id_in_a_mutation_is_a_payload_error(session, gql, bad_id):
    admin = await create_admin(session)
    await create_organization(session, slug="kept", name="Kept")
    await session.commit()

    body = await _clear(
        gql,
        'mutation ($id: ID!) { updateOrganization(input: {id: $id, name: "Changed"}) '
        "{ organization { id } errors { field code } } }",
        {"id": bad_id},
        as_=admin,
    )

    assert body["data"]["updateOrganization"] == {
        "organization": None,
        "errors": [{"field": "id", "code": "UNKNOWN_ORGANIZATION"}],
    }
    names = await session.scalars(select(Organization.name))
    assert list(names) == ["Kept"]
    await session.commit()


# Cursors the hub never gave out: each list refuses them with the same clear error.
BAD_CURSORS = {
    "a huge number": cursor([{"t": "2026-01-01T00:00:00+00:00"}, 10**30]),
    "one past PostgreSQL's integer": cursor([{"t": "2026-01-01T00:00:00+00:00"}, 2**31]),
    "a string for the id": cursor([{"t": "2026-01-01T00:00:00+00:00"}, "1"]),
    "a boolean": cursor([{"t": "2026-01-01T00:00:00+00:00"}, True]),
    "a float": cursor([{"t": "2026-01-01T00:00:00+00:00"}, 1.5]),
    "a NUL": cursor([{"t": "2026-01-01T00:00:00+00:00\u0000"}, 1]),
    "a null": cursor([None, 1]),
    "a time far before year 1 in UTC": cursor([{"t": "0001-01-01T00:00:00+14:00"}, 1]),
    "a time without offset": cursor([{"t": "2026-01-01T00:00:00"}, 1]),
    "a number for the time": cursor([12, 1]),
    "no keys": cursor([]),
    "an object": base64.urlsafe_b64encode(b'{"id": 1}').decode(),
    "not JSON": base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    "not base64": "zzz",
}
CURSOR_LISTS = {
    "proposals": "query ($after: String) { proposals(after: $after) { totalCount } }",
    "convenings": "query ($after: String) { convenings(after: $after) { totalCount } }",
    "organizations": "query ($after: String) { organizations(after: $after) { totalCount } }",
    "people": "query ($after: String) { people(after: $after) { totalCount } }",
    "outbox": "query ($after: String) { outbox(after: $after) { totalCount } }",
    "governanceEvents": "query ($after: String) { governanceEvents(after: $after) { totalCount } }",
    "organizations by change": "query ($after: String) { organizations("
    'updatedSince: "2020-01-01T00:00:00Z", after: $after) { totalCount } }',
}


@pytest.mark.parametrize("query", CURSOR_LISTS.values(), ids=CURSOR_LISTS.keys())
async def test_a_cursor_the_hub_never_gave_out_is_refused(session, gql, query):
    admin = await create_admin(session)
    await session.commit()

    for kind, bad in BAD_CURSORS.items():
        body = await _clear(gql, query, {"after": bad}, as_=admin)

        assert body["data"] is None, kind
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", kind
        assert error["message"].startswith("The `after` cursor is not one this hub gave out"), kind


EXTREME_TIMES = [
    "0001-01-01T00:00+14:00",
    "9999-12-31T23:59-14:00",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12-31T24:00",
]
TIME_ARGUMENTS = {
    "organizations(updatedSince:)": "organizations(updatedSince: $t) { totalCount }",
    "convenings(from:)": "convenings(from: $t) { totalCount }",
    "convenings(to:)": "convenings(to: $t) { totalCount }",
    "convenings(updatedSince:)": "convenings(updatedSince: $t) { totalCount }",
    "proposals(updatedSince:)": "proposals(updatedSince: $t) { totalCount }",
    "deletedSince(since:)": "deletedSince(since: $t) { totalCount }",
}
TIME_MESSAGE = "A DateTime must be an ISO 8601 date and time between 0001-01-02 and 9999-12-30."


@pytest.mark.parametrize("selection", TIME_ARGUMENTS.values(), ids=TIME_ARGUMENTS.keys())
async def test_a_time_at_the_ends_of_the_calendar_is_refused(session, gql, selection):
    admin = await create_admin(session)
    await session.commit()

    for value in EXTREME_TIMES:
        body = await _clear(
            gql, f"query ($t: DateTime!) {{ {selection} }}", {"t": value}, as_=admin
        )
        literal = await _clear(gql, "{ " + selection.replace("$t", json.dumps(value)) + " }")

        assert "data" not in body or body["data"] is None, value
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT", value
        assert TIME_MESSAGE in error["message"], value
        (error,) = literal["errors"]
        assert TIME_MESSAGE in error["message"], value


async def test_extreme_times_in_mutations_are_refused(session, gql):
    admin = await create_admin(session)
    host = await create_organization(session)
    await session.commit()
    create = """mutation ($s: DateTime!, $e: DateTime!, $d: DateTime) {
      createConvening(input: {title: "T", kind: STRATEGY_SESSION, startsAt: $s, endsAt: $e,
        rsvpDeadline: $d, timeZone: "America/Los_Angeles", hostIds: [$h]}) { errors { code } } }"""
    create = create.replace("$h", json.dumps(_org_id(host.id)))
    good = "2030-01-01T10:00-08:00"

    for value in EXTREME_TIMES:
        for variables in (
            {"s": value, "e": good},
            {"s": good, "e": value},
            {"s": good, "e": good, "d": value},
        ):
            body = await _clear(gql, create, variables, as_=admin)
            (error,) = body["errors"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT", (value, variables)
        for other in (UPDATE_CONVENING, OPEN_VOTING):
            body = await _clear(gql, other, {"t": value}, as_=admin)
            (error,) = body["errors"]
            assert error["extensions"]["code"] == "BAD_USER_INPUT", (value, other)
    count = await session.scalar(select(func.count()).select_from(Organization))
    assert count == 1


UPDATE_CONVENING = f"""mutation ($t: DateTime) {{ updateConvening(input: {{
  id: "{b64("Convening:1")}", startsAt: $t, endsAt: $t, rsvpDeadline: $t}})
  {{ errors {{ code }} }} }}"""
OPEN_VOTING = f"""mutation ($t: DateTime!) {{ openVoting(input: {{proposalId: "{b64("Proposal:1")}",
  rule: MAJORITY, quorum: 0.5, ballot: RECORDED, opensAt: $t, closesAt: $t}})
  {{ errors {{ code }} }} }}"""


def test_every_datetime_argument_and_input_field_is_the_checked_scalar():
    """The HTTP tests above cover each kind of place; this says there is no other DateTime."""
    graphql_schema = schema._schema
    checked = graphql_schema.type_map["DateTime"]
    places = [
        f"{type_.name}.{name}"
        for type_ in graphql_schema.type_map.values()
        if isinstance(type_, GraphQLInputObjectType)
        for name, field in type_.fields.items()
        if get_named_type(field.type).name == "DateTime"
    ] + [
        f"Query.{name}({argument}:)"
        for name, field in graphql_schema.query_type.fields.items()
        for argument, definition in field.args.items()
        if get_named_type(definition.type).name == "DateTime"
    ]

    assert sorted(places) == sorted(
        [
            "CreateConveningInput.startsAt",
            "CreateConveningInput.endsAt",
            "CreateConveningInput.rsvpDeadline",
            "CreatePersonalAccessTokenInput.expiresAt",
            "OpenVotingInput.closesAt",
            "OpenVotingInput.opensAt",
            "UpdateConveningInput.startsAt",
            "UpdateConveningInput.endsAt",
            "UpdateConveningInput.rsvpDeadline",
            *(
                f"{input_type}.{name}"
                for input_type in (
                    "RepeatingConveningDatesInput",
                    "ScheduleRepeatingConveningsInput",
                )
                for name in ("startsAt", "endsAt", "rsvpDeadline")
            ),
            *(f"Query.{place}" for place in TIME_ARGUMENTS),
        ]
    )
    for value in EXTREME_TIMES:
        with pytest.raises(GraphQLError, match="between 0001-01-02 and 9999-12-30"):
            checked.parse_literal(StringValueNode(value=value))


def _org_id(pk: int) -> str:
    return b64(f"Organization:{pk}")


BAD_STRINGS = {"a NUL": "Oak\u0000land", "a lone surrogate": "Oak\ud800land"}


@pytest.mark.parametrize("bad", BAD_STRINGS.values(), ids=BAD_STRINGS.keys())
async def test_a_string_no_database_can_store_is_refused_at_the_edge(session, gql, bad):
    admin = await create_admin(session)
    await session.commit()
    mutation = """mutation ($name: String!) { createOrganization(input: {name: $name, kind: MEMBER})
      { organization { id } errors { code } } }"""
    reads = [
        ("query ($s: String) { organizations(search: $s) { totalCount } }", {"s": bad}),
        ("query ($s: String!) { organization(slug: $s) { id } }", {"s": bad}),
        (mutation, {"name": bad}),
        ("query ($id: ID!) { node(id: $id) { id } }", {"id": bad}),
    ]

    for query, variables in reads:
        body = await _refused_request(gql, query, variables, as_=admin)
        assert body == {
            "errors": [
                {
                    "message": "Text may not contain NUL characters or unpaired surrogates.",
                    "extensions": {"code": "BAD_USER_INPUT"},
                }
            ]
        }
    assert await session.scalar(select(func.count()).select_from(Organization)) == 0


async def _refused_request(gql, query: str, variables: dict[str, Any], **as_) -> dict:
    # A lone surrogate cannot be encoded by httpx's JSON: send the body as a client could.
    body = json.dumps({"query": query, "variables": variables}).encode()
    headers = {"Content-Type": "application/json"}
    if as_:
        headers["Authorization"] = f"Bearer {gql.token_for(as_['as_'])}"
    response = await gql.http.post("/graphql", content=body, headers=headers)
    assert response.status_code == 400, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("bad", BAD_STRINGS.values(), ids=BAD_STRINGS.keys())
async def test_a_string_no_database_can_store_is_refused_whoever_runs_the_document(
    session, runtime, bad
):
    """The pages run their documents with form values, not over HTTP."""
    async with runtime.sessions() as opened:
        context = Context(session=opened, viewer=ANONYMOUS, settings=runtime.settings)
        result = await runtime.schema.execute(
            "query ($s: String) { organizations(search: $s) { totalCount } }",
            variable_values={"s": bad},
            context_value=context,
        )

    assert result.data is None
    assert [(e.message, e.extensions) for e in result.errors or []] == [
        (
            "Text may not contain NUL characters or unpaired surrogates.",
            {"code": "BAD_USER_INPUT"},
        )
    ]


async def test_a_nul_escaped_in_the_document_is_refused(session, gql):
    body = await _clear(gql, '{ organization(slug: "oak\\u0000land") { id } }')

    assert body["errors"][0]["message"] == (
        "Text may not contain NUL characters or unpaired surrogates."
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_search_is_bounded(session, gql):
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    await session.commit()

    for query in (
        "query ($s: String) { organizations(search: $s) { totalCount } }",
        "query ($s: String) { people(search: $s) { totalCount } }",
    ):
        body = await _clear(gql, query, {"s": "x" * 1_000_000}, as_=member)
        assert body["data"] is None
        (error,) = body["errors"]
        assert (error["message"], error["extensions"]["code"]) == (
            "A search can be at most 200 characters.",
            "BAD_USER_INPUT",
        )


async def test_several_operations_need_an_operation_name(session, gql):
    document = "query A { viewer { id } } query B { proposals { totalCount } }"
    expected = {
        "data": None,
        "errors": [
            {
                "message": "Must provide operation name if query contains multiple operations.",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ],
    }

    response = await gql.http.post("/graphql", json={"query": document})
    strict = await gql.http.post(
        "/graphql",
        json={"query": document},
        headers={"Accept": "application/graphql-response+json"},
    )
    named = await gql.http.post("/graphql", json={"query": document, "operationName": "B"})

    assert (response.status_code, response.json()) == (200, expected)
    assert (strict.status_code, strict.json()) == (400, {"errors": expected["errors"]})
    assert named.json() == {"data": {"proposals": {"totalCount": 0}}}
