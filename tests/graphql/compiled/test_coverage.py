"""Which query features compile and which fall back to the normal path, and why: coverage made
visible. (Whether the answers agree is test_differential's business.)"""

from __future__ import annotations

import base64

import pytest

from hub.access.auth.viewer import ANONYMOUS, Viewer
from hub.infrastructure.config import Settings
from hub.interfaces.graphql.compiled import registry
from hub.interfaces.graphql.compiled.executor import GraphQLRequest, why_not_compiled
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.graphql.schema import schema

ADMIN = Viewer(person_id=1, is_admin=True)
BY_NAME = base64.urlsafe_b64encode(b'["Alpha Faith",3]').decode()
BY_TIME = base64.urlsafe_b64encode(b'[{"t":"2000-01-01T00:00:00+00:00"},1]').decode()

COMPILES = {
    "connections with cursors and pageInfo": """
        { organizations(first: 2) { totalCount edges { cursor node { id name } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }""",
    "fragments, inline fragments, aliases, __typename": """
        { __typename orgs: organizations { edges { node { ...F ... on Organization { kind } } } } }
        fragment F on Organization { __typename handle: slug }""",
    "merged fields": "{ people { totalCount } people { edges { node { name } } } }",
    "literal @skip/@include": "{ people @skip(if: false) { totalCount @include(if: true) } }",
    "nested lists and objects": """
        { viewer { affiliations { person { name } organization { affiliations { role } } } } }""",
    "private fields (nulls decided in SQL)": """
        { people { edges { node { email phone preferredLanguage
            affiliations { workEmail workPhone } } } } }""",
    "arguments as literals and variables": """
        query ($kind: OrganizationKind) { organizations(kind: $kind, search: "a", first: 3) {
            totalCount } organization(slug: "x") { name } }""",
    "DateTime and enum fields": "{ organizations { edges { node { createdAt kind sector } } } }",
    "datetimes in the convening's own zone, lists through a link table, aggregates": """
        { convenings(from: "2000-01-01T00:00:00Z", kind: TRAINING, hostSlug: "x") {
            edges { node { startsAt endsAt rsvpDeadline hosts { name }
              counts { going maybe waitlisted notGoing attended organizationsRepresented }
        } } } }""",
    "connections below objects (RSVPs, null for who may not see them)": """
        { convenings { edges { node { rsvps(first: 5) { totalCount pageInfo { endCursor }
            edges { cursor node { status checkedInAt person { name } organization { name } } }
        } } } } }""",
    "the committee's plain lists (roots without paging), seats with their people": """
        { committee { id active organization { name } holder { name } alternate { name } } }""",
    "needs totals (null for who may not see them, decided in SQL)": """
        { convenings { edges { node { needsTotals { __typename childcarePlaces
            interpretation { language count } accessibility { need count }
            accessibilityNotes dietaryNotes } } } } }""",
    "folded RSVP search below objects": """
        query ($q: String) { convenings { edges { node { rsvps(search: $q, first: 2) {
            totalCount edges { node { status } } } } } } }""",
    "Booleans the viewer decides": "{ viewerMayWriteProposals may: viewerMayWriteProposals }",
    "sync reads: changes in (updatedAt, id) order, with their cursors": f"""
        {{ organizations(updatedSince: "2000-01-01T00:00:00Z", kind: MEMBER) {{ totalCount
            edges {{ cursor node {{ name updatedAt }} }} pageInfo {{ endCursor }} }}
          convenings(updatedSince: "2000-01-01", first: 2, after: "{BY_TIME}") {{
            edges {{ cursor node {{ title }} }} }} }}""",
    "tombstones": """
        { deletedSince(since: "2000-01-01T00:00:00Z", first: 5) { totalCount
            edges { cursor node { id typename reason occurredAt } } pageInfo { hasNextPage } } }""",
}

# Compiled for those who see VOTING (admins, committee members, members), not for others.
COMPILES_FOR_MEMBERS = {
    "proposals with sponsors, their convening, recorded votes and their seats": """
        { proposals(first: 5) { totalCount edges { node { id title quorum ballot votingRule
            votingOpensAt votingClosesAt sponsors { name } originConvening { title }
            votes { choice reason castAs seat { organization { name } } castBy { name } }
        } } } }""",
    "proposals changed since": """
        { proposals(updatedSince: "2000-01-01T00:00:00Z") { edges { cursor node { title } } } }""",
}
MEMBER = Viewer(person_id=2, affiliated_org_ids=frozenset({1}), member_org_ids=frozenset({1}))

DEEP = "{ viewer { " + "affiliations { organization { " * 6 + "name" + " } }" * 6 + " } }"
ALIASES = "{ " + " ".join(f"a{n}: viewer {{ name }}" for n in range(16)) + " }"
OTHER_ORDERING = base64.urlsafe_b64encode(b'["a","b"]').decode()

FALLS_BACK = {
    "introspection": ("{ __schema { queryType { name } } }", "introspection"),
    "introspection of a type": ('{ __type(name: "Person") { name } }', "introspection"),
    "mutations": (
        'mutation { createPerson(input: {name: "X", email: "x@y.z"}) { errors { code } } }',
        "a mutation",
    ),
    "@include with a variable": (
        "query ($yes: Boolean!) { viewer @include(if: $yes) { name } }",
        "@include with a variable",
    ),
    "unmapped root fields": ("{ rateLimit { cost } }", "Query.rateLimit is not mapped"),
    "malformed times": ('{ convenings(updatedSince: "yesterday") { totalCount } }', "not valid"),
    "malformed times in variables": (
        "query ($n: DateTime!) { deletedSince(since: $n) { totalCount } }",
        "variables that do not coerce",
    ),
    "cursors of the list's other ordering (by name) for updatedSince": (
        f'{{ organizations(updatedSince: "2000-01-01", after: "{BY_NAME}") {{ totalCount }} }}',
        "a malformed cursor",
    ),
    "unmapped arguments below (RSVP delegations)": (
        "{ convenings { edges { node { rsvps(organizations: []) { totalCount } } } } }",
        "Convening.rsvps(organizations:) is not mapped",
    ),
    "`first` over the cap below": (
        "{ convenings { edges { node { rsvps(first: 501) { totalCount } } } } }",
        "`first` out of bounds",
    ),
    "unparsable documents": ("{ viewer {", "not parsed"),
    "invalid documents": ("{ viewer { shoeSize } }", "not valid"),
    "documents past the depth limit": (DEEP, "not valid"),
    "documents past the alias limit": (ALIASES, "not valid"),
    "`first` over the cap": ("{ people(first: 501) { totalCount } }", "`first` out of bounds"),
    "negative `first`": ("{ people(first: -1) { totalCount } }", "`first` out of bounds"),
    "malformed cursors": ('{ people(after: "nope") { totalCount } }', "a malformed cursor"),
    "cursors of another ordering": (
        f'{{ people(after: "{OTHER_ORDERING}") {{ totalCount }} }}',
        "a malformed cursor",
    ),
    # A window past its close reads as closed under an outcome counted in Python (a SECRET
    # ballot's from its opened seals): no SQL gives a proposal's status, nor whether a viewer
    # who may not see VOTING sees it.
    "a proposal's status": (
        "{ proposals { edges { node { title status } } } }",
        "Proposal.status is not mapped",
    ),
    "a proposal's closedAt": (
        "{ proposals { edges { node { closedAt } } } }",
        "Proposal.closedAt is not mapped",
    ),
    "a proposal's tally": (
        "{ proposals { edges { node { tally { final } } } } }",
        "Proposal.tally is not mapped",
    ),
    "proposals by status": (
        "{ proposals(status: ADOPTED) { totalCount } }",
        "Query.proposals(status:) is not mapped",
    ),
    "proposals for viewers who may not see VOTING": (
        "{ proposals { totalCount } }",
        "proposals of viewers who may not see VOTING",
    ),
    "the roster, for anyone but admins": (
        "{ committeeRoster { id } }",
        "Sign in to do this.",
    ),
    "malformed global ids": ('{ node(id: "nope") { id } }', "a malformed global id"),
    "variables that do not coerce": (
        "query ($n: Int) { people(first: $n) { totalCount } }",
        "variables that do not coerce",
    ),
}


def reason(text: str, viewer: Viewer, variables: dict | None = None) -> str | None:
    request = GraphQLRequest(text, None, variables or {})
    return why_not_compiled(schema._schema, request, viewer, Settings())


@pytest.mark.parametrize("feature", COMPILES)
def test_compiles(feature: str):
    for viewer in (ANONYMOUS, ADMIN):
        assert reason(COMPILES[feature], viewer) is None


@pytest.mark.parametrize("feature", COMPILES_FOR_MEMBERS)
def test_compiles_for_members(feature: str):
    for viewer in (MEMBER, ADMIN):
        assert reason(COMPILES_FOR_MEMBERS[feature], viewer) is None


def test_the_roster_compiles_for_admins():
    assert reason("{ committeeRoster { id active holder { name } } }", ADMIN) is None


@pytest.mark.parametrize("feature", FALLS_BACK)
def test_falls_back(feature: str):
    text, expected = FALLS_BACK[feature]
    variables = {"n": "three"} if "$n" in text else {"yes": True}
    assert reason(text, ANONYMOUS, variables) == expected


def test_node_compiles_for_mapped_types_and_falls_back_for_the_others():
    query = "query ($id: ID!) { node(id: $id) { id } }"
    for type_name in registered_node_types():
        found = reason(query, MEMBER, {"id": to_global_id(type_name, 1)})
        expected = None if type_name in registry.TYPES else f"node of unmapped type {type_name}"
        assert found == expected
    mapped = {"Organization", "Person", "Affiliation", "Convening", "Rsvp"}
    assert mapped | {"CommitteeSeat", "Proposal", "Vote"} <= set(registry.TYPES)
    proposal = {"id": to_global_id("Proposal", 1)}
    assert reason(query, ANONYMOUS, proposal) == "proposals of viewers who may not see VOTING"


def registered_node_types() -> list[str]:
    from hub.interfaces.graphql import node

    return sorted(node._fetchers)


def test_the_sqlite_setting_keeps_only_sqlite_on_the_normal_path():
    from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
    from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

    from hub.interfaces.graphql.compiled.executor import compiles_on

    sqlite, postgresql = SQLiteDialect_aiosqlite(), PGDialect_asyncpg()
    default, off = Settings.from_env({}), Settings.from_env({"HUB_COMPILED_READS_SQLITE": "0"})
    all_off = Settings.from_env({"HUB_COMPILED_READS": "0"})

    assert compiles_on(default, sqlite) and compiles_on(default, postgresql)
    assert not compiles_on(off, sqlite) and compiles_on(off, postgresql)
    assert not compiles_on(all_off, sqlite) and not compiles_on(all_off, postgresql)
