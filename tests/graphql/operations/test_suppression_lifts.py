"""A lift needs a reason, kept in the audit trail beside who lifted what; without one (or
with one too long) nothing is lifted and nothing is written."""

from __future__ import annotations

from sqlalchemy import select

from hub.delivery.email.suppressions import suppress
from hub.infrastructure.models import AuditEvent, EmailSuppression
from tests.factories import create_admin

LIFT = """
mutation ($email: String!, $reason: String) {
  liftSuppression(input: {email: $email, reason: $reason}) {
    suppression { email }
    errors { field code }
  }
}
"""


async def rows(runtime) -> tuple[list, list]:
    async with runtime.sessions() as session:
        suppressed = list(await session.scalars(select(EmailSuppression.email)))
        trail = (await session.execute(select(AuditEvent.actor_id, AuditEvent.detail))).all()
        return suppressed, [tuple(row) for row in trail]


async def test_a_lift_without_a_good_reason_is_refused_and_changes_nothing(session, runtime, gql):
    admin = await create_admin(session)
    await suppress(session, "bounced@example.org", "bounce", "550")
    await session.commit()
    cases = {
        "no reason": (None, [("reason", "REASON_REQUIRED")]),
        "empty": ("", [("reason", "REASON_REQUIRED")]),
        "blank": (" \t ", [("reason", "REASON_REQUIRED")]),
        "too long": ("x" * 501, [("reason", "REASON_TOO_LONG")]),
    }
    for case, (reason, expected) in cases.items():
        variables = {"email": "bounced@example.org", "reason": reason}
        payload = (await gql.data(LIFT, variables, as_=admin))["liftSuppression"]
        got = [(e["field"], e["code"]) for e in payload["errors"]]
        assert (payload["suppression"], got) == (None, expected), case
    both = await gql.data(LIFT, {"email": "", "reason": ""}, as_=admin)
    assert [(e["field"], e["code"]) for e in both["liftSuppression"]["errors"]] == [
        ("email", "INVALID_EMAIL"),
        ("reason", "REASON_REQUIRED"),
    ]
    assert await rows(runtime) == (["bounced@example.org"], [])


async def test_the_reason_is_kept_in_the_audit_trail(session, runtime, gql):
    admin = await create_admin(session)
    await suppress(session, "bounced@example.org", "bounce", "550")
    await session.commit()

    variables = {"email": "bounced@example.org", "reason": "  Mailbox  fixed,\nsays Ana "}
    payload = (await gql.data(LIFT, variables, as_=admin))["liftSuppression"]

    assert payload == {"suppression": {"email": "bounced@example.org"}, "errors": []}
    assert await rows(runtime) == (
        [],
        [
            (
                admin.id,
                "bounced@example.org (was bounce; lifted through the API): Mailbox fixed, says Ana",
            )
        ],
    )
