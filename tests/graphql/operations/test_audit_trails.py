"""`auditEvents`: the admins' trail newest first, by kind, paged, with who acted;
`governanceEvents(newestFirst:, action:)`: the committee's trail the same way."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import GovernanceEvent
from hub.infrastructure.models.governance import GovernanceAction
from tests.factories import create_admin

AUDIT = """
query ($action: String, $after: String) {
  auditEvents(action: $action, first: 2, after: $after) {
    totalCount
    edges { node { action detail actor { name } } }
    pageInfo { hasNextPage endCursor }
  }
  auditActions
}
"""
GOVERNANCE = """
query ($action: GovernanceAction, $newestFirst: Boolean!) {
  governanceEvents(action: $action, newestFirst: $newestFirst, first: 10) {
    edges { node { action detail } }
  }
}
"""


async def test_the_admins_trail_reads_newest_first_by_kind_and_page(session, gql):
    admin = await create_admin(session, name="Ana Admin")
    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    for n, action in enumerate(["A_DONE", "B_DONE", "A_DONE", "A_DONE"]):
        await record_audit(
            session,
            action=action,
            actor_id=admin.id if n else None,
            detail=f"entry {n}",
            now=start + timedelta(minutes=n),
        )
    await session.commit()

    first = (await gql.data(AUDIT, {}, as_=admin))["auditEvents"]
    after = first["pageInfo"]["endCursor"]
    rest = (await gql.data(AUDIT, {"after": after}, as_=admin))["auditEvents"]
    only_a = await gql.data(AUDIT, {"action": "A_DONE"}, as_=admin)

    def details(page):
        return [
            (e["node"]["detail"], (e["node"]["actor"] or {}).get("name")) for e in page["edges"]
        ]

    assert first["totalCount"] == 4
    assert details(first) + details(rest) == [
        ("entry 3", "Ana Admin"),
        ("entry 2", "Ana Admin"),
        ("entry 1", "Ana Admin"),
        ("entry 0", None),
    ]
    assert only_a["auditEvents"]["totalCount"] == 3
    assert only_a["auditActions"] == ["A_DONE", "B_DONE"]


async def test_the_committees_trail_reads_newest_first_by_action(session, gql):
    admin = await create_admin(session)
    for n, action in enumerate(
        [GovernanceAction.SEAT_ASSIGNED, GovernanceAction.VOTE_CAST, GovernanceAction.SEAT_ASSIGNED]
    ):
        session.add(GovernanceEvent(action=action, detail=f"event {n}"))
    await session.commit()

    newest = await gql.data(GOVERNANCE, {"newestFirst": True}, as_=admin)
    seats = await gql.data(GOVERNANCE, {"newestFirst": False, "action": "SEAT_ASSIGNED"}, as_=admin)

    def details(data):
        return [e["node"]["detail"] for e in data["governanceEvents"]["edges"]]

    assert details(newest) == ["event 2", "event 1", "event 0"]
    assert details(seats) == ["event 0", "event 2"]
