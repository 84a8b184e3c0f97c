"""The queries the differential tests send: every GraphQL query document written in the test
suite (tests/graphql/**), found by reading the test files, plus hand-written ones for the
features the compiler handles (fragments, aliases, variables, literal directives, __typename,
nested lists, connections and node)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    NamedTypeNode,
    OperationDefinitionNode,
    OperationType,
    TypeNode,
    parse,
)

from tests.graphql.compiled import governance_documents as governance

TESTS = Path(__file__).resolve().parents[1]

HAND_WRITTEN = {
    "fragments and aliases": """
        query Directory {
          first: organizations(first: 2) { ...Page }
          everyone: organizations { totalCount edges { node { ...Org } } }
        }
        fragment Page on OrganizationConnection {
          __typename totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor __typename }
          edges { __typename cursor node { ...Org handle: slug } }
        }
        fragment Org on Organization {
          __typename id name kind anchorRole sector region counties state website description
          createdAt updatedAt
        }
    """,
    "merged fields": """
        { organizations { edges { node { name } } }
          organizations { totalCount edges { cursor node { slug name } } } }
    """,
    "literal directives": """
        { organizations(first: 3) @include(if: true) {
            edges { node { name slug @skip(if: true) kind @include(if: false) } }
          }
          people @skip(if: true) { totalCount } }
    """,
    "inline fragments": """
        { organizations { edges { node { ... on Organization { name } ... { slug } } } } }
    """,
    "filters": """
        { members: organizations(kind: MEMBER) { totalCount edges { node { name } } }
          anchors: organizations(anchorRole: REGIONAL_ANCHOR, region: "Bay Area") {
            totalCount edges { node { name } } }
          labor: organizations(sector: LABOR, search: "caf") { totalCount }
          none: organizations(search: "%_\\\\") { totalCount edges { cursor } } }
    """,
    "people and private fields": """
        { people(first: 10) { totalCount edges { cursor node {
            id name isAdmin createdAt email phone preferredLanguage
            affiliations { id role title workEmail workPhone
              person { name email } organization { slug name } } } } } }
    """,
    "people search": '{ people(search: "ros") { totalCount edges { node { name email } } } }',
    "folded search": """
        { organizations(search: "CAFE unid") { totalCount edges { node { name archivedAt } } }
          nandu: organizations(search: "ÑANDU") { totalCount }
          people(search: "ROSA mem") { totalCount edges { node { name formerMember } } } }
    """,
    "people search by email": '{ people(search: "ada@") { totalCount edges { node { name } } } }',
    "viewer": """
        { __typename viewer { __typename id name email phone preferredLanguage
            affiliations { role organization { name affiliations { person { name } } } } } }
    """,
    "organization by slug": """
        query ($slug: String!) {
          organization(slug: $slug) { name counties affiliations { role workEmail } }
          upper: organization(slug: "CAFE-UNIDOS") { slug }
          missing: organization(slug: "nowhere") { slug }
        }
    """,
    "node of each type": """
        query ($id: ID!) { node(id: $id) { __typename id
          ... on Organization { name slug }
          ... on Person { name email }
          ... on Affiliation { role person { name } organization { name } } } }
    """,
    "empty pages": """
        { none: organizations(first: 0) { totalCount pageInfo { hasNextPage startCursor endCursor }
            edges { cursor } }
          only: organizations(kind: PEER) { pageInfo { hasNextPage hasPreviousPage } } }
    """,
    "paging": """
        query ($first: Int, $after: String) {
          organizations(first: $first, after: $after) {
            edges { cursor node { name } } pageInfo { endCursor hasNextPage hasPreviousPage } } }
    """,
    # The benchmark's shapes (bench/), and the convenings' other mapped fields and filters.
    "Q1 convenings with hosts and counts": """
        { convenings(first: 50, from: "2000-01-01T00:00:00Z") {
            edges { node { id title startsAt hosts { name } counts { going } } } } }
    """,
    "Q2 one convening's RSVPs": """
        query ($id: ID!) { node(id: $id) { ... on Convening { title rsvps(first: 250) {
            edges { node { status person { name } organization { name } } } } } } }
    """,
    "Q3 convenings with their RSVPs": """
        { convenings(first: 200, from: "2000-01-01T00:00:00Z") { edges { node { title
            rsvps(first: 20) { edges { node { status person { name } organization { name } } } }
        } } } }
    """,
    "every convening field": """
        { convenings(from: "2000-01-01T00:00:00Z") { totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { __typename id title kind description startsAt endsAt timeZone
              venueName venueAddress virtualUrl capacity delegateLimit rsvpDeadline languages
              visibility status sequence updatedAt hosts { slug }
              counts { __typename going maybe waitlisted notGoing attended
                organizationsRepresented } } } } }
    """,
    "upcoming convenings (the clock)": """
        { convenings { totalCount edges { node { title endsAt } } } }
    """,
    "convening filters": """
        { calls: convenings(kind: CAUCUS_CALL, to: "2100-01-01") { edges { node { title } } }
          done: convenings(status: COMPLETED, from: "2000-01-01") { edges { node { title } } }
          hosted: convenings(hostSlug: " CAFE-UNIDOS ") { edges { node { title } } }
          series: convenings(seriesSlug: "CALLS") { totalCount }
          window: convenings(from: "2000-01-01T00:00:00+05:30", to: "2090-01-01T00:00:00Z") {
            totalCount } }
    """,
    "RSVP pages": """
        query ($first: Int, $after: String) { convenings { edges { node {
          rsvps(first: $first, after: $after) { totalCount __typename
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { id status waitlistPosition checkedInAt
              convening { title } person { name email } organization { slug } } } } } } } }
    """,
    "RSVP and convening nodes": """
        query ($id: ID!) { node(id: $id) { id
          ... on Rsvp { status checkedInAt convening { title counts { going } } }
          ... on Convening { title endsAt rsvps { edges { node { status } } } } } }
    """,
    # A peer's sync: changes in (updatedAt, id) order, past and cancelled convenings
    # included and left out, then the tombstones (hub/access/permissions/sync.py).
    "sync reads": """
        query ($since: DateTime!, $first: Int, $after: String) {
          organizations(updatedSince: $since, first: $first, after: $after) { totalCount
            edges { cursor node { name updatedAt } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
          convenings(updatedSince: $since, first: $first, after: $after) { totalCount
            edges { cursor node { title status startsAt updatedAt } }
            pageInfo { hasNextPage endCursor } }
          everything: convenings(updatedSince: "2000-01-01", first: 50) {
            edges { cursor node { title } } }
          trainings: convenings(updatedSince: "2000-01-01T00:00:00+05:30", kind: TRAINING) {
            totalCount }
          none: organizations(updatedSince: "2100-01-01T00:00:00Z") { totalCount
            edges { cursor } pageInfo { startCursor } } }
    """,
    "tombstones": """
        query ($since: DateTime!, $first: Int, $after: String) {
          deletedSince(since: $since, first: $first, after: $after) { totalCount
            edges { cursor node { __typename id typename reason occurredAt } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
          later: deletedSince(since: "2100-01-01") { totalCount edges { cursor } } }
    """,
    # These fall back, on purpose: the coverage test lists them.
    "sync read after a cursor of another ordering": """
        { organizations(updatedSince: "2000-01-01", after: "WyJBbHBoYSBGYWl0aCIsM10=") {
            totalCount } }
    """,
    "RSVP search": """
        { convenings { edges { node { rsvps(search: "a") { totalCount } } } } }
    """,
    "folded RSVP search": """
        query ($q: String) { convenings { edges { node {
          upper: rsvps(search: "ROSA mem") { totalCount edges { node { person { name } } } }
          accents: rsvps(search: "cárMEN") { totalCount edges { cursor node { status } } }
          literal: rsvps(search: "%_") { totalCount }
          blank: rsvps(search: "  ") { totalCount }
          paged: rsvps(search: $q, first: 1) { pageInfo { hasNextPage endCursor }
            edges { node { person { name } } } } } } } }
    """,
    "needs totals": """
        { convenings(from: "2000-01-01T00:00:00Z") { edges { node { title needsTotals {
            __typename childcarePlaces dietaryNotes accessibilityNotes
            interpretation { __typename language count } accessibility { need count }
            childcare: childcarePlaces } } } } }
    """,
    "needs totals of one convening": """
        query ($id: ID!) { node(id: $id) { ... on Convening { needsTotals { dietaryNotes }
            rsvps(search: "a") { totalCount } }
          ... on Rsvp { convening { needsTotals { interpretation { language } } } } } }
    """,
    "introspection": "{ __schema { queryType { name } } }",
    "variable directive": """
        query ($yes: Boolean!) { organizations { edges { node { name @include(if: $yes) } } } }
    """,
    "budget field": "{ rateLimit { cost } }",
    "first over the cap": "{ organizations(first: 501) { totalCount } }",
    "malformed cursor": '{ organizations(after: "nope") { totalCount } }',
    "invalid document": "{ organizations { nosuchfield } }",
    **governance.GOVERNANCE,
}


FALLS_BACK_ON_PURPOSE = {
    f"hand-written: {name}"
    for name in (
        "introspection",
        "variable directive",
        "budget field",
        "first over the cap",
        "malformed cursor",
        "invalid document",
        "sync read after a cursor of another ordering",
        *governance.FALLS_BACK_ON_PURPOSE,
    )
}


def documents_in_tests() -> Iterator[tuple[str, str]]:
    """(where, text) for every query document written in tests/graphql, outside this folder."""
    for path in sorted(TESTS.rglob("*.py")):
        if "compiled" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and _is_query(node.value)
            ):
                yield f"{path.relative_to(TESTS)}:{node.lineno}", node.value


def _is_query(text: object) -> bool:
    if not isinstance(text, str) or not text.lstrip().startswith(("{", "query")):
        return False
    try:
        document = parse(text)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return len(operations) == 1 and operations[0].operation == OperationType.QUERY


def corpus() -> dict[str, str]:
    found = dict(documents_in_tests())
    return {**found, **{f"hand-written: {name}": text for name, text in HAND_WRITTEN.items()}}


# Guesses by the variable's type, where one name means different things in different documents.
TYPED_GUESSES: dict[str, Any] = {
    "ConveningKind": "STRATEGY_SESSION",
    "ConveningStatus": "SCHEDULED",
    "DateTime": "2000-01-01T00:00:00Z",
}


def get_named_type_name(type_node: TypeNode) -> str:
    while not isinstance(type_node, NamedTypeNode):
        type_node = type_node.type  # type: ignore[attr-defined]
    return type_node.name.value


def variable_sets(text: str, ids: dict[str, str], slugs: list[str]) -> list[dict[str, Any]] | None:
    """Values for a document's variables (one set per global id kind for `$id`), or None when
    it needs a variable we cannot guess."""
    operation = next(d for d in parse(text).definitions if isinstance(d, OperationDefinitionNode))
    guesses: dict[str, Any] = {
        "first": 2,
        "after": None,
        "kind": "MEMBER",
        "slug": slugs[0],
        "search": "a",
        "q": "a",
        "yes": True,
        "host": slugs[0],
        "series": "calls",
    }
    values: dict[str, Any] = {}
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name == "id":
            continue
        type_name = get_named_type_name(definition.type)
        if type_name in TYPED_GUESSES:
            values[name] = TYPED_GUESSES[type_name]
        elif name in guesses:
            values[name] = guesses[name]
        else:
            return None
    if any(d.variable.name.value == "id" for d in operation.variable_definitions or ()):
        return [{**values, "id": global_id} for global_id in ids.values()]
    return [values]
