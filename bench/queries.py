"""The three reference queries, in the hub's dialect and in PostGraphile's, and their check.

Both dialects ask for the same data in the same order: convenings by start time then id,
hosts by organization id, RSVPs by id, and the GOING count counted from the RSVPs.
`shape` reduces either answer to the same plain structure, so the check proves the two
servers answer alike, not only that they answer.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Q2_CONVENING = 1000

HUB_Q1 = """{ convenings(first: 50, from: "2000-01-01T00:00:00Z") { edges { node {
  id title startsAt hosts { name } counts { going } } } } }"""
HUB_Q2 = """query($id: ID!) { node(id: $id) { ... on Convening { title
  rsvps(first: 250) { edges { node { status person { name } organization { name } } } } } } }"""
HUB_Q3 = """{ convenings(first: 200, from: "2000-01-01T00:00:00Z") { edges { node { id title
  rsvps(first: 20) { edges { node { status person { name } organization { name } } } } } } } }"""

PG_Q1 = """{ allConvenings(first: 50, orderBy: [STARTS_AT_ASC, ROW_ID_ASC]) { edges { node {
  id title startsAt
  conveningHostsByConveningId(orderBy: ORGANIZATION_ID_ASC) {
    nodes { organizationByOrganizationId { name } } }
  rsvpsByConveningId(condition: {status: "GOING"}) { totalCount } } } } }"""
PG_Q2 = """query($id: ID!) { node(id: $id) { ... on Convening { title
  rsvpsByConveningId(first: 250, orderBy: ROW_ID_ASC) { edges { node {
    status personByPersonId { name } organizationByOrganizationId { name } } } } } } }"""
PG_Q3 = """{ allConvenings(first: 200, orderBy: [STARTS_AT_ASC, ROW_ID_ASC]) { edges { node {
  id title
  rsvpsByConveningId(first: 20, orderBy: ROW_ID_ASC) { edges { node {
    status personByPersonId { name } organizationByOrganizationId { name } } } } } } } }"""


@dataclass(frozen=True)
class Query:
    name: str
    label: str
    items: int  # what `count` must find in a right answer
    hub_body: dict[str, Any]
    postgraphile_body: dict[str, Any]
    shape_hub: Callable[[dict[str, Any]], Any]
    shape_postgraphile: Callable[[dict[str, Any]], Any]

    def body(self, server_kind: str) -> bytes:
        body = self.postgraphile_body if server_kind == "postgraphile" else self.hub_body
        return json.dumps(body).encode()

    def shape(self, server_kind: str, answer: dict[str, Any]) -> Any:
        if server_kind == "postgraphile":
            return self.shape_postgraphile(answer["data"])
        return self.shape_hub(answer["data"])


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in connection["edges"]]


def _name(thing: dict[str, Any] | None) -> str | None:
    return thing["name"] if thing else None


def _hub_rsvps(connection: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(r["status"], _name(r["person"]), _name(r["organization"])) for r in _nodes(connection)]


def _pg_rsvps(connection: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (r["status"], _name(r["personByPersonId"]), _name(r["organizationByOrganizationId"]))
        for r in _nodes(connection)
    ]


def _hub_q1(data: dict[str, Any]) -> list[Any]:
    return [
        (c["title"], [h["name"] for h in c["hosts"]], c["counts"]["going"])
        for c in _nodes(data["convenings"])
    ]


def _pg_q1(data: dict[str, Any]) -> list[Any]:
    return [
        (
            c["title"],
            [
                h["organizationByOrganizationId"]["name"]
                for h in c["conveningHostsByConveningId"]["nodes"]
            ],
            c["rsvpsByConveningId"]["totalCount"],
        )
        for c in _nodes(data["allConvenings"])
    ]


def _hub_q3(data: dict[str, Any]) -> list[Any]:
    return [(c["title"], _hub_rsvps(c["rsvps"])) for c in _nodes(data["convenings"])]


def _pg_q3(data: dict[str, Any]) -> list[Any]:
    return [(c["title"], _pg_rsvps(c["rsvpsByConveningId"])) for c in _nodes(data["allConvenings"])]


def _global_id(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


REFERENCE_QUERIES = [
    Query(
        "Q1",
        "50 convenings + hosts + GOING count",
        50,
        {"query": HUB_Q1},
        {"query": PG_Q1},
        _hub_q1,
        _pg_q1,
    ),
    Query(
        "Q2",
        "one convening, 250 RSVPs + person + org",
        250,
        {"query": HUB_Q2, "variables": {"id": _global_id(f"Convening:{Q2_CONVENING}")}},
        {"query": PG_Q2, "variables": {"id": _global_id(f'["Convening",{Q2_CONVENING}]')}},
        lambda data: (data["node"]["title"], _hub_rsvps(data["node"]["rsvps"])),
        lambda data: (data["node"]["title"], _pg_rsvps(data["node"]["rsvpsByConveningId"])),
    ),
    Query(
        "Q3",
        "200 convenings x 20 RSVPs + person + org",
        200 * 20,
        {"query": HUB_Q3},
        {"query": PG_Q3},
        _hub_q3,
        _pg_q3,
    ),
]


def count(query: Query, shape: Any) -> int:
    """How many items an answer's shape holds: convenings, RSVPs, or RSVPs in all."""
    if query.name == "Q2":
        return len(shape[1])
    if query.name == "Q3":
        return sum(len(rsvps) for _title, rsvps in shape)
    return len(shape)
