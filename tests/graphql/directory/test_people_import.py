"""The people import over HTTP: previewPeopleImport classifies the rows and writes nothing
(every table counted before and after); importPeople writes the valid rows and refuses a file
that cannot be read, or that is not the previewed one, changing nothing."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from hub.infrastructure.models import Affiliation, Base, Person
from hub.infrastructure.models.directory import AffiliationRole
from tests.factories import affiliate, create_admin, create_organization, create_person

PREVIEW = """
mutation ($input: PreviewPeopleImportInput!) {
  previewPeopleImport(input: $input) {
    counts { rows create update unchanged error }
    rows { line status changes name email phone organization role language
           problems { field code message } }
    errorRows: rows(status: ERROR, first: 1) { line }
    ignoredColumns
    previewToken
    errors { field code message }
  }
}
"""

IMPORT = """
mutation ($input: ImportPeopleInput!) {
  importPeople(input: $input) {
    counts { rows create update unchanged error }
    rows(status: ERROR) { line problems { field code } }
    errors { field code message }
  }
}
"""

FORMAT = "{ peopleImportFormat { columns requiredColumns maxRows maxBytes } }"

CSV = (
    "Nombre;Correo;Teléfono;Organización;Rol;Idioma;Notas\r\n"
    "Ana Ruiz;ana@scope.org;+1 555 0101;SCOPE;líder;es;first\r\n"
    "Bo Li;BO@scope.org;;scope;staff;;\r\n"
    "Cy;not-an-email;;;;;\r\n"
)


async def table_counts(session: AsyncSession) -> dict[str, int]:
    """The number of rows of every table of the hub."""
    counts = {}
    for table in Base.metadata.sorted_tables:
        counts[table.name] = int(await session.scalar(select(func.count()).select_from(table)) or 0)
    await session.commit()  # SQLite: a reading session holds the write lock until it ends
    return counts


async def directory(session: AsyncSession) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        text(
            "SELECT p.email, p.name, p.phone, p.preferred_language, p.updated_at, "
            "a.organization_id, a.role, a.updated_at FROM people p "
            "LEFT JOIN affiliations a ON a.person_id = p.id ORDER BY p.email"
        )
    )
    found = [tuple(row) for row in rows]
    await session.commit()
    return found


async def arrange(session: AsyncSession) -> tuple[Person, int]:
    admin = await create_admin(session, email="staff@alliance.org")
    scope = await create_organization(session, name="SCOPE", slug="scope")
    bo = await create_person(session, name="Bo Li", email="bo@scope.org")
    await affiliate(session, bo, scope, AffiliationRole.MEMBER)
    await session.commit()
    return admin, scope.id


async def test_a_preview_reads_every_row_and_writes_nothing(session, gql):
    # Given an admin, SCOPE and one of its people, and a first request already answered (so
    # the admin's rate-limit budget has its row)
    admin, _ = await arrange(session)
    await gql.data(FORMAT, as_=admin)
    counts, people = await table_counts(session), await directory(session)

    # When the admin previews a file
    data = await gql.data(PREVIEW, {"input": {"csv": CSV}}, as_=admin)

    # Then each row is classified, with the values as read
    payload = data["previewPeopleImport"]
    assert payload["errors"] == []
    assert payload["counts"] == {"rows": 3, "create": 1, "update": 1, "unchanged": 0, "error": 1}
    assert payload["rows"] == [
        {
            "line": 2,
            "status": "CREATE",
            "changes": [],
            "name": "Ana Ruiz",
            "email": "ana@scope.org",
            "phone": "+1 555 0101",
            "organization": "SCOPE",
            "role": "LEADER",
            "language": "es",
            "problems": [],
        },
        {
            "line": 3,
            "status": "UPDATE",
            "changes": ["role"],
            "name": "Bo Li",
            "email": "bo@scope.org",
            "phone": None,
            "organization": "SCOPE",
            "role": "STAFF",
            "language": None,
            "problems": [],
        },
        {
            "line": 4,
            "status": "ERROR",
            "changes": [],
            "name": "Cy",
            "email": "not-an-email",
            "phone": None,
            "organization": None,
            "role": None,
            "language": None,
            "problems": [
                {
                    "field": "email",
                    "code": "INVALID_EMAIL",
                    "message": payload["rows"][2]["problems"][0]["message"],
                }
            ],
        },
    ]
    assert payload["rows"][2]["problems"][0]["message"].startswith("That email address is not")
    assert payload["errorRows"] == [{"line": 4}]
    assert payload["ignoredColumns"] == ["Notas"]
    assert payload["previewToken"]
    # and no table gained or lost a row, and the directory is as it was
    assert await table_counts(session) == counts
    assert await directory(session) == people


async def test_the_previewed_file_imports_once(session, gql):
    # Given a preview of the file
    admin, scope_id = await arrange(session)
    preview = await gql.data(PREVIEW, {"input": {"csv": CSV}}, as_=admin)
    token = preview["previewPeopleImport"]["previewToken"]

    # When it is imported with the preview's token, twice (a double submit)
    given = {"input": {"csv": CSV, "previewToken": token}}
    first = (await gql.data(IMPORT, given, as_=admin))["importPeople"]
    people = await directory(session)
    second = (await gql.data(IMPORT, given, as_=admin))["importPeople"]

    # Then the first wrote the valid rows and the second found them all unchanged
    assert first["errors"] == second["errors"] == []
    assert first["counts"] == {"rows": 3, "create": 1, "update": 1, "unchanged": 0, "error": 1}
    assert second["counts"] == {"rows": 3, "create": 0, "update": 0, "unchanged": 2, "error": 1}
    assert first["rows"] == [{"line": 4, "problems": [{"field": "email", "code": "INVALID_EMAIL"}]}]
    assert [(p[0], p[1], p[2], p[5], p[6]) for p in people] == [
        ("ana@scope.org", "Ana Ruiz", "+1 555 0101", scope_id, "LEADER"),
        ("bo@scope.org", "Bo Li", None, scope_id, "STAFF"),
        ("staff@alliance.org", people[2][1], None, None, None),
    ]
    assert await directory(session) == people


REFUSED = {
    "an empty file": ("", "EMPTY_FILE"),
    "no header": ("ana@x.org;Ana\r\n", "NO_HEADER"),
    "wrong columns": ("first,last,phone\r\nAna,Ruiz,555\r\n", "MISSING_COLUMNS"),
    "too many rows": ("name,email\n" + "A,a@x.org\n" * 10_001, "TOO_MANY_ROWS"),
}


@pytest.mark.parametrize("case", REFUSED)
async def test_a_file_that_cannot_be_read_is_refused_and_changes_nothing(session, gql, case):
    admin, _ = await arrange(session)
    await gql.data(FORMAT, as_=admin)
    counts, people = await table_counts(session), await directory(session)
    csv, code = REFUSED[case]
    for document, name, given in (
        (PREVIEW, "previewPeopleImport", {"csv": csv}),
        (IMPORT, "importPeople", {"csv": csv}),
    ):
        payload = (await gql.data(document, {"input": given}, as_=admin))[name]
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("csv", code)]
        assert payload["counts"] is None
        assert payload["rows"] == []
    assert await table_counts(session) == counts
    assert await directory(session) == people


async def test_a_file_other_than_the_previewed_one_is_refused(session, gql):
    admin, _ = await arrange(session)
    preview = await gql.data(PREVIEW, {"input": {"csv": CSV}}, as_=admin)
    token = preview["previewPeopleImport"]["previewToken"]
    people = await directory(session)
    changed = CSV.replace("Ana Ruiz", "Eve Ruiz")
    for seal in (token, "1.forged", ""):
        given = {"input": {"csv": changed, "previewToken": seal}}
        payload = (await gql.data(IMPORT, given, as_=admin))["importPeople"]
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [
            ("previewToken", "PREVIEW_TAMPERED")
        ]
    assert await directory(session) == people
    count = await session.scalar(select(func.count()).select_from(Affiliation))
    assert count == 1


async def test_the_format_names_the_columns_and_limits(session, gql):
    admin, _ = await arrange(session)
    data = await gql.data(FORMAT, as_=admin)
    assert data["peopleImportFormat"] == {
        "columns": ["name", "email", "phone", "organization", "role", "language"],
        "requiredColumns": ["name", "email"],
        "maxRows": 10_000,
        "maxBytes": 1024 * 1024,
    }
