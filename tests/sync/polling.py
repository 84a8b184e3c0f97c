"""A peer's poller, as a peer alliance would write one: it keeps a copy built only from
`updatedSince` pages and `deletedSince` tombstones, and a fresh full read to compare it with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.applications import Starlette

from tests.auth.peers import fetch_token, https_client, register_peer
from tests.graphql_client import GraphQLClient

CONVENING_FIELDS = "id title status visibility startsAt updatedAt counts { going maybe }"
LISTS = {
    "organizations": "id name kind updatedAt",
    "convenings": CONVENING_FIELDS,
    "proposals": "id title status updatedAt",
}
CHANGED = """
query ($since: DateTime!, $after: String) {
  %s(updatedSince: $since, first: 3, after: $after) {
    edges { node { %s } } pageInfo { hasNextPage endCursor }
  }
}
"""
TOMBSTONES = """
query ($since: DateTime!, $after: String) {
  deletedSince(since: $since, first: 3, after: $after) {
    edges { node { id typename reason occurredAt } } pageInfo { hasNextPage endCursor }
  }
}
"""
# The full read: the ordinary lists, past convenings included, less what sync leaves out.
FULL = """
query ($after: String) {
  %s(first: 3, after: $after%s) { edges { node { %s } } pageInfo { hasNextPage endCursor } }
}
"""
ENDED = {"convenings": "CANCELLED", "proposals": "WITHDRAWN"}
EPOCH = "1970-01-01T00:00:00Z"


async def peer_token(app: Starlette, session: Any) -> str:
    registered = await register_peer(session)
    async with https_client(app) as client:
        return await fetch_token(client, registered)


async def pages(gql: GraphQLClient, token: str, document: str, variables: dict[str, Any]) -> list:
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        body = await gql(document, {**variables, "after": after}, token=token)
        assert "errors" not in body, body["errors"]
        (connection,) = body["data"].values()
        nodes += [edge["node"] for edge in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            return nodes
        after = connection["pageInfo"]["endCursor"]


@dataclass
class PeerCopy:
    """What the peer holds, by list and global id, and where its next poll starts."""

    items: dict[str, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {name: {} for name in LISTS}
    )
    since: str = EPOCH

    async def poll(self, gql: GraphQLClient, token: str) -> None:
        newest = [self.since]
        for name, fields in LISTS.items():
            changed = await pages(gql, token, CHANGED % (name, fields), {"since": self.since})
            for node in changed:
                self.items[name][node["id"]] = node
                newest.append(node["updatedAt"])
        for tombstone in await pages(gql, token, TOMBSTONES, {"since": self.since}):
            for held in self.items.values():
                held.pop(tombstone["id"], None)
            newest.append(tombstone["occurredAt"])
        # Inclusive bounds make resuming from the newest time seen exact.
        self.since = max(newest, key=datetime.fromisoformat)


async def full_read(gql: GraphQLClient, token: str) -> dict[str, dict[str, dict[str, Any]]]:
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for name, fields in LISTS.items():
        window = f', from: "{EPOCH}"' if name == "convenings" else ""
        nodes = await pages(gql, token, FULL % (name, window, fields), {})
        found[name] = {n["id"]: n for n in nodes if name not in ENDED or n["status"] != ENDED[name]}
    return found
