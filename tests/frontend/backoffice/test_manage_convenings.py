"""The back office's convenings in a browser: an admin creates the "2011" series and its
January strategy session hosted by SCOPE, edits it, is told of bad input beside each field,
schedules the quarterly committee meeting, and cancels one of its dates; a form sent twice
schedules once; members and anonymous readers are refused, and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.async_api import Browser, Page, expect
from sqlalchemy import func, select

from hub.infrastructure.models import (
    Convening,
    ConveningHost,
    ConveningSeries,
    Organization,
    Person,
)
from hub.infrastructure.models.convenings import ConveningStatus
from hub.interfaces.runtime import Runtime
from tests.convenings import factories
from tests.convenings.factories import create_contact, create_member
from tests.factories import create_admin, create_organization
from tests.frontend.backoffice.convening_steps import (
    add_to_series,
    cancel_convening,
    create_convening,
    create_series,
    edit_convening,
    fill_convening,
    open_edit,
    preview_repeating,
    rename_series,
    schedule_repeating,
)
from tests.frontend.conftest import new_page, phone_context_args, screenshot
from tests.frontend.flows import arrange, sign_in
from tests.frontend.server import HubServer

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
# Next year's January: the session is to come (the walk's RSVPs need it so).
YEAR = datetime.now(UTC).year + 1


@dataclass
class Office:
    admin: Person
    member: Person
    scope: Organization


async def an_office(runtime: Runtime) -> Office:
    async def create(session: Any) -> Office:
        scope = await create_organization(session, name="SCOPE")
        await create_organization(session, name="Faith in Action Bay Area")
        admin = await create_admin(session, name="Alma Admin")
        member = await create_member(session, name="Mo Member")
        return Office(admin, member, scope)

    return await arrange(runtime, create)


async def stored(runtime: Runtime) -> list[tuple[Any, ...]]:
    """Every convening as stored: title, UTC start, status, series name, capacity, hosts."""
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(
                Convening.title,
                Convening.starts_at,
                Convening.status,
                ConveningSeries.name,
                Convening.capacity,
                Convening.venue_name,
            )
            .outerjoin(ConveningSeries, ConveningSeries.id == Convening.series_id)
            .order_by(Convening.starts_at)
        )
        return [tuple(row) for row in rows]


async def counts(runtime: Runtime) -> tuple[int, int, int]:
    async with runtime.sessions() as session:
        found = []
        for model in (Convening, ConveningSeries, ConveningHost):
            found.append(int(await session.scalar(select(func.count()).select_from(model)) or 0))
        return found[0], found[1], found[2]


async def test_an_admin_runs_the_series_the_session_and_the_quarterly_meeting(
    phone: Page, runtime: Runtime
) -> None:
    office = await an_office(runtime)
    await sign_in(phone, runtime, office.admin)
    # The 2011 series, and its January strategy session hosted by SCOPE
    await create_series(phone, "2011")
    await screenshot(phone, "manage-series-2011-phone")
    await create_convening(
        phone,
        title="January strategy session",
        host="scope",  # any case: the directory's search finds SCOPE
        starts=f"{YEAR}-01-27T09:00",
        ends=f"{YEAR}-01-27T15:00",
        series="2011",
        venue="SCOPE, South LA",
        capacity="80",
        delegate_limit="3",
        deadline=f"{YEAR}-01-20T17:00",
        languages="es, ko",
    )
    await expect(
        phone.get_by_role("link", name="January strategy session", exact=True)
    ).to_be_visible()
    await screenshot(phone, "manage-convenings-phone")
    [session_row] = await stored(runtime)
    assert session_row == (
        "January strategy session",
        datetime(YEAR, 1, 27, 9, tzinfo=LOS_ANGELES).astimezone(UTC),
        ConveningStatus.SCHEDULED,
        "2011",
        80,
        "SCOPE, South LA",
    )
    # Edited: 70 places
    await edit_convening(phone, "January strategy session", capacity="70")
    assert (await stored(runtime))[0][4] == 70
    await open_edit(phone, "January strategy session")
    await screenshot(phone, "manage-convening-edit-phone")
    await phone.get_by_role("link", name="Cancel this convening…").click()
    await screenshot(phone, "manage-convening-cancel-phone")
    await phone.goto("/manage/convenings/new")
    await screenshot(phone, "manage-convening-new-phone")
    await phone.goto("/manage/series")
    await screenshot(phone, "manage-series-list-phone")
    # The quarterly committee meeting: previewed, then scheduled
    rule = {
        "title": "Coordinating Committee meeting",
        "host": "SCOPE",
        "kind": "Committee meeting",
        "starts": f"{YEAR}-01-01T10:00",
        "ends": f"{YEAR}-01-01T12:00",
        "online": "https://meet.example.org/committee",
        "new_series": f"{YEAR} Coordinating Committee",
    }
    previewed = await preview_repeating(phone, **rule)
    assert len(previewed) == 4
    assert all("10:00" in line for line in previewed), previewed
    assert await counts(runtime) == (1, 1, 1)  # the preview wrote nothing
    await screenshot(phone, "manage-repeating-preview-phone")
    await schedule_repeating(phone, **rule)
    await expect(phone.get_by_role("heading", level=1)).to_have_text(
        f"{YEAR} Coordinating Committee"
    )
    await expect(
        phone.get_by_role("link", name="Coordinating Committee meeting", exact=True)
    ).to_have_count(4)
    await screenshot(phone, "manage-series-page-phone")
    meetings = [row for row in await stored(runtime) if row[0].startswith("Coordinating")]
    local = [row[1].astimezone(LOS_ANGELES) for row in meetings]
    assert [(t.month, t.weekday(), t.strftime("%H:%M")) for t in local] == [
        (1, 3, "10:00"),
        (4, 3, "10:00"),
        (7, 3, "10:00"),
        (10, 3, "10:00"),
    ]
    assert all(8 <= t.day <= 14 for t in local)  # the second Thursday
    assert len({t.utcoffset() for t in local}) == 2  # winter and daylight-saving time
    # One of them cancelled
    await cancel_convening(phone, "Coordinating Committee meeting")
    statuses = [row[2] for row in await stored(runtime) if row[0].startswith("Coordinating")]
    assert statuses.count(ConveningStatus.CANCELLED) == 1
    await expect(phone.get_by_text("Cancelled").first).to_be_visible()


async def test_bad_input_shows_beside_each_field_and_writes_nothing(
    phone: Page, runtime: Runtime
) -> None:
    office = await an_office(runtime)
    await sign_in(phone, runtime, office.admin)
    await phone.goto("/manage/convenings/new")
    await fill_convening(
        phone,
        title="Spring session",
        host="No Such Group",
        starts="2031-03-01T10:00",
        ends="2031-03-01T09:00",
        capacity="-5",
        online="not a link",
    )
    await phone.get_by_role("button", name="Schedule the convening").click()
    # What the page can tell at once: no organization has that name
    host_error = phone.locator("#host1-error")
    await expect(host_error).to_have_text("Choose an organization from the list.")
    await fill_convening(phone, host="SCOPE")
    await phone.get_by_role("button", name="Schedule the convening").click()
    # What the API decides, every mistake at once: the end, the capacity and the link
    await expect(phone.locator("#endsAt-error")).to_have_text("The end must come after the start.")
    await expect(phone.locator("#capacity-error")).to_have_text("Capacity cannot be negative.")
    await expect(phone.locator("#virtualUrl-error")).to_have_text(
        "Enter the link as an address starting with https://."
    )
    await expect(phone.get_by_label("Ends", exact=True)).to_have_attribute("aria-invalid", "true")
    # What was typed is kept
    await expect(phone.get_by_label("Title", exact=True)).to_have_value("Spring session")
    await screenshot(phone, "manage-convening-errors-phone")
    # A repeating rule making too many dates
    await phone.goto("/manage/convenings/repeat")
    await fill_convening(phone, title="Committee", host="SCOPE", starts="2031-01-01T10:00")
    await fill_convening(phone, ends="2031-01-01T12:00", online="https://meet.example.org/c")
    await phone.get_by_label("How many times").fill("60")
    await phone.get_by_role("button", name="Preview the dates").click()
    await expect(phone.locator("#count-error")).to_have_text("Schedule at most 52 dates at once.")
    assert await counts(runtime) == (0, 0, 0)


async def test_a_form_sent_twice_schedules_one_convening(phone: Page, runtime: Runtime) -> None:
    office = await an_office(runtime)
    await sign_in(phone, runtime, office.admin)
    await phone.goto("/manage/convenings/new")
    await fill_convening(
        phone,
        title="Once only",
        host="SCOPE",
        starts="2031-05-01T10:00",
        ends="2031-05-01T12:00",
        venue="Hall",
    )
    # The same form, as filled, sent twice (a double click, a retry after a timeout)
    form = phone.locator("form[action='/manage/convenings/new']")
    fields = await form.evaluate("f => Object.fromEntries(new FormData(f).entries())")
    answers = [
        await phone.request.post("/manage/convenings/new", form=fields, max_redirects=0)
        for _ in range(2)
    ]
    assert [a.status for a in answers] == [303, 303]
    assert await counts(runtime) == (1, 0, 1)


async def test_members_and_anonymous_readers_are_refused_and_nothing_changes(
    phone: Page, runtime: Runtime
) -> None:
    office = await an_office(runtime)
    pages = ["/manage/convenings", "/manage/convenings/new", "/manage/convenings/repeat"]
    pages += ["/manage/series"]
    # Anonymous: asked to sign in
    for path in pages:
        await phone.goto(path)
        assert "/signin?next=" in phone.url, path
    # A member: not allowed, on every page and every form
    await sign_in(phone, runtime, office.member)
    for path in pages:
        answer = await phone.goto(path)
        assert answer is not None and answer.status == 403, path
    await phone.goto("/me")
    csrf = await phone.locator("input[name=csrf_token]").first.get_attribute("value")
    posts = {
        "/manage/convenings/new": {"title": "Mine", "host1": "SCOPE", "kind": "TRAINING"},
        "/manage/series": {"name": "Mine"},
    }
    for path, fields in posts.items():
        answer = await phone.request.post(path, form={"csrf_token": csrf or "", **fields})
        assert answer.status == 403, path
    assert await counts(runtime) == (0, 0, 0)


async def test_the_pages_on_a_desktop(desktop: Page, runtime: Runtime) -> None:
    office = await an_office(runtime)
    await sign_in(desktop, runtime, office.admin)
    url = await create_series(desktop, "2011")
    await screenshot(desktop, "manage-series-page-desktop")
    await create_convening(
        desktop,
        title="January strategy session",
        host="SCOPE",
        starts=f"{YEAR}-01-27T09:00",
        ends=f"{YEAR}-01-27T15:00",
        series="2011",
        venue="SCOPE, South LA",
    )
    await screenshot(desktop, "manage-convenings-desktop")
    await desktop.goto("/manage/convenings/new")
    await screenshot(desktop, "manage-convening-new-desktop")
    await open_edit(desktop, "January strategy session")
    await screenshot(desktop, "manage-convening-edit-desktop")
    await desktop.get_by_role("link", name="Cancel this convening…").click()
    await screenshot(desktop, "manage-convening-cancel-desktop")
    await preview_repeating(
        desktop,
        title="Coordinating Committee meeting",
        host="SCOPE",
        starts=f"{YEAR}-01-01T10:00",
        ends=f"{YEAR}-01-01T12:00",
        online="https://meet.example.org/committee",
        new_series="Committee",
    )
    await screenshot(desktop, "manage-repeating-preview-desktop")
    await desktop.goto("/manage/series")
    await screenshot(desktop, "manage-series-desktop")
    await desktop.goto(url)
    link = desktop.get_by_role("link", name="January strategy session", exact=True)
    await expect(link).to_be_visible()
    # Renamed, and a convening scheduled without a series added to it from its page
    await rename_series(desktop, url, "2011 Collaborative Strategy Sessions")
    await create_convening(
        desktop,
        title="March strategy session",
        host="Faith in Action Bay Area",
        starts=f"{YEAR}-03-24T09:00",
        ends=f"{YEAR}-03-24T15:00",
        online="https://meet.example.org/march",
    )
    await add_to_series(desktop, url, "March strategy session")
    titles = [row[0] for row in await stored(runtime) if row[3] is not None]
    assert titles == ["January strategy session", "March strategy session"]
    assert {row[3] for row in await stored(runtime)} == {"2011 Collaborative Strategy Sessions"}
    await expect(
        desktop.get_by_role("link", name="March strategy session", exact=True)
    ).to_be_visible()


async def test_scheduling_works_with_javascript_off(
    chromium: Browser, hub_server: HubServer, runtime: Runtime
) -> None:
    office = await an_office(runtime)
    context = await chromium.new_context(
        base_url=hub_server.url, java_script_enabled=False, **phone_context_args()
    )
    page = await new_page(context)
    try:
        await sign_in(page, runtime, office.admin)
        await create_series(page, "2011")
        await create_convening(
            page,
            title="January strategy session",
            host="SCOPE",
            starts=f"{YEAR}-01-27T09:00",
            ends=f"{YEAR}-01-27T15:00",
            series="2011",
            venue="SCOPE, South LA",
        )
        dates = await schedule_repeating(
            page,
            title="Coordinating Committee meeting",
            host="SCOPE",
            starts=f"{YEAR}-01-01T10:00",
            ends=f"{YEAR}-01-01T12:00",
            online="https://meet.example.org/committee",
            series="2011",
        )
        assert len(dates) == 4
        await cancel_convening(page, "January strategy session")
        assert await counts(runtime) == (5, 1, 5)
    finally:
        await context.close()


async def test_a_host_contact_schedules_for_their_own_organization_only(
    phone: Page, runtime: Runtime
) -> None:
    office = await an_office(runtime)

    async def a_contact(session: Any) -> Person:
        return await create_contact(session, office.scope)

    contact = await arrange(runtime, a_contact)
    await sign_in(phone, runtime, contact)
    fields = {
        "title": "SCOPE training",
        "starts": f"{YEAR}-02-10T18:00",
        "ends": f"{YEAR}-02-10T20:00",
        "venue": "SCOPE office",
    }
    # Another organization as the host: the schema's rule refuses it, beside the field
    await phone.goto("/manage/convenings/new")
    await fill_convening(phone, host="Faith in Action Bay Area", **fields)
    await phone.get_by_role("button", name="Schedule the convening").click()
    await expect(phone.locator("#host1-error")).to_have_text(
        "Host it with an organization you are a contact of."
    )
    assert await counts(runtime) == (0, 0, 0)
    # Their own: scheduled
    await create_convening(phone, host="SCOPE", **fields)
    assert [row[0] for row in await stored(runtime)] == ["SCOPE training"]


async def test_editing_a_convening_of_four_hosts_keeps_them_all(
    phone: Page, runtime: Runtime
) -> None:
    office = await an_office(runtime)

    async def four_hosts(session: Any) -> Convening:
        others = [await create_organization(session, name=f"Partner {n}") for n in range(3)]
        hosts = [office.scope, *others]
        return await factories.create_convening(
            session, hosts, title="Statewide caucus", capacity=40
        )

    convening = await arrange(runtime, four_hosts)
    await sign_in(phone, runtime, office.admin)
    await edit_convening(phone, "Statewide caucus", capacity="45")
    async with runtime.sessions() as session:
        hosts = await session.scalars(
            select(ConveningHost.organization_id).where(ConveningHost.convening_id == convening.id)
        )
        assert len(list(hosts)) == 4
        assert (await session.get_one(Convening, convening.id)).capacity == 45
