"""The Coordinating Committee's emails: a meeting's agenda to its seats, proxies given and
used to the seat's people (never a secret choice), actions coming due to their owners'
contacts. Each once, in the reader's language, times in the committee's zone, sent through
the real sendgrid client to the stand-in."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.suppressions import suppress
from hub.delivery.reminders.due import enqueue_due_reminders
from hub.domains.governance import meetings, voting
from hub.infrastructure.db import transaction
from hub.infrastructure.models.directory import AffiliationRole, Language
from hub.infrastructure.models.governance import Ballot, VoteChoice, VotingRule
from hub.infrastructure.models.outbox import OutboxStatus
from hub.infrastructure.models.register import ActionStatus
from tests.factories import affiliate, create_admin, create_person
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    admin_viewer,
    create_committee,
    create_proposal,
    create_seat,
)
from tests.governance.meeting_factories import MEETING_STARTS, create_meeting, give_proxy
from tests.governance.register_factories import create_action, create_decision
from tests.infrastructure.outbox import outbox_rows

COMMITTEE_ZONE = "America/Los_Angeles"  # the tests' HUB_TIME_ZONE
THREE_DAYS_BEFORE = MEETING_STARTS - timedelta(days=3)


async def due_pass(runtime, now: datetime):
    async with transaction(runtime.sessions) as session:
        return await enqueue_due_reminders(session, now=now, time_zone=COMMITTEE_ZONE)


async def two_passes_at_once(runtime, now: datetime):
    return await asyncio.gather(due_pass(runtime, now), due_pass(runtime, now))


async def sent_of(runtime, standin, kind: MessageKind):
    """What the stand-in received of this kind of message (the outbox id travels with it)."""
    ids = {str(row.id) for row in await outbox_rows(runtime, kind=kind)}
    return [r for r in standin.requests if r.body["custom_args"]["outbox_id"] in ids]


async def by_recipient(runtime, standin, kind: MessageKind):
    return {request.to: request for request in await sent_of(runtime, standin, kind)}


async def test_the_agenda_goes_once_to_every_seats_holder_and_alternate_in_their_language(
    session, runtime, worker, sendgrid_standin
):
    # Given two held seats (one alternate reads Spanish), a vacated seat, a vacant seat with
    # an alternate, and a member with no seat
    admin = await create_admin(session)
    first, second = await create_committee(session, 2)
    second.alternate.preferred_language = Language.ES
    await create_seat(session, active=False)
    vacant = await create_seat(session, holder_id=None)
    await create_person(session, email="bystander@example.org")
    # And a meeting three days off whose agenda lists two proposals, in this order
    meeting = await create_meeting(session, title="First quarter")
    budget, housing = (
        await create_proposal(session, title="Budget"),
        await create_proposal(session, title="Housing"),
    )
    await meetings.set_agenda(
        session, admin_viewer(admin), meeting.id, [housing.id, budget.id], now=THREE_DAYS_BEFORE
    )
    # And a decision with actions: OPEN due on the meeting's day, OPEN due after it, DONE
    decision = await create_decision(session, admin, [first], [VoteChoice.YES])
    owner = first.organization.id
    await create_action(session, decision, owner, what="Send the letter", due_on=date(2026, 3, 1))
    await create_action(session, decision, owner, what="Too late", due_on=date(2026, 3, 2))
    await create_action(
        session, decision, owner, what="Done", due_on=date(2026, 2, 1), status=ActionStatus.DONE
    )
    # And meetings the pass leaves alone: one too far off, one with no agenda
    far_off = MEETING_STARTS + timedelta(days=10)
    far = await create_meeting(session, starts_at=far_off, ends_at=far_off + timedelta(hours=2))
    await meetings.set_agenda(session, admin_viewer(admin), far.id, [budget.id], now=MEETING_STARTS)
    unset = await create_meeting(session, title="No agenda yet")
    await session.commit()

    # When two workers' due passes run at once, and another pass later
    passes = await two_passes_at_once(runtime, THREE_DAYS_BEFORE)
    later = await due_pass(runtime, THREE_DAYS_BEFORE + timedelta(days=1))
    await worker.drain()

    # Then each holder and alternate of a held seat got the agenda exactly once
    seated = {first.holder, first.alternate, second.holder, second.alternate}
    assert sorted(p.agendas for p in passes) == [0, 4] and later.agendas == 0
    rows = await outbox_rows(runtime, kind=MessageKind.COMMITTEE_AGENDA)
    assert sorted(row.recipient_address for row in rows) == sorted(p.email for p in seated)
    assert vacant.alternate.email not in {row.recipient_address for row in rows}
    sent = await by_recipient(runtime, sendgrid_standin, MessageKind.COMMITTEE_AGENDA)
    assert set(sent) == {p.email for p in seated}
    # In English: the agenda in order, linked; the time in the committee's zone; actions due
    english = sent[first.holder.email]
    assert english.subject == "Agenda: First quarter"
    text = english.body["content"][0]["value"]
    assert (
        "meets Sunday, March 1, 2026, 9:00\u202fAM \u2013 12:00\u202fPM (Pacific Standard Time)"
        in text
    )
    assert text.index("1. Housing") < text.index("2. Budget")
    assert "http://hub.test/proposals/" in text
    assert "- Send the letter (" in text and "due Sunday, March 1, 2026" in text
    assert "Too late" not in text and "Done" not in text
    html = english.body["content"][1]["value"]
    assert '<a href="http://hub.test/proposals/' in html and "<li>Send the letter" in html
    # In Spanish for the one who reads it
    spanish = sent[second.alternate.email]
    assert spanish.subject == "Orden del día: First quarter"
    spanish_text = spanish.body["content"][0]["value"]
    assert "domingo, 1 de marzo de 2026" in spanish_text
    assert "(hora estándar del Pacífico)" in spanish_text
    assert "plazo: domingo, 1 de marzo de 2026" in spanish_text

    # And a meeting within the week whose agenda is set late is mailed on the next pass
    async with transaction(runtime.sessions) as writing:
        await meetings.set_agenda(
            writing, admin_viewer(admin), unset.id, [budget.id], now=THREE_DAYS_BEFORE
        )
    assert (await due_pass(runtime, THREE_DAYS_BEFORE + timedelta(days=1))).agendas == 4


@pytest.mark.parametrize("ballot", [Ballot.RECORDED, Ballot.SECRET])
async def test_a_proxy_given_and_used_is_written_to_the_seat_and_its_carrier(
    session, runtime, worker, sendgrid_standin, ballot
):
    # Given a seat giving its proxy for one proposal to another seat's holder; a third seat
    admin = await create_admin(session)
    giving, carrier, bystander = await create_committee(session, 3)
    giving.holder.preferred_language = Language.ES
    proposal = await create_proposal(session, title="Transit")
    await give_proxy(session, giving, carrier, proposal_id=proposal.id)

    # When voting opens and the carrier votes NO for the giving seat
    now = datetime.now(UTC)
    terms = voting.VotingTerms(
        rule=VotingRule.MAJORITY, quorum=0.5, ballot=ballot, closes_at=now + timedelta(days=1)
    )
    await voting.open_voting(
        session, admin_viewer(admin), proposal.id, terms, ballot_key=TEST_BALLOT_KEY, now=now
    )
    await voting.cast_vote(
        session,
        carrier.holder_viewer,
        proposal.id,
        VoteChoice.NO,
        seat_id=giving.seat.id,
        ballot_key=TEST_BALLOT_KEY,
        now=now,
    )
    await session.commit()
    await worker.drain()

    # Then the grant went to the carrier and the giving seat's holder and alternate
    granted = await outbox_rows(runtime, kind=MessageKind.COMMITTEE_PROXY_GRANTED)
    assert sorted(r.recipient_address for r in granted) == sorted(
        p.email for p in (carrier.holder, giving.holder, giving.alternate)
    )
    # And the use to the giving seat's holder and alternate only
    used = await outbox_rows(runtime, kind=MessageKind.COMMITTEE_PROXY_USED)
    assert sorted(r.recipient_address for r in used) == sorted(
        p.email for p in (giving.holder, giving.alternate)
    )
    proxy_mail = [
        *await sent_of(runtime, sendgrid_standin, MessageKind.COMMITTEE_PROXY_GRANTED),
        *await sent_of(runtime, sendgrid_standin, MessageKind.COMMITTEE_PROXY_USED),
    ]
    sent = [(r.to, r.subject, r.body["content"][0]["value"]) for r in proxy_mail]
    assert bystander.holder.email not in {to for to, _, _ in sent}
    assert len(sent) == 5
    mails = {(to, subject): text for to, subject, text in sent}
    org = giving.organization.name
    carrier_text = mails[(carrier.holder.email, f"Proxy given: {org} to {carrier.holder.name}")]
    assert f'You now carry the proxy of {org}\'s seat for the proposal "Transit"' in carrier_text
    spanish_grant = mails[(giving.holder.email, f"Poder otorgado: {org} a {carrier.holder.name}")]
    assert f"El asiento de {org} otorgó su poder a {carrier.holder.name}" in spanish_grant
    english_use = mails[(giving.alternate.email, "Your seat's proxy voted: Transit")]
    spanish_use = mails[(giving.holder.email, "El poder de su asiento votó: Transit")]
    if ballot is Ballot.RECORDED:
        assert "with the seat's proxy: NO." in english_use
        assert "con el poder del asiento: NO." in spanish_use
    else:
        # A secret ballot's choice is in no part of the message, nor in the outbox's payload
        assert "The ballot is secret" in english_use and "La votación es secreta" in spanish_use
        for request in proxy_mail:
            for part in request.body["content"]:
                assert ": NO" not in part["value"] and "<strong>NO" not in part["value"]
        assert all(row.payload["proxy"]["choice"] is None for row in used)


async def test_an_action_coming_due_reminds_its_organizations_contacts_once_per_due_date(
    session, runtime, worker, sendgrid_standin
):
    # Given a decision whose OPEN action, due in five days, belongs to an organization with
    # two contacts (one reads Spanish) and a member who is not a contact
    admin = await create_admin(session)
    (seat,) = await create_committee(session, 1)
    decision = await create_decision(session, admin, [seat], [VoteChoice.YES])
    decision.title = "Tax letter"
    owner = seat.organization
    english = await create_person(session, email="contact-en@example.org")
    spanish = await create_person(
        session, email="contact-es@example.org", preferred_language=Language.ES
    )
    await affiliate(session, english, owner, AffiliationRole.CONTACT)
    await affiliate(session, spanish, owner, AffiliationRole.CONTACT)
    # And a third contact who unsubscribed: a reminder is a courtesy, so it stops
    unsubscribed = await create_person(session, email="contact-off@example.org")
    await affiliate(session, unsubscribed, owner, AffiliationRole.CONTACT)
    await suppress(session, unsubscribed.email, "unsubscribe")
    today = datetime(2026, 4, 6, 18, tzinfo=UTC)  # 11:00 in the committee's zone
    action = await create_action(session, decision, owner.id, what="File", due_on=date(2026, 4, 11))
    # And actions the reminder leaves alone: DONE, too far off, long overdue
    for what, due, status in [
        ("Finished", date(2026, 4, 8), ActionStatus.DONE),
        ("Far off", date(2026, 4, 20), ActionStatus.OPEN),
        ("Old", date(2026, 3, 1), ActionStatus.OPEN),
    ]:
        await create_action(session, decision, owner.id, what=what, due_on=due, status=status)
    await session.commit()

    # When two due passes run at once, then a day later
    passes = await two_passes_at_once(runtime, today)
    next_day = await due_pass(runtime, today + timedelta(days=1))
    await worker.drain()

    # Then each contact was reminded once, in their language, with the day in full
    assert sorted(p.actions_due for p in passes) == [0, 3] and next_day.actions_due == 0
    sent = await by_recipient(runtime, sendgrid_standin, MessageKind.COMMITTEE_ACTION_DUE)
    assert set(sent) == {"contact-en@example.org", "contact-es@example.org"}
    assert sent["contact-en@example.org"].subject == "Due Saturday, April 11, 2026: File"
    assert sent["contact-es@example.org"].subject == "Plazo sábado, 11 de abril de 2026: File"
    assert "Private note" not in str(sent["contact-en@example.org"].body)
    (stopped,) = await outbox_rows(runtime, recipient_address="contact-off@example.org")
    assert stopped.status == OutboxStatus.SUPPRESSED

    # And a new due date is a new reminder
    async with transaction(runtime.sessions) as writing:
        (await writing.get_one(type(action), action.id)).due_on = date(2026, 4, 12)
    assert (await due_pass(runtime, today + timedelta(days=1))).actions_due == 3
