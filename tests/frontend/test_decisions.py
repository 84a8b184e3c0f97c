"""The decision register's page and its CSV over plain HTTP: the CSV's rows equal the page's
table; a sponsor adds and updates an action through the forms (CSRF checked); anonymous
readers see the ADOPTED decisions only; the page reads in Spanish."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import httpx
from sqlalchemy import func, select

from hub.infrastructure.models import FollowUpAction
from hub.infrastructure.models.governance import Ballot, VoteChoice
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.factories import create_admin
from tests.frontend.over_http import csrf_of, plain, read, sign_in_over_http
from tests.governance.factories import create_committee
from tests.governance.meeting_factories import create_meeting
from tests.governance.register_factories import create_action, create_decision

YES, NO = VoteChoice.YES, VoteChoice.NO


class TableCells(HTMLParser):
    """The text of each cell of the register's table body, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = self._in_cell = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "tbody":
            self._in_body = False
        elif tag == "td":
            self._in_cell = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_cell:
            self.rows[-1][-1] += data


def page_rows(page: httpx.Response) -> list[list[str]]:
    parser = TableCells()
    parser.feed(page.text)
    return parser.rows


def csv_rows(export: httpx.Response) -> list[list[str]]:
    assert export.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))


def as_read(rows: list[list[str]]) -> list[list[str]]:
    """Cells as a spreadsheet shows them: the apostrophe that keeps a formula from running
    is not part of the value."""
    return [[cell.removeprefix("'") for cell in row] for row in rows]


async def arranged(session):
    seats = await create_committee(session, 3)
    admin = await create_admin(session)
    adopted = await create_decision(session, admin, seats, [YES, YES, NO], sponsor=seats[0])
    rejected = await create_decision(session, admin, seats, [NO, NO, YES], ballot=Ballot.SECRET)
    await create_action(session, adopted, seats[1].organization.id, what="=Publish, the plan")
    await create_action(session, rejected, seats[2].organization.id, what="Archive")
    await session.commit()
    return seats, adopted, rejected


async def test_the_csv_equals_the_page_for_a_member_and_for_anonymous_readers(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    seats, adopted, rejected = await arranged(session)

    anonymous_page, anonymous_csv = await http.get("/decisions"), await http.get("/decisions.csv")
    assert [row[0] for row in page_rows(anonymous_page)] == [adopted.title]
    assert as_read(csv_rows(anonymous_csv)[1:]) == page_rows(anonymous_page)
    # Notes are the members' business: empty in the public slice.
    assert page_rows(anonymous_page)[0][-1] == ""
    spanish, spanish_csv = (
        await read(http, "/decisions", language="es"),
        await http.get("/decisions.csv"),
    )
    assert "Registro de decisiones" in spanish.text
    assert [r[1] for r in page_rows(spanish)] == ["Aprobada"]
    assert as_read(csv_rows(spanish_csv)[1:]) == page_rows(spanish)
    await read(http, "/decisions", language="en")

    await sign_in_over_http(http, runtime, seats[2].holder)
    page, export = await http.get("/decisions"), await http.get("/decisions.csv")
    rows = page_rows(page)
    assert [(r[0], r[1], r[4], r[5], r[8], r[10], r[13]) for r in rows] == [
        (adopted.title, "Adopted", "2", "1", "3", "=Publish, the plan", "Open"),
        (rejected.title, "Rejected", "1", "2", "3", "Archive", "Open"),
    ]
    table = csv_rows(export)
    assert table[0][:3] == ["decision", "outcome", "decided_on"]
    # The spreadsheet never runs a cell: the formula-like action opens with an apostrophe.
    assert [r[10] for r in table[1:]] == ["'=Publish, the plan", "Archive"]
    assert as_read(table[1:]) == rows


async def test_a_sponsor_keeps_actions_through_the_forms(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    seats, adopted, _ = await arranged(session)
    await sign_in_over_http(http, runtime, seats[0].holder)
    page = await http.get("/decisions")
    # Every action form carries the session's token.
    assert page.text.count(f'name="csrf_token" value="{csrf_of(page)}"') >= 3
    proposal = to_global_id("Proposal", adopted.id)
    owner = to_global_id("Organization", seats[1].organization.id)
    form = {"what": "Report to the members", "organizationId": owner, "dueOn": "2027-02-01"}

    forged = await http.post(f"/decisions/{proposal}/actions", data={**form, "csrf_token": "x"})
    assert forged.status_code == 403
    empty = await http.post(
        f"/decisions/{proposal}/actions", data={**form, "what": " ", "csrf_token": csrf_of(page)}
    )
    assert empty.status_code == 422
    assert "Fill this in." in plain(empty.text)
    assert await session.scalar(select(func.count()).select_from(FollowUpAction)) == 2
    await session.commit()

    added = await http.post(
        f"/decisions/{proposal}/actions", data={**form, "csrf_token": csrf_of(page)}
    )
    assert added.status_code == 303
    new = await session.scalar(select(FollowUpAction).order_by(FollowUpAction.id.desc()))
    assert (new.what, str(new.due_on)) == ("Report to the members", "2027-02-01")
    await session.commit()
    action = {"actionId": to_global_id("FollowUpAction", new.id), "csrf_token": csrf_of(page)}
    updated = await http.post(
        "/decisions/actions/update", data={**action, "status": "DONE", "notes": "Sent"}
    )
    assert updated.status_code == 303
    await session.refresh(new)
    assert (new.status.value, new.notes) == ("DONE", "Sent")
    await session.commit()


async def test_the_meeting_page_lists_the_open_actions_due_by_its_day(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    seats, adopted, _ = await arranged(session)
    # 05:00 UTC on 10 March is still 9 March in the meeting's own zone (Los Angeles).
    starts = datetime(2027, 3, 10, 5, 0, tzinfo=UTC)
    meeting = await create_meeting(session, starts_at=starts, ends_at=starts + timedelta(hours=3))
    owner = seats[1].organization.id
    await create_action(session, adopted, owner, what="Due the day before", due_on=date(2027, 3, 8))
    await create_action(session, adopted, owner, what="Due that day", due_on=date(2027, 3, 9))
    await create_action(session, adopted, owner, what="Due after", due_on=date(2027, 3, 10))
    await create_action(
        session, adopted, owner, what="Done already", due_on=date(2027, 3, 1), status="DONE"
    )
    await session.commit()
    await sign_in_over_http(http, runtime, seats[2].holder)

    page = await http.get(f"/convenings/{to_global_id('Convening', meeting.id)}")

    assert page.status_code == 200
    section = plain(page.text).split("Actions due", 1)[1].split("Decision register", 1)[0]
    assert "Due the day before" in section and "Due that day" in section
    assert "Due after" not in section and "Done already" not in section
    assert section.index("Due the day before") < section.index("Due that day")
