"""A 5,000-row file over HTTP: previewed and imported in a few bulk statements, not one a row;
a failure while writing row 4,000 leaves nothing written; and two imports of one file at once
create each person once."""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.domains.directory import importing
from hub.infrastructure.models import Affiliation, AuditEvent, Person
from hub.interfaces.runtime import Runtime
from tests.directory.people_files import create_organizations, csv_text, people_rows
from tests.factories import create_admin
from tests.graphql.directory.test_people_import import FORMAT, IMPORT, PREVIEW, table_counts

ROWS = 5_000
FAILING_ROW = 4_000
# Reading the directory, writing the people and then the affiliations: a few statements
# (multi-row, or batches of them), never one a row.
AT_MOST_STATEMENTS = 60


async def arrange(session: AsyncSession) -> tuple[Person, str]:
    admin = await create_admin(session, email="staff@alliance.org")
    organizations = await create_organizations(session)
    await session.commit()
    return admin, csv_text(people_rows(ROWS, [o.name for o in organizations]))


async def counted(session: AsyncSession) -> tuple[int, int, int]:
    people = await session.scalar(select(func.count()).select_from(Person))
    affiliations = await session.scalar(select(func.count()).select_from(Affiliation))
    audit = await session.scalar(select(func.count()).select_from(AuditEvent))
    await session.commit()
    return int(people or 0), int(affiliations or 0), int(audit or 0)


async def test_5000_rows_preview_and_import_in_a_few_statements(session, gql, statements):
    # Given 44 organizations and a file of 5,000 of their people
    admin, csv = await arrange(session)

    # When the admin previews it, then imports it
    statements.statements.clear()
    preview = await gql.data(PREVIEW, {"input": {"csv": csv}}, as_=admin)
    previewing = statements.count
    statements.statements.clear()
    imported = await gql.data(IMPORT, {"input": {"csv": csv}}, as_=admin)
    importing = statements.count

    # Then every row was to be created, and was, in a few statements each time
    created = {"rows": ROWS, "create": ROWS, "update": 0, "unchanged": 0, "error": 0}
    assert preview["previewPeopleImport"]["counts"] == created
    assert imported["importPeople"]["counts"] == created
    assert previewing <= AT_MOST_STATEMENTS, statements.statements
    assert importing <= AT_MOST_STATEMENTS, collections.Counter(
        s[:60] for s in statements.statements
    ).most_common(5)
    assert await counted(session) == (ROWS + 1, ROWS, 1)


def _most_common(statements: list[str]) -> list[tuple[str, int]]:
    return collections.Counter(s[:60] for s in statements).most_common(5)


@contextmanager
def failing_at(row_number: int, how: str, runtime: Runtime) -> Iterator[None]:
    """Writing the file's row `row_number` fails, after the rows before it were written in
    the same multi-row statements: its affiliation names an organization that is no more
    (the database refuses it), or a hook on the database's statements raises as the batch of
    people holding it is sent."""
    email = people_rows(row_number)[-1][1]
    planned = importing._plan

    async def with_a_vanished_organization(*args: Any, **kwargs: Any) -> importing.ImportPlan:
        plan = await planned(*args, **kwargs)
        plan.rows[row_number - 1].organization_id = 2_000_000_000
        return plan

    def crash(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith("INSERT INTO people") and email in parameters:
            raise RuntimeError("a hook failed while saving a person")

    engine = runtime.engine.sync_engine
    if how == "constraint":
        importing._plan = with_a_vanished_organization  # type: ignore[assignment]
    else:
        event.listen(engine, "before_cursor_execute", crash)
    try:
        yield
    finally:
        importing._plan = planned  # type: ignore[assignment]
        if how != "constraint":
            event.remove(engine, "before_cursor_execute", crash)


@pytest.mark.parametrize("how", ["constraint", "hook"])
async def test_a_failure_at_row_4000_of_5000_leaves_nothing_written(
    session, gql, runtime, statements, how
):
    # Given a file of 5,000 people
    admin, csv = await arrange(session)
    await gql.data(FORMAT, as_=admin)  # the admin's rate-limit budget gets its row
    before = await table_counts(session)

    # When writing its row 4,000 fails
    statements.statements.clear()
    with failing_at(FAILING_ROW, how, runtime):
        body = await gql(IMPORT, {"input": {"csv": csv}}, as_=admin)

    # Then the import says so, and no table holds a row more than before
    if how == "constraint":
        payload = body["data"]["importPeople"]
        assert [e["code"] for e in payload["errors"]] == ["CONCURRENT_CHANGE"]
        assert payload["counts"] is None
    else:
        assert body["data"] is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL_SERVER_ERROR"]
    # after the rows before it were sent
    inserts = [s for s in statements.statements if s.startswith("INSERT INTO")]
    assert len(inserts) > 1, inserts
    after = await table_counts(session)
    assert {t: n for t, n in after.items() if n != before[t]} == {}
    # and the same file then imports whole
    imported = await gql.data(IMPORT, {"input": {"csv": csv}}, as_=admin)
    assert imported["importPeople"]["counts"]["create"] == ROWS


async def test_two_imports_of_one_file_at_once_create_each_person_once(session, gql):
    # Given a file of 300 people
    admin = await create_admin(session, email="staff@alliance.org")
    organizations = await create_organizations(session)
    await session.commit()
    csv = csv_text(people_rows(300, [o.name for o in organizations]))

    # When two admins' imports of it run at the same moment
    answers = await asyncio.gather(
        *(gql.data(IMPORT, {"input": {"csv": csv}}, as_=admin) for _ in range(2))
    )

    # Then one created everyone and the other found everyone unchanged
    counts = sorted(
        (a["importPeople"]["counts"]["create"], a["importPeople"]["counts"]["unchanged"])
        for a in answers
    )
    assert counts == [(0, 300), (300, 0)]
    emails = await session.scalars(
        select(Person.email).group_by(Person.email).having(func.count() > 1)
    )
    assert list(emails) == []
    assert await counted(session) == (301, 300, 1)


async def test_5000_changed_rows_update_in_a_few_statements(session, gql, statements):
    # Given 5,000 people imported, and the file again with every phone and role changed
    admin, csv = await arrange(session)
    await gql.data(IMPORT, {"input": {"csv": csv}}, as_=admin)
    changed = csv.replace("+1 555 ", "+1 556 ").replace(",MEMBER,", ",LEADER,")

    # When it is imported
    statements.statements.clear()
    imported = await gql.data(IMPORT, {"input": {"csv": changed}}, as_=admin)

    # Then every row was updated, in a few statements
    counts = imported["importPeople"]["counts"]
    assert counts == {"rows": ROWS, "create": 0, "update": ROWS, "unchanged": 0, "error": 0}
    assert statements.count <= AT_MOST_STATEMENTS, _most_common(statements.statements)
    phones = await session.scalars(select(Person.phone).where(Person.phone.like("+1 556 %")))
    assert len(list(phones)) == ROWS
    await session.commit()
