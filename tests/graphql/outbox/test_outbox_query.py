"""The admins' view of the outbox: failed and waiting messages, paged."""

from __future__ import annotations

from hub.infrastructure.models import OutboxMessage
from hub.infrastructure.models.outbox import OutboxStatus
from tests.factories import create_admin, create_person

OUTBOX = """
query ($status: OutboxStatus, $first: Int, $after: String) {
  outbox(status: $status, first: $first, after: $after) {
    totalCount
    edges { node { kind recipientAddress status attempts lastError subject } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def add_messages(session, statuses: list[OutboxStatus]) -> None:
    for n, status in enumerate(statuses):
        session.add(
            OutboxMessage(
                kind="rsvp_confirmed",
                dedupe_key=f"k{n}",
                recipient_address=f"p{n}@example.org",
                payload={},
                status=status,
                attempts=8 if status == OutboxStatus.FAILED else 0,
                last_error="SendGrid answered 503" if status == OutboxStatus.FAILED else None,
            )
        )
    await session.flush()


async def test_admins_see_failed_messages_and_why(session, gql):
    admin = await create_admin(session)
    await add_messages(
        session, [OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.PENDING, OutboxStatus.FAILED]
    )
    await session.commit()

    data = await gql.data(OUTBOX, {"status": "FAILED", "first": 1}, as_=admin)

    page = data["outbox"]
    assert page["totalCount"] == 2
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["edges"] == [
        {
            "node": {
                "kind": "rsvp_confirmed",
                "recipientAddress": "p1@example.org",
                "status": "FAILED",
                "attempts": 8,
                "lastError": "SendGrid answered 503",
                "subject": None,
            }
        }
    ]
    after = page["pageInfo"]["endCursor"]
    rest = await gql.data(OUTBOX, {"status": "FAILED", "after": after}, as_=admin)
    assert [e["node"]["recipientAddress"] for e in rest["outbox"]["edges"]] == ["p3@example.org"]


async def test_others_may_not_read_the_outbox(session, gql):
    person = await create_person(session)
    await add_messages(session, [OutboxStatus.FAILED])
    await session.commit()

    signed_in = await gql(OUTBOX, as_=person)
    anonymous = await gql(OUTBOX)

    assert signed_in["data"] is None
    assert signed_in["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}


async def test_the_statement_count_does_not_grow_with_the_page(session, gql, statements):
    admin = await create_admin(session)
    await add_messages(session, [OutboxStatus.PENDING] * 3)
    await session.commit()
    statements.statements.clear()
    await gql.data(OUTBOX, {"first": 1}, as_=admin)
    one = statements.count
    statements.statements.clear()

    await gql.data(OUTBOX, {"first": 3}, as_=admin)

    assert statements.count == one
