"""The alliance runs its January strategy session from the browser, end to end, with no GraphQL
typed by hand: the admin schedules the 2011 series and its session hosted by SCOPE and imports
the member organizations' spreadsheet; SCOPE's contact reads the attendee list and its needs,
downloads it, writes to those going and registers two walk-ins on a phone at the door; the
admin writes the session's three proposals, seats the committee, runs a vote and closes it,
and the results show. Only the rows the people answered with are arranged in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from hub.infrastructure.models import Convening, OutboxMessage, Person, Rsvp
from hub.infrastructure.models.convenings import RsvpStatus
from hub.infrastructure.models.directory import Language
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_contact, create_rsvp
from tests.directory.people_files import ORGANIZATIONS, create_organizations
from tests.factories import create_admin
from tests.frontend.backoffice import committee_steps, convening_steps, host_steps
from tests.frontend.backoffice.import_steps import (
    import_people_csv,
    preview_people_csv,
    shown_errors,
    write_people_csv,
)
from tests.frontend.conftest import PHONE, new_page, screenshot
from tests.frontend.flows import arrange, sign_in
from tests.frontend.server import HubServer

SESSION = "January strategy session"
YEAR = datetime.now().year + 1
SCOPE = ORGANIZATIONS[0]  # Strategic Concepts in Organizing & Policy Education (SCOPE)
SEATED = ORGANIZATIONS[:3]  # SCOPE, Community Coalition, InnerCity Struggle
PROPOSALS = [
    ("Quarterly committee meetings", "The committee meets once per quarter.", [SCOPE]),
    ("A statewide tenant campaign", "We run one tenant campaign together.", SEATED[:2]),
    ("Interpretation at every convening", "Spanish interpretation, always.", [SEATED[2]]),
]
GOING = 12  # of the imported people, the first twelve answer that they are going


@dataclass(frozen=True)
class Office:
    admin: Person
    scope_contact: Person


async def the_alliance_before_the_session(runtime: Runtime) -> Office:
    async def given(session):
        organizations = await create_organizations(session)
        admin = await create_admin(session, name="Alliance Staff", email="staff@alliance.org")
        contact = await create_contact(session, organizations[0])
        return Office(admin, contact)

    return await arrange(runtime, given)


async def imported_people(runtime: Runtime) -> list[Person]:
    """The people the spreadsheet brought, in its order (their emails are numbered)."""
    async with runtime.sessions() as session:
        found = list(
            await session.scalars(
                select(Person).where(Person.email.like("person%@members.example.org"))
            )
        )
        session.expunge_all()  # kept as read: the rollback would expire them
        await session.rollback()
    return sorted(found, key=lambda person: int(person.email.split("@")[0][len("person") :]))


async def answers_to_the_session(runtime: Runtime, going: list[Person]) -> str:
    """What the imported people answered (arranged: answering is not the back office's):
    every third wants Spanish interpretation, every fourth brings a child. The session's id."""

    async def answer(session):
        convening = await session.scalar(select(Convening).where(Convening.title == SESSION))
        for n, person in enumerate(going):
            await create_rsvp(
                session,
                convening,
                person,
                RsvpStatus.GOING,
                interpretation_language="es" if n % 3 == 0 else None,
                childcare_count=1 if n % 4 == 0 else 0,
            )
        return to_global_id("Convening", convening.id)

    return await arrange(runtime, answer)


async def host_messages(runtime: Runtime) -> list[str]:
    async with runtime.sessions() as session:
        found = await session.scalars(
            select(OutboxMessage.recipient_address).where(OutboxMessage.kind == "host_message")
        )
        await session.rollback()
    return list(found)


async def walk_ins(runtime: Runtime) -> list[tuple[str, bool]]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(Person.name, Rsvp.checked_in_at.is_not(None))
            .join(Rsvp, Rsvp.person_id == Person.id)
            .where(Rsvp.walk_in)
            .order_by(Rsvp.id)
        )
        await session.rollback()
    return [(name, bool(checked_in)) for name, checked_in in rows]


async def people_count(runtime: Runtime) -> int:
    async with runtime.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Person))
        await session.rollback()
    return int(count or 0)


async def test_the_alliance_runs_its_january_session_from_the_back_office(
    desktop: Page,
    phone: Page,
    chromium: Browser,
    hub_server: HubServer,
    runtime: Runtime,
    tmp_path: Path,
) -> None:
    office = await the_alliance_before_the_session(runtime)
    await sign_in(desktop, runtime, office.admin)

    # The admin creates the 2011 series and its January strategy session hosted by SCOPE
    await convening_steps.create_series(desktop, "2011")
    await convening_steps.create_convening(
        desktop,
        title=SESSION,
        host=SCOPE,
        starts=f"{YEAR}-01-27T09:00",
        ends=f"{YEAR}-01-27T15:00",
        series="2011",
        venue="SCOPE, South LA",
        capacity="80",
        languages="es",
    )
    await expect(desktop.get_by_role("link", name=SESSION, exact=True)).to_be_visible()

    # ... and imports the 70 people of the 44 organizations' spreadsheet: 3 rows are bad
    people_file = write_people_csv(tmp_path / "people.csv")
    previewed = await preview_people_csv(desktop, people_file.path)
    assert previewed == {"rows": 70, "create": 67, "update": 0, "unchanged": 0, "error": 3}
    assert set(await shown_errors(desktop)) == set(people_file.bad_lines)
    assert await people_count(runtime) == 2  # the preview wrote nothing
    imported = await import_people_csv(desktop, people_file.path)
    assert imported["create"] == 67 and imported["error"] == 3
    again = await import_people_csv(desktop, people_file.path)
    assert (again["create"], again["update"], again["unchanged"]) == (0, 0, 67)
    people = await imported_people(runtime)
    assert [person.email for person in people] == people_file.valid_emails
    assert await people_count(runtime) == 2 + 67

    # Twelve of them answer that they are going
    session_id = await answers_to_the_session(runtime, people[:GOING])

    # SCOPE's contact sees the attendee list and what to book for those going
    await sign_in(phone, runtime, office.scope_contact)
    await phone.get_by_role("navigation").get_by_role("link", name="Manage").click()
    await phone.get_by_role("link", name="Attendees", exact=True).click()
    shown = await host_steps.attendees_shown(phone)
    assert sorted(a["person"] for a in shown) == sorted(p.name for p in people[:GOING])
    assert {a["status"] for a in shown} == {"GOING"}
    totals = await host_steps.needs_totals_shown(phone)
    assert totals["Interpretation: Spanish"] == 4  # the 1st, 4th, 7th and 10th
    assert totals["Childcare places"] == 3  # the 1st, 5th and 9th
    await screenshot(phone, "walk-attendees-host-phone")

    # ... downloads it: the file's rows are the list on the page, with email and phone
    rows = await host_steps.download_attendee_csv(phone, session_id)
    assert sorted(row["person"] for row in rows) == sorted(a["person"] for a in shown)
    by_name = {person.name: person for person in people[:GOING]}
    assert all(row["email"] == by_name[row["person"]].email for row in rows)

    # ... writes to those going: exactly one email each, through the outbox
    await host_steps.message_attendees(
        phone,
        session_id,
        "GOING",
        "Parking at SCOPE",
        "Park behind the hall; the doors open at 8:30.",
        subject_es="Estacionamiento en SCOPE",
        text_es="Estacione detrás del salón; las puertas abren a las 8:30.",
    )
    assert sorted(await host_messages(runtime)) == sorted(p.email for p in people[:GOING])

    # ... and on the day, at the door on a 390 x 844 phone, registers two walk-ins: someone of
    # the directory who never answered, and someone new
    assert phone.viewport_size == PHONE
    newcomer = "Walk-in Newcomer"
    await host_steps.register_walk_in(
        phone, session_id, name=people[GOING].name, from_directory=True
    )
    await host_steps.register_walk_in(phone, session_id, name=newcomer, organization=SEATED[1])
    assert await walk_ins(runtime) == [(people[GOING].name, True), (newcomer, True)]
    await screenshot(phone, "walk-door-walk-ins-phone")

    # The admin writes the three proposals that came out of the session
    for title, body, sponsors in PROPOSALS:
        await committee_steps.create_proposal(desktop, title, body, sponsors, SESSION)
    # ... seats the committee: three organizations, each with a holder and an alternate
    # (holders who read English first, as the voting steps read the page in English)
    seats = {
        name: sorted(
            (p for p in people if p.email in _emails_of(people_file, name)),
            key=lambda person: person.preferred_language != Language.EN,
        )
        for name in SEATED
    }
    for name in SEATED:
        holder, alternate = seats[name][:2]
        await committee_steps.assign_seat(desktop, name, holder.name, alternate.name)
        await expect(desktop.locator("#status")).to_have_text("The seat is saved.")
    assert [row[0] for row in await committee_steps.roster(desktop)] == sorted(SEATED)

    # ... opens a vote on the first proposal, which two of the three seats' holders answer
    title = PROPOSALS[0][0]
    await committee_steps.move_proposal(desktop, title)
    zone = ZoneInfo(runtime.settings.time_zone)
    await committee_steps.open_voting(desktop, title, datetime.now(zone) + timedelta(days=3))
    await expect(desktop.locator("#status")).to_have_text("Voting is open.")
    proposal_url = desktop.url.removesuffix("/edit").replace("/manage", "")
    for name in SEATED[:2]:
        context = await chromium.new_context(base_url=hub_server.url, viewport=PHONE)
        voter = await new_page(context)
        await sign_in(voter, runtime, seats[name][0])
        await committee_steps.cast_vote(voter, proposal_url, name, "Yes")
        await context.close()

    # ... closes it early, and the results show
    await committee_steps.close_voting(desktop, title)
    await committee_steps.see_results(desktop)
    await expect(desktop.locator(".outcome")).to_have_text("Adopted")
    await screenshot(desktop, "walk-results-desktop")


def _emails_of(people_file, organization: str) -> set[str]:  # type: ignore[no-untyped-def]
    """The emails of the file's people of one organization (the file names it on each row)."""
    import csv

    with people_file.path.open(encoding="utf-8", newline="") as spreadsheet:
        return {
            row["email"]
            for row in csv.DictReader(spreadsheet)
            if row["organization"] == organization
        }
