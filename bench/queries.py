"""The bench's query shapes, in the hub's dialect and in PostGraphile's, and their check.

Q1-Q3 are the reference reads; Q4-Q7 the shapes peers, the committee and the frontend send:
a page of proposals with sponsors and recorded votes (Q4), the directory with affiliations
(Q5), a peer's `updatedSince` sync page (Q6) and the convening page's own document (Q7, hub
only: PostGraphile has no viewer, calendar links or per-viewer RSVP filter).

Both dialects ask for the same data in the same order: convenings by start time then id,
hosts by organization id, RSVPs by id, and the GOING count counted from the RSVPs.
`shape` reduces either answer to the same plain structure, so the check proves the two
servers answer alike, not only that they answer.
"""

from __future__ import annotations

import base64
import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

try:  # run as a script from bench/ (run.py, pooler.py) or imported as bench.queries
    import dataset
except ModuleNotFoundError:
    from bench import dataset

Q2_CONVENING = 1000
FRONTEND_GRAPHQL = Path(__file__).resolve().parent.parent / "frontend" / "graphql"

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


# Q4: the committee's page of proposals, oldest first, with sponsors and recorded votes.
HUB_Q4 = """{ proposals(first: 50) { edges { node { id title status
  sponsors { name }
  votes { choice reason seat { organization { name } } } } } } }"""
PG_Q4 = """{ allProposals(first: 50, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { edges { node {
  id title status
  proposalSponsorsByProposalId(orderBy: ORGANIZATION_ID_ASC) {
    nodes { organizationByOrganizationId { name } } }
  votesByProposalId(orderBy: SEAT_ID_ASC) { nodes { choice reason
    committeeSeatBySeatId { organizationByOrganizationId { name } } } } } } } }"""

# Q5: the directory, a page of organizations by name, with everyone affiliated.
HUB_Q5 = """{ organizations(first: 50) { edges { node { id name kind
  affiliations { role person { name } } } } } }"""
PG_Q5 = """{ allOrganizations(first: 50, orderBy: [NAME_ASC, ROW_ID_ASC]) { edges { node {
  id name kind
  affiliationsByOrganizationId(orderBy: ROW_ID_ASC) { nodes { role personByPersonId { name } } }
} } } }"""

# Q6: a peer's sync page: the convenings changed since a time, in (updatedAt, id) order.
# PostGraphile's amber preset has no >= condition: it pages the same order from the cursor of
# the last convening changed before that time (`Query.prepare` finds it, outside the timing).
SYNC_SINCE_MINUTE = 500  # of dataset.SYNC_MINUTES: half the convenings changed since
SYNC_PAGE = 100
HUB_Q6 = """query($since: DateTime!) { convenings(first: 100, updatedSince: $since) {
  pageInfo { hasNextPage endCursor }
  edges { node { id title kind startsAt endsAt timeZone visibility status sequence updatedAt
    hosts { slug name } counts { going } } } } }"""
PG_Q6 = """query($after: Cursor) { allConvenings(first: 100, after: $after,
  orderBy: [UPDATED_AT_ASC, ROW_ID_ASC]) {
  pageInfo { hasNextPage endCursor }
  edges { node { id title kind startsAt endsAt timeZone visibility status sequence updatedAt
    conveningHostsByConveningId(orderBy: ORGANIZATION_ID_ASC) {
      nodes { organizationByOrganizationId { slug name } } }
    goingCount } } } }"""
# The cursor PG_Q6 starts after: the last edge changed before the sync time.
PG_Q6_CURSORS = """{ allConvenings(first: 1100, orderBy: [UPDATED_AT_ASC, ROW_ID_ASC]) {
  edges { cursor node { updatedAt } } } }"""

# Q7: the frontend's convening page, exactly as the page sends it, for the bench admin: the
# page runner fills $myContactOrganizations with the viewer's contact organizations
# (hub/interfaces/web/pages/runner.py); the admin (person 1) is organization 2's contact, which has
# one of the convening's 250 RSVPs (person 8401's).
HUB_Q7 = (FRONTEND_GRAPHQL / "convening.graphql").read_text()
Q7_CONTACT_ORGANIZATION = 2


@dataclass(frozen=True)
class Query:
    name: str
    label: str
    items: int  # what `count` must find in a right answer
    hub_body: dict[str, Any]
    postgraphile_body: dict[str, Any] | None  # None: PostGraphile has no equivalent
    shape_hub: Callable[[dict[str, Any]], Any]
    shape_postgraphile: Callable[[dict[str, Any]], Any]
    count: Callable[[Any], int] = len  # how many items a shape holds

    def runs_on(self, server_kind: str) -> bool:
        return server_kind != "postgraphile" or self.postgraphile_body is not None

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


def _hub_q4(data: dict[str, Any]) -> list[Any]:
    return [
        (
            p["title"],
            p["status"],
            sorted(s["name"] for s in p["sponsors"]),  # the hub's are by name, PG's by id
            [(v["choice"], v["reason"], v["seat"]["organization"]["name"]) for v in p["votes"]],
        )
        for p in _nodes(data["proposals"])
    ]


def _pg_q4(data: dict[str, Any]) -> list[Any]:
    return [
        (
            p["title"],
            p["status"],
            sorted(
                s["organizationByOrganizationId"]["name"]
                for s in p["proposalSponsorsByProposalId"]["nodes"]
            ),
            [
                (
                    v["choice"],
                    v["reason"],
                    v["committeeSeatBySeatId"]["organizationByOrganizationId"]["name"],
                )
                for v in p["votesByProposalId"]["nodes"]
            ],
        )
        for p in _nodes(data["allProposals"])
    ]


def _hub_q5(data: dict[str, Any]) -> list[Any]:
    return [
        (o["name"], o["kind"], [(a["role"], a["person"]["name"]) for a in o["affiliations"]])
        for o in _nodes(data["organizations"])
    ]


def _pg_q5(data: dict[str, Any]) -> list[Any]:
    return [
        (
            o["name"],
            o["kind"],
            [
                (a["role"], a["personByPersonId"]["name"])
                for a in o["affiliationsByOrganizationId"]["nodes"]
            ],
        )
        for o in _nodes(data["allOrganizations"])
    ]


def _instant(text: str) -> datetime:
    """A time from either server, to compare: the hub gives a convening's times in its own
    zone, PostGraphile in the database session's."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _sync_row(c: dict[str, Any], hosts: list[tuple[str, str]], going: int) -> tuple[Any, ...]:
    times = tuple(_instant(c[name]) for name in ("startsAt", "endsAt", "updatedAt"))
    plain = tuple(c[name] for name in ("title", "kind", "timeZone", "visibility", "status"))
    return (*plain, c["sequence"], *times, hosts, going)


def _hub_q6(data: dict[str, Any]) -> list[Any]:
    return [
        _sync_row(c, [(h["slug"], h["name"]) for h in c["hosts"]], c["counts"]["going"])
        for c in _nodes(data["convenings"])
    ]


def _pg_q6(data: dict[str, Any]) -> list[Any]:
    return [
        _sync_row(
            c,
            [
                (host["slug"], host["name"])
                for host in (
                    h["organizationByOrganizationId"]
                    for h in c["conveningHostsByConveningId"]["nodes"]
                )
            ],
            c["goingCount"],
        )
        for c in _nodes(data["allConvenings"])
    ]


def sync_since() -> datetime:
    start = _instant(dataset.SYNC_FROM)
    return start + timedelta(minutes=SYNC_SINCE_MINUTE)


def postgraphile_sync_cursor(cursors_answer: dict[str, Any]) -> str | None:
    """From PG_Q6_CURSORS' answer, the cursor of the last convening changed before
    `sync_since()` (None when none was): paging after it is PostGraphile's `updatedSince`."""
    before = [
        edge["cursor"]
        for edge in cursors_answer["data"]["allConvenings"]["edges"]
        if _instant(edge["node"]["updatedAt"]) < sync_since()
    ]
    return before[-1] if before else None


def _hub_q7(data: dict[str, Any]) -> Any:
    convening = data["node"]
    return (
        convening["title"],
        [h["name"] for h in convening["hosts"]],
        [r["node"]["person"]["name"] for r in convening["rsvps"]["edges"]],
        [a["organization"]["name"] for a in data["viewer"]["affiliations"]],
    )


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
        lambda shape: len(shape[1]),
    ),
    Query(
        "Q3",
        "200 convenings x 20 RSVPs + person + org",
        200 * 20,
        {"query": HUB_Q3},
        {"query": PG_Q3},
        _hub_q3,
        _pg_q3,
        lambda shape: sum(len(rsvps) for _title, rsvps in shape),
    ),
]
# The shapes peers, the committee and the frontend send (issue 15).
SENT_SHAPES = [
    Query(
        "Q4",
        "50 proposals + sponsors + recorded votes + seat org",
        50,
        {"query": HUB_Q4},
        {"query": PG_Q4},
        _hub_q4,
        _pg_q4,
    ),
    Query(
        "Q5",
        "directory: 50 organizations + affiliations + person",
        50,
        {"query": HUB_Q5},
        {"query": PG_Q5},
        _hub_q5,
        _pg_q5,
    ),
    Query(
        "Q6",
        "peer sync: 100 convenings updatedSince, (updatedAt, id) order + hosts",
        SYNC_PAGE,
        {"query": HUB_Q6, "variables": {"since": sync_since().isoformat()}},
        # The cursor is filled in by `with_postgraphile_cursor` once PostGraphile runs.
        {"query": PG_Q6, "variables": {"after": None}},
        _hub_q6,
        _pg_q6,
    ),
    Query(
        "Q7",
        "the convening page's document (frontend/graphql/convening.graphql), hub only",
        1,
        {
            "query": HUB_Q7,
            "variables": {
                "id": _global_id(f"Convening:{Q2_CONVENING}"),
                "myContactOrganizations": [_global_id(f"Organization:{Q7_CONTACT_ORGANIZATION}")],
            },
        },
        None,
        _hub_q7,
        lambda data: None,
        lambda shape: len(shape[2]),  # the delegation: organization 2's one RSVP
    ),
]
SHAPES = {query.name: query for query in [*REFERENCE_QUERIES, *SENT_SHAPES]}


def with_postgraphile_cursor(query: Query, cursor: str | None) -> Query:
    """Q6 with the PostGraphile cursor found on the running server."""
    body = {"query": PG_Q6, "variables": {"after": cursor}}
    return dataclasses.replace(query, postgraphile_body=body)


def count(query: Query, shape: Any) -> int:
    """How many items an answer's shape holds: convenings, RSVPs, or RSVPs in all."""
    return query.count(shape)
