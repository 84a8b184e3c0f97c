"""Unsubscribing stops what a person can do without, not their sign-in links or the news of
what they answered; a bounce or a spam report stops everything, and the sign-in page then says
so instead of promising a link. Suppressions arrive through SendGrid's signed Event Webhook and
mail goes through the real outbox worker and sendgrid client."""

from __future__ import annotations

import json

import httpx
from sqlalchemy import select

from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import convening_payload, proposal_payload
from hub.infrastructure.models import EmailSuppression
from hub.infrastructure.models.outbox import OutboxStatus
from tests.convenings.factories import create_convening
from tests.factories import create_person
from tests.frontend.over_http import ask_for_link_over_http, plain
from tests.infrastructure.outbox import outbox_rows
from tests.notifications.factories import create_proposal_in_voting
from tests.web.test_sendgrid_webhook import signed_headers, webhook

__all__ = ["webhook"]

SENT = "If that address belongs to someone in the alliance, a sign-in link is on its way."
CANNOT = (
    "No sign-in link was sent to {email}: earlier email from the hub to it bounced or was "
    "reported as spam, so the hub no longer writes to it."
)
CONTACT = (
    "Write to the alliance's staff at hub@example.org: they can check the address and let the "
    "hub write to it again."
)


async def report(webhook: httpx.AsyncClient, email: str, event: str) -> None:
    """SendGrid tells the hub, through its signed webhook, what happened to mail to `email`."""
    body = json.dumps([{"email": email, "event": event, "type": event}]).encode()
    response = await webhook.post("/webhooks/sendgrid", content=body, headers=signed_headers(body))
    assert response.json()["suppressed"] == 1


async def test_an_unsubscribed_person_still_gets_their_sign_in_link(
    webhook, session, runtime, worker, sendgrid_standin
):
    # Given Ana unsubscribed from the hub's mail
    await create_person(session, name="Ana", email="ana@example.org")
    await session.commit()
    await report(webhook, "ana@example.org", "unsubscribe")

    # When she asks for a sign-in link, and the worker runs
    page = await ask_for_link_over_http(webhook, "ana@example.org")
    await worker.drain()

    # Then the page says it is on its way, and it is: sent, past SendGrid's own unsubscribe list
    assert SENT in plain(page.text)
    (request,) = sendgrid_standin.requests
    assert (request.to, request.subject) == (
        "ana@example.org",
        "Your sign-in link for Coalition Hub",
    )
    assert request.body["mail_settings"] == {"bypass_unsubscribe_management": {"enable": True}}
    (row,) = await outbox_rows(runtime)
    assert row.status == OutboxStatus.SENT


async def test_an_unsubscribe_stops_reminders_but_not_the_news_of_an_answer(
    webhook, session, runtime, worker, sendgrid_standin
):
    # Given Ana unsubscribed, and a reminder and a confirmation for her wait in the outbox
    ana = await create_person(session, email="ana@example.org")
    await session.commit()
    await report(webhook, "ana@example.org", "unsubscribe")
    reminder = convening_payload(
        ana.name, ConveningFacts.from_model(await create_convening(session))
    )
    notice = proposal_payload(
        ana.name, await create_proposal_in_voting(session, [], title="Platform")
    )
    for kind, payload in (
        (MessageKind.CONVENING_REMINDER, reminder),
        (MessageKind.VOTING_OPENED, notice),
    ):
        await enqueue_email(session, ana, kind=kind, dedupe_key=kind, payload=payload)
    await session.commit()

    # When the worker runs
    await worker.drain()

    # Then the voting notice went out and the reminder did not
    assert [r.subject for r in sendgrid_standin.requests] == ["Voting is open: Platform"]
    rows = {row.kind: (row.status, row.last_error) for row in await outbox_rows(runtime)}
    assert rows == {
        "convening_reminder": (
            OutboxStatus.SUPPRESSED,
            "Not sent: the address is suppressed (unsubscribe).",
        ),
        "voting_opened": (OutboxStatus.SENT, None),
    }
    # And the notice asked SendGrid to send it past its own unsubscribe list
    bypass = sendgrid_standin.requests[0].body["mail_settings"]
    assert bypass == {"bypass_unsubscribe_management": {"enable": True}}


async def test_a_spam_report_stops_even_transactional_mail(
    webhook, session, runtime, worker, sendgrid_standin
):
    ana = await create_person(session, email="ana@example.org")
    await session.commit()
    await report(webhook, "ana@example.org", "spamreport")
    notice = proposal_payload(ana.name, await create_proposal_in_voting(session, []))
    await enqueue_email(
        session, ana, kind=MessageKind.VOTING_OPENED, dedupe_key="k", payload=notice
    )
    await session.commit()

    await worker.drain()

    assert sendgrid_standin.requests == []
    (row,) = await outbox_rows(runtime)
    assert row.status == OutboxStatus.SUPPRESSED


async def test_a_bounced_address_is_told_no_link_will_come_known_or_not(
    webhook, session, runtime, worker, sendgrid_standin
):
    # Given a person whose address bounced, and an address that bounced but is no one's
    await create_person(session, email="ana@example.org")
    await session.commit()
    await report(webhook, "ana@example.org", "bounce")
    await report(webhook, "gone@example.org", "bounce")

    # When each asks for a sign-in link
    known = await ask_for_link_over_http(webhook, "Ana@Example.org")
    unknown = await ask_for_link_over_http(webhook, "gone@example.org")
    await worker.drain()

    # Then neither page promises a link; both say why and whom to write to, alike
    assert plain(known.text).replace("Ana@Example.org", "X") == plain(unknown.text).replace(
        "gone@example.org", "X"
    )
    assert CANNOT.format(email="Ana@Example.org") in plain(known.text)
    assert CONTACT in plain(known.text)
    assert SENT not in plain(known.text) + plain(unknown.text)
    # And nothing was queued or sent
    assert await outbox_rows(runtime) == []
    assert sendgrid_standin.requests == []


async def test_a_drop_for_an_unsubscribed_address_counts_as_an_unsubscribe(webhook, runtime):
    # SendGrid drops mail to an address on its own unsubscribe list, and says so in the reason
    events = [
        {"email": "left@example.org", "event": "dropped", "reason": "Unsubscribed Address"},
        {"email": "gone@example.org", "event": "dropped", "reason": "Bounced Address"},
    ]
    body = json.dumps(events).encode()

    await webhook.post("/webhooks/sendgrid", content=body, headers=signed_headers(body))

    async with runtime.sessions() as session:
        rows = await session.execute(
            select(EmailSuppression.email, EmailSuppression.reason).order_by("email")
        )
        assert [tuple(row) for row in rows.all()] == [
            ("gone@example.org", "dropped"),
            ("left@example.org", "unsubscribe"),
        ]
