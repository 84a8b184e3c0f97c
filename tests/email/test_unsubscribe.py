"""Unsubscribing: every email that is not transactional carries its link (text and HTML, both
languages) and RFC 8058's one-click headers through the real sendgrid client; a POST to the
header's URL stops that category only, for that person only; a GET stops nothing; a forged
token stops nothing; the outbox honours the stop for every kind, whoever enqueued it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.email import preferences
from hub.delivery.email.enqueue import enqueue_email
from hub.delivery.email.kinds import TRANSACTIONAL, MessageKind
from hub.delivery.email.payloads import convening_payload
from hub.delivery.email.preferences import EmailCategory
from hub.infrastructure.db import transaction
from hub.infrastructure.models import EmailOptOut, UnsubscribeToken
from hub.infrastructure.models.directory import Language
from hub.infrastructure.models.outbox import OutboxStatus
from tests.convenings.factories import create_convening
from tests.factories import create_person
from tests.infrastructure.outbox import outbox_rows

ACTION = {
    "what": "Send the letter",
    "organization": "SCOPE",
    "due_on": "2026-12-10",
    "proposal": {"id": 1, "title": "Tax agenda"},
}


async def enqueue(runtime: Any, person: Any, convening: Any, kind: str, key: str) -> None:
    async with transaction(runtime.sessions) as session:
        facts = ConveningFacts.from_model(convening)
        payload = (
            {"recipient_name": person.name, "action": ACTION}
            if kind == MessageKind.COMMITTEE_ACTION_DUE
            else convening_payload(person.name, facts, rsvp_status="GOING")
        )
        if kind == MessageKind.HOST_MESSAGE:
            payload["message"] = {"sender": "SCOPE", "subject": "Parking", "text": "Use lot B."}
        await enqueue_email(session, person, kind=kind, dedupe_key=key, payload=payload)


def header_path(request: Any) -> str:
    """The path of the one-click URL a delivered email's List-Unsubscribe header names."""
    url = request.body["headers"]["List-Unsubscribe"].strip("<>")
    assert url.startswith("http://hub.test/unsubscribe/")
    return url.removeprefix("http://hub.test")


async def arranged(session: Any, **person: Any) -> tuple[Any, Any]:
    ana = await create_person(session, name="Ana Pérez", email="ana@example.org", **person)
    convening = await create_convening(session, title="Strategy session")
    await session.commit()
    return ana, convening


def test_every_kind_that_is_not_transactional_is_in_a_category() -> None:
    kinds = [kind for kind in MessageKind if kind not in TRANSACTIONAL]
    assert {kind: preferences.category_of(kind) for kind in kinds} == {
        MessageKind.CONVENING_REMINDER: EmailCategory.REMINDERS,
        MessageKind.COMMITTEE_ACTION_DUE: EmailCategory.COMMITTEE_NOTICES,
        MessageKind.HOST_MESSAGE: EmailCategory.HOST_MESSAGES,
    }
    assert all(preferences.category_of(kind) is None for kind in TRANSACTIONAL)


async def test_a_reminder_carries_the_link_and_the_one_click_headers(
    session, runtime, worker, sendgrid_standin
):
    # Given a reminder and a transactional confirmation to one person
    ana, convening = await arranged(session)
    await enqueue(runtime, ana, convening, MessageKind.CONVENING_REMINDER, "r1")
    await enqueue(runtime, ana, convening, MessageKind.RSVP_CONFIRMED, "c1")
    # When the worker sends them through the real sendgrid client
    await worker.drain()
    reminder, confirmation = sendgrid_standin.delivered
    # Then the reminder carries RFC 8058's headers and its link in both parts
    path = header_path(reminder)
    assert reminder.body["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = (part["value"] for part in reminder.body["content"])
    assert f"open this link: http://hub.test{path}\n" in text
    assert f'<a href="http://hub.test{path}">Stop convening reminders</a>' in html
    # And the transactional confirmation carries neither
    assert "headers" not in confirmation.body
    assert "/unsubscribe/" not in confirmation.body["content"][0]["value"]


async def test_a_spanish_reader_s_link_reads_in_spanish(session, runtime, worker, sendgrid_standin):
    ana, convening = await arranged(session, preferred_language=Language.ES)
    await enqueue(runtime, ana, convening, MessageKind.CONVENING_REMINDER, "r1")
    await worker.drain()
    (reminder,) = sendgrid_standin.delivered
    text, html = (part["value"] for part in reminder.body["content"])
    assert "Para no recibir más, abra este enlace: http://hub.test/unsubscribe/" in text
    assert "Dejar de recibir los recordatorios de convocatorias</a>" in html


async def test_the_one_click_post_stops_that_category_only(
    session, runtime, worker, sendgrid_standin, http
):
    # Given a reminder delivered to Ana, and Bea who gets reminders too
    ana, convening = await arranged(session)
    bea = await create_person(session, name="Bea", email="bea@example.org")
    await session.commit()
    await enqueue(runtime, ana, convening, MessageKind.CONVENING_REMINDER, "r1")
    await worker.drain()
    path = header_path(sendgrid_standin.delivered[0])
    # When a mail client makes the one-click POST (no cookie, no CSRF token)
    answer = await http.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200
    assert "Done: you get no more convening reminders." in answer.text
    # And it is made again (a client retrying): harmless
    assert (await http.post(path)).status_code == 200
    # Then Ana's next reminder does not go; her confirmation and committee notice do;
    # Bea's reminder does
    sendgrid_standin.requests.clear()
    await enqueue(runtime, ana, convening, MessageKind.CONVENING_REMINDER, "r2")
    await enqueue(runtime, ana, convening, MessageKind.RSVP_CONFIRMED, "c2")
    await enqueue(runtime, ana, convening, MessageKind.COMMITTEE_ACTION_DUE, "a2")
    await enqueue(runtime, ana, convening, MessageKind.HOST_MESSAGE, "h2")
    await enqueue(runtime, bea, convening, MessageKind.CONVENING_REMINDER, "b2")
    await worker.drain()
    sent = sorted((r.to, r.subject) for r in sendgrid_standin.delivered)
    assert sent == [
        ("ana@example.org", "Due Thursday, December 10, 2026: Send the letter"),
        ("ana@example.org", "Parking"),
        ("ana@example.org", "You're going: Strategy session"),
        ("bea@example.org", "Coming up: Strategy session"),
    ]
    # And the host's message carries its own link, to stop messages from hosts
    (hosts,) = [r for r in sendgrid_standin.delivered if r.subject == "Parking"]
    assert "Stop messages from hosts</a>" in hosts.body["content"][1]["value"]
    assert header_path(hosts) != path
    (stopped,) = await outbox_rows(runtime, dedupe_key="r2")
    assert stopped.status == OutboxStatus.SUPPRESSED
    assert stopped.last_error == "Not sent: the person stopped reminders email."


async def test_a_get_only_asks_and_stops_nothing(session, runtime, worker, sendgrid_standin, http):
    ana, convening = await arranged(session)
    await enqueue(runtime, ana, convening, MessageKind.CONVENING_REMINDER, "r1")
    await worker.drain()
    path = header_path(sendgrid_standin.delivered[0])
    # When a mail scanner fetches the link
    answer = await http.get(path)
    # Then the page asks, with a button, and nothing is stopped
    assert answer.status_code == 200
    assert "Stop getting convening reminders by email?" in answer.text
    assert f'<form method="post" action="{path}">' in answer.text
    assert await opt_outs(runtime) == []


async def test_a_forged_or_wrong_token_stops_nothing(session, runtime, http):
    ana, convening = await arranged(session)
    await enqueue(runtime, ana, convening, MessageKind.CONVENING_REMINDER, "r1")
    (row,) = await outbox_rows(runtime)
    real = row.payload[preferences.TOKEN_KEY]
    for forged in ("not-a-token", real[:-1] + ("A" if real[-1] != "A" else "B"), "x" * 200):
        assert (await http.get(f"/unsubscribe/{forged}")).status_code == 404
        refused = await http.post(f"/unsubscribe/{forged}")
        assert refused.status_code == 404
        assert "This unsubscribe link does not work" in refused.text
    assert await opt_outs(runtime) == []
    # And the stored token is a hash, not the link's token
    async with runtime.sessions() as check:
        hashes = list(await check.scalars(select(UnsubscribeToken.token_hash)))
    assert hashes == [preferences.token_hash(real)] and real not in hashes


async def test_each_link_names_one_person_and_one_category(session, runtime):
    ana, convening = await arranged(session)
    bea = await create_person(session, name="Bea", email="bea@example.org")
    await session.commit()
    await enqueue(runtime, ana, convening, MessageKind.CONVENING_REMINDER, "r1")
    await enqueue(runtime, bea, convening, MessageKind.COMMITTEE_ACTION_DUE, "a1")
    ana_token, bea_token = (r.payload[preferences.TOKEN_KEY] for r in await outbox_rows(runtime))
    async with transaction(runtime.sessions) as work:
        await preferences.unsubscribe(work, bea_token)
    assert await opt_outs(runtime) == [(bea.id, "committee_notices")]
    assert ana_token != bea_token


async def opt_outs(runtime: Any) -> list[tuple[int, str]]:
    async with runtime.sessions() as check:
        rows = await check.execute(
            select(EmailOptOut.person_id, EmailOptOut.category).order_by(EmailOptOut.id)
        )
        assert await check.scalar(select(func.count(EmailOptOut.id))) is not None
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]
