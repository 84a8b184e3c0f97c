"""Admins list the addresses the hub does not mail, and lift a suppression; each lift is in
the audit trail, and the hub then mails the address again. Others may do neither."""

from __future__ import annotations

from sqlalchemy import select

from hub.infrastructure.models import AuditEvent, EmailSuppression
from hub.infrastructure.models.outbox import OutboxStatus
from tests.factories import create_admin, create_person
from tests.frontend.over_http import ask_for_link_over_http
from tests.infrastructure.outbox import clock, outbox_rows, worker
from tests.infrastructure.sendgrid_standin import sendgrid_standin
from tests.web.test_sendgrid_webhook import BODY, signed_headers, webhook

__all__ = ["clock", "sendgrid_standin", "webhook", "worker"]

SUPPRESSIONS = """
query ($email: String, $first: Int, $after: String) {
  emailSuppressions(email: $email, first: $first, after: $after) {
    totalCount
    edges { node { email reason detail } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
LIFT = """
mutation ($email: String!, $reason: String = "The address was fixed.") {
  liftSuppression(input: {email: $email, reason: $reason}) {
    suppression { email reason }
    errors { field code message }
  }
}
"""


async def reported(webhook) -> None:
    """SendGrid reports a bounce, an unsubscribe and a spam report (tests/web's events)."""
    response = await webhook.post("/webhooks/sendgrid", content=BODY, headers=signed_headers(BODY))
    assert response.json()["suppressed"] == 3


async def suppressed_addresses(runtime) -> list[str]:
    async with runtime.sessions() as session:
        return list(await session.scalars(select(EmailSuppression.email).order_by("email")))


async def audit_trail(runtime) -> list[tuple[str, int | None, str]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail).order_by(
                AuditEvent.id
            )
        )
        return [tuple(row) for row in rows.all()]


async def test_admins_list_suppressions_by_address(webhook, session, gql):
    admin = await create_admin(session)
    await session.commit()
    await reported(webhook)

    first = await gql.data(SUPPRESSIONS, {"first": 2}, as_=admin)
    one = await gql.data(SUPPRESSIONS, {"email": "SPAM@example.org"}, as_=admin)
    none = await gql.data(SUPPRESSIONS, {"email": "nobody@example.org"}, as_=admin)
    # Text no database can store is refused before any resolver runs (see test_bad_input.py).
    unstorable = await gql.post(SUPPRESSIONS, {"email": "spam@example.org\x00"}, as_=admin)

    page = first["emailSuppressions"]
    assert page["totalCount"] == 3
    assert [edge["node"] for edge in page["edges"]] == [
        {"email": "bounced@example.org", "reason": "bounce", "detail": "550"},
        {"email": "left@example.org", "reason": "unsubscribe", "detail": ""},
    ]
    rest = await gql.data(SUPPRESSIONS, {"after": page["pageInfo"]["endCursor"]}, as_=admin)
    assert [e["node"]["email"] for e in rest["emailSuppressions"]["edges"]] == ["spam@example.org"]
    assert [e["node"]["reason"] for e in one["emailSuppressions"]["edges"]] == ["spamreport"]
    assert none["emailSuppressions"]["totalCount"] == 0
    assert unstorable.status_code == 400
    assert unstorable.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_admin_lifts_a_bounce_and_the_hub_mails_the_address_again(
    webhook, session, runtime, gql, worker, sendgrid_standin
):
    # Given a person whose address bounced
    admin = await create_admin(session)
    await create_person(session, email="bounced@example.org")
    await session.commit()
    await reported(webhook)

    # When an admin lifts the suppression (in any case)
    data = await gql.data(LIFT, {"email": "Bounced@Example.org"}, as_=admin)

    # Then it is gone, the audit trail says who lifted what, and a sign-in link goes out
    assert data["liftSuppression"] == {
        "suppression": {"email": "bounced@example.org", "reason": "bounce"},
        "errors": [],
    }
    assert await suppressed_addresses(runtime) == ["left@example.org", "spam@example.org"]
    assert await audit_trail(runtime) == [
        (
            "EMAIL_SUPPRESSION_LIFTED",
            admin.id,
            "bounced@example.org (was bounce; lifted through the API): The address was fixed.",
        )
    ]
    await ask_for_link_over_http(webhook, "bounced@example.org")
    await worker.drain()
    assert [(r.kind, r.status) for r in await outbox_rows(runtime)] == [
        ("signin_link", OutboxStatus.SENT)
    ]


async def test_lifting_what_is_not_suppressed_is_a_payload_error(webhook, session, runtime, gql):
    admin = await create_admin(session)
    await session.commit()
    await reported(webhook)

    fine = await gql.data(LIFT, {"email": "fine@example.org"}, as_=admin)
    empty = await gql.data(LIFT, {"email": ""}, as_=admin)
    control = await gql.data(LIFT, {"email": "spam at example.org"}, as_=admin)

    assert fine["liftSuppression"] == {
        "suppression": None,
        "errors": [
            {
                "field": "email",
                "code": "NOT_SUPPRESSED",
                "message": "fine@example.org is not suppressed: the hub mails it already.",
            }
        ],
    }
    for refused in (empty, control):
        assert refused["liftSuppression"]["errors"] == [
            {"field": "email", "code": "INVALID_EMAIL", "message": "Enter an email address."}
        ]
    assert len(await suppressed_addresses(runtime)) == 3
    assert await audit_trail(runtime) == []


async def test_others_may_neither_list_nor_lift(webhook, session, runtime, gql):
    person = await create_person(session)
    await session.commit()
    await reported(webhook)

    for as_ in (person, None):
        listed = await gql(SUPPRESSIONS, as_=as_)
        lifted = await gql(LIFT, {"email": "spam@example.org"}, as_=as_)
        code = "FORBIDDEN" if as_ else "UNAUTHENTICATED"
        assert listed["data"] is None
        assert listed["errors"][0]["extensions"] == {"code": code}
        assert lifted["data"] is None
        assert lifted["errors"][0]["extensions"] == {"code": code}
    assert len(await suppressed_addresses(runtime)) == 3
    assert await audit_trail(runtime) == []
