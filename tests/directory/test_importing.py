"""Importing people from a spreadsheet, through the service: each row's classification and
reasons, the dialects spreadsheets save in, what an import writes, and that a second import
of the same file changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import Forbidden
from hub.common.errors import InputError
from hub.domains.directory import importing
from hub.domains.directory.import_file import MAX_BYTES, MAX_ROWS, decode
from hub.infrastructure.models import Affiliation, AuditEvent, Person
from hub.infrastructure.models.directory import AffiliationRole, Language
from tests.factories import affiliate, create_admin, create_organization, create_person

NOW = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
SECRET = "s" * 40
HEADER = "name,email,phone,organization,role,language\r\n"


async def admin(session: AsyncSession) -> Viewer:
    person = await create_admin(session, email="staff@alliance.org")
    return Viewer(person_id=person.id, is_admin=True)


async def preview(session: AsyncSession, viewer: Viewer, csv: str) -> importing.ImportPlan:
    return await importing.preview_people_import(session, viewer, csv)


async def run_import(session: AsyncSession, viewer: Viewer, csv: str) -> importing.ImportPlan:
    return await importing.import_people(session, viewer, csv, now=NOW, secret=SECRET)


def outline(plan: importing.ImportPlan) -> list[tuple[int, str, list[tuple[str, str]]]]:
    return [
        (row.line, row.status.value, [(p.field or "", p.code.value) for p in row.problems])
        for row in plan.rows
    ]


async def directory_state(session: AsyncSession) -> tuple[list[tuple], list[tuple]]:
    """Everyone but the admin, and every affiliation."""
    people = await session.execute(
        select(Person.email, Person.name, Person.phone, Person.preferred_language)
        .where(Person.email != "staff@alliance.org")
        .order_by(Person.email)
    )
    affiliations = await session.execute(
        select(Person.email, Affiliation.organization_id, Affiliation.role)
        .join(Person, Person.id == Affiliation.person_id)
        .order_by(Person.email, Affiliation.organization_id)
    )
    return [tuple(r) for r in people], [tuple(r) for r in affiliations]


async def test_each_row_is_classified_with_its_reasons(session):
    # Given an admin, two organizations, and people already in the directory
    viewer = await admin(session)
    scope = await create_organization(session, name="SCOPE", slug="scope")
    await create_organization(session, name="Álvarez Center", slug="alvarez-center")
    known = await create_person(
        session, name="Ana Ruiz", email="ana@scope.org", phone="+1 555 0101"
    )
    await affiliate(session, known, scope, AffiliationRole.LEADER)
    moved = await create_person(session, name="Bo Li", email="bo@scope.org")
    await affiliate(session, moved, scope, AffiliationRole.MEMBER)
    await create_person(session, name="Cy Old Name", email="cy@scope.org")
    csv = HEADER + (
        "Ana Ruiz,ANA@scope.org,+1 555 0101,scope,leader,\r\n"  # 2 unchanged (any case)
        "Bo Li,bo@scope.org,,SCOPE,staff,\r\n"  # 3 update: role
        "Cy New Name,cy@scope.org,555 0102,,,es\r\n"  # 4 update: name, phone, language
        "Di Nuevo,di@x.org,,alvarez center,contact,ES\r\n"  # 5 create (accents folded)
        ",nobody@x.org,,,,\r\n"  # 6 missing name
        "Ed,not-an-email,,,,\r\n"  # 7 invalid email
        "Fa,,,,,\r\n"  # 8 missing email
        "Gi,gi@x.org,call me,,,\r\n"  # 9 invalid phone
        "Hu,hu@x.org,,Nowhere Org,,\r\n"  # 10 unknown organization
        "Io,io@x.org,,SCOPE,boss,\r\n"  # 11 unknown role
        "Jo,jo@x.org,,,,klingon\r\n"  # 12 unknown language
        "Ka,ka@x.org,,,leader,\r\n"  # 13 a role without an organization
        "Di Again,DI@x.org,,,,\r\n"  # 14 the email of line 5 again
        "Lu\x07,bad,,Nowhere,,\r\n"  # 15 every mistake at once
    )

    # When the admin previews the file
    plan = await preview(session, viewer, csv)

    # Then each row has its status and its reasons, cell by cell
    assert outline(plan) == [
        (2, "UNCHANGED", []),
        (3, "UPDATE", []),
        (4, "UPDATE", []),
        (5, "CREATE", []),
        (6, "ERROR", [("name", "MISSING_NAME")]),
        (7, "ERROR", [("email", "INVALID_EMAIL")]),
        (8, "ERROR", [("email", "MISSING_EMAIL")]),
        (9, "ERROR", [("phone", "INVALID_PHONE")]),
        (10, "ERROR", [("organization", "UNKNOWN_ORGANIZATION")]),
        (11, "ERROR", [("role", "UNKNOWN_ROLE")]),
        (12, "ERROR", [("language", "UNKNOWN_LANGUAGE")]),
        (13, "ERROR", [("role", "ROLE_WITHOUT_ORGANIZATION")]),
        (14, "ERROR", [("email", "DUPLICATE_EMAIL")]),
        (
            15,
            "ERROR",
            [
                ("name", "INVALID_NAME"),
                ("email", "INVALID_EMAIL"),
                ("organization", "UNKNOWN_ORGANIZATION"),
            ],
        ),
    ]
    rows = {row.line: row for row in plan.rows}
    assert rows[3].changes == ["role"]
    assert rows[4].changes == ["name", "phone", "language"]
    assert rows[14].problems[0].message == "Line 5 has this email already."
    # and the values as the import reads them: the email normalized, the directory's name
    assert (rows[5].email, rows[5].organization, rows[5].role, rows[5].language) == (
        "di@x.org",
        "Álvarez Center",
        "CONTACT",
        "es",
    )
    assert plan.counts == importing.ImportCounts(rows=14, create=1, update=2, unchanged=1, error=10)


async def test_an_import_writes_the_valid_rows_and_a_second_changes_nothing(session):
    # Given an admin, an organization and a person already in it
    viewer = await admin(session)
    scope = await create_organization(session, name="SCOPE", slug="scope")
    known = await create_person(session, name="Bo Li", email="bo@scope.org", phone="555 0100")
    await affiliate(session, known, scope, AffiliationRole.MEMBER)
    csv = HEADER + (
        "Ana Ruiz,ana@scope.org,+1 555 0101,SCOPE,leader,es\r\n"
        "Bo Li,bo@scope.org,,SCOPE,staff,\r\n"
        "Cy,cy@x.org,,,,\r\n"
        "Bad,bad,,,,\r\n"
    )

    # When the file is imported
    plan = await run_import(session, viewer, csv)

    # Then the new person is there with their affiliation, the role changed, the phone kept
    assert plan.counts == importing.ImportCounts(rows=4, create=2, update=1, unchanged=0, error=1)
    people, affiliations = await directory_state(session)
    assert people == [
        ("ana@scope.org", "Ana Ruiz", "+1 555 0101", Language.ES),
        ("bo@scope.org", "Bo Li", "555 0100", Language.EN),
        ("cy@x.org", "Cy", None, Language.EN),
    ]
    assert affiliations == [
        ("ana@scope.org", scope.id, AffiliationRole.LEADER),
        ("bo@scope.org", scope.id, AffiliationRole.STAFF),
    ]
    audit = (await session.scalars(select(AuditEvent))).all()
    assert [(e.action, e.detail) for e in audit] == [
        ("people.imported", "2 created, 1 updated, 1 skipped")
    ]

    # When the same file is imported again
    again = await run_import(session, viewer, csv)

    # Then every valid row is unchanged and nothing was written
    assert again.counts == importing.ImportCounts(rows=4, create=0, update=0, unchanged=3, error=1)
    assert await directory_state(session) == (people, affiliations)
    assert await session.scalar(select(func.count()).select_from(AuditEvent)) == 1


SPREADSHEET_SAVES = {
    "comma, LF": "name,email,organization\nAna,ana@x.org,SCOPE\n",
    "comma, CRLF, UTF-8 BOM": "\ufeffname,email,organization\r\nAna,ana@x.org,SCOPE\r\n",
    "Excel's semicolons": "\ufeffName;E-mail;Organization\r\nAna;ana@x.org;SCOPE\r\n",
    "tabs": "name\temail\torganization\nAna\tana@x.org\tSCOPE\n",
    "any case, spaces, order": " ORGANIZATION , Email Address ,Full Name\nSCOPE,ana@x.org,Ana\n",
    "Spanish headers": "Nombre;Correo electrónico;Organización;Teléfono;Rol;Idioma\r\n"
    "Ana;ana@x.org;SCOPE;;;\r\n",
    "quoted cells": '"name","email","organization"\r\n"Ana","ana@x.org","SCOPE"\r\n',
    "blank lines and an ignored column": "name,email,notes,organization\n\n,,,\n"
    "Ana,ana@x.org,hi,SCOPE\n\n",
}


@pytest.mark.parametrize("save", SPREADSHEET_SAVES)
async def test_every_way_a_spreadsheet_saves_csv_reads_alike(session, save):
    # Given an organization, and a file as a spreadsheet saved it
    viewer = await admin(session)
    await create_organization(session, name="SCOPE", slug="scope")

    # When it is previewed
    plan = await preview(session, viewer, SPREADSHEET_SAVES[save])

    # Then it holds one person to create, in SCOPE
    [row] = plan.rows
    assert (row.status, row.name, row.email, row.organization) == (
        importing.RowStatus.CREATE,
        "Ana",
        "ana@x.org",
        "SCOPE",
    )


async def test_a_cell_on_several_lines_keeps_its_first_lines_number(session):
    viewer = await admin(session)
    csv = 'name,email\n"Ana\nRuiz",ana@x.org\nBo,bo@x.org\n'
    plan = await preview(session, viewer, csv)
    assert outline(plan) == [(2, "ERROR", [("name", "INVALID_NAME")]), (4, "CREATE", [])]


REFUSED_FILES = {
    "": "EMPTY_FILE",
    "\ufeff \r\n\r\n": "EMPTY_FILE",
    "ana@x.org,Ana\n": "NO_HEADER",
    "given name,surname,mail\nAna,Ruiz,ana@x.org\n": "MISSING_COLUMNS",
    "name,email,Email\nAna,a@x.org,b@x.org\n": "DUPLICATE_COLUMN",
    "name,email\r\n": "NO_ROWS",
    "name,email\n" + "x" * (MAX_BYTES + 1): "TOO_LARGE",
    "name,email\n" + "a,a@x.org\n" * (MAX_ROWS + 1): "TOO_MANY_ROWS",
    'name,email\n"' + "x" * 140_000 + '",a@x.org\n': "MALFORMED",
}


@pytest.mark.parametrize("csv", REFUSED_FILES, ids=list(REFUSED_FILES.values()))
async def test_a_file_that_cannot_be_read_is_refused_as_a_whole(session, csv):
    viewer = await admin(session)
    for attempt in (preview, run_import):
        with pytest.raises(InputError) as refused:
            await attempt(session, viewer, csv)
        assert (refused.value.field, refused.value.code) == ("csv", REFUSED_FILES[csv])
    assert await session.scalar(select(func.count()).select_from(Person)) == 1


async def test_an_organization_matches_by_name_or_slug_unless_two_share_the_name(session):
    viewer = await admin(session)
    await create_organization(session, name="Muñoz Workers", slug="munoz-workers")
    await create_organization(session, name="Unity", slug="unity-la")
    await create_organization(session, name="Unity", slug="unity-sf")
    csv = (
        "name,email,organization\n"
        "A,a@x.org,MUNOZ   workers\nB,b@x.org,munoz-workers\nC,c@x.org,unity\nD,d@x.org,unity-sf\n"
    )
    plan = await preview(session, viewer, csv)
    assert outline(plan) == [
        (2, "CREATE", []),
        (3, "CREATE", []),
        (4, "ERROR", [("organization", "AMBIGUOUS_ORGANIZATION")]),
        (5, "CREATE", []),
    ]
    assert [row.organization for row in plan.rows] == [
        "Muñoz Workers",
        "Muñoz Workers",
        "unity",
        "Unity",
    ]


async def test_spanish_roles_and_languages_are_read(session):
    viewer = await admin(session)
    await create_organization(session, name="SCOPE")
    csv = "nombre,correo,organización,rol,idioma\nA,a@x.org,SCOPE,Líder,Español\n"
    [row] = (await preview(session, viewer, csv)).rows
    assert (row.status, row.role, row.language) == (importing.RowStatus.CREATE, "LEADER", "es")


async def test_a_preview_token_refuses_another_file_and_an_old_preview(session):
    viewer = await admin(session)
    csv = "name,email\nAna,ana@x.org\n"
    token = importing.preview_token(csv, secret=SECRET, now=NOW)
    cases = [
        (csv.replace("Ana,", "Eve,"), token, NOW, "PREVIEW_TAMPERED"),
        (csv, token.replace(".", ".0"), NOW, "PREVIEW_TAMPERED"),
        (csv, "garbage", NOW, "PREVIEW_TAMPERED"),
        (csv, "²." + token.split(".")[1], NOW, "PREVIEW_TAMPERED"),
        (csv, "9" * 20 + "." + token.split(".")[1], NOW, "PREVIEW_TAMPERED"),
        (csv, token + "é", NOW, "PREVIEW_TAMPERED"),
        (csv, token, NOW + timedelta(hours=2), "PREVIEW_STALE"),
    ]
    for given, seal, now, code in cases:
        with pytest.raises(InputError) as refused:
            await importing.import_people(
                session, viewer, given, now=now, secret=SECRET, preview_token=seal
            )
        assert refused.value.code == code
    assert await session.scalar(select(func.count()).select_from(Person)) == 1
    plan = await importing.import_people(
        session, viewer, csv, now=NOW + timedelta(minutes=5), secret=SECRET, preview_token=token
    )
    assert plan.counts.create == 1


async def test_only_admins_preview_or_import(session):
    member = await create_person(session)
    csv = "name,email\nAna,ana@x.org\n"
    for viewer in (Viewer(person_id=member.id), Viewer(client_id="peer")):
        with pytest.raises(Forbidden):
            await preview(session, viewer, csv)
        with pytest.raises(Forbidden):
            await run_import(session, viewer, csv)
    assert await session.scalar(select(func.count()).select_from(Person)) == 1


UPLOADS = {
    "UTF-8": "name,email\nÁna Peña,ana@x.org\n".encode(),
    "UTF-8 with a byte order mark": "name,email\nÁna Peña,ana@x.org\n".encode("utf-8-sig"),
    "Excel's Windows code page": "name;email\r\nÁna Peña;ana@x.org\r\n".encode("cp1252"),
    "Excel's Unicode text (UTF-16, tabs)": "name\temail\r\nÁna Peña\tana@x.org\r\n".encode(
        "utf-16"
    ),
}


@pytest.mark.parametrize("upload", UPLOADS)
async def test_an_uploaded_file_reads_in_the_encodings_spreadsheets_save(session, upload):
    viewer = await admin(session)
    [row] = (await preview(session, viewer, decode(UPLOADS[upload]))).rows
    assert (row.status, row.name) == (importing.RowStatus.CREATE, "Ána Peña")


@pytest.mark.parametrize("data", [b"\x81\x8d\x8f", b"PK\x03\x04\x00\x00", b"\xff\xfe\x00\xd8"])
def test_a_file_that_is_not_text_is_refused(data):
    with pytest.raises(InputError) as refused:
        decode(data)
    assert (refused.value.field, refused.value.code) == ("csv", "NOT_TEXT")


async def test_an_archived_organization_takes_no_one_and_a_guest_who_joins_one_is_a_member(
    session,
):
    # Given an archived organization, a live one, and a guest from a public convening
    viewer = await admin(session)
    await create_organization(session, name="Old Coalition", archived_at=NOW)
    await create_organization(session, name="SCOPE")
    guest = await create_person(session, name="Gia Guest", email="gia@x.org", is_guest=True)
    csv = "name,email,organization\nAna,ana@x.org,Old Coalition\nGia Guest,gia@x.org,SCOPE\n"

    # When the file is imported
    plan = await run_import(session, viewer, csv)

    # Then the archived organization's row is refused, and the guest is attached
    assert outline(plan) == [
        (2, "ERROR", [("organization", "ARCHIVED_ORGANIZATION")]),
        (3, "UPDATE", []),
    ]
    await session.refresh(guest)
    assert guest.is_guest is False


async def test_imported_and_renamed_people_are_found_by_the_folded_search(session):
    # Given a person whose name the file changes, and a new one
    viewer = await admin(session)
    await create_person(session, name="Jose Pena", email="jose@x.org")
    csv = "name,email\nJosé Peña,jose@x.org\nÁlvaro Muñoz,alvaro@x.org\n"

    # When it is imported
    await run_import(session, viewer, csv)

    # Then both carry their folded names, as any other write path leaves them
    rows = await session.execute(
        select(Person.name, Person.search_text)
        .where(Person.email.in_(["jose@x.org", "alvaro@x.org"]))
        .order_by(Person.email)
    )
    assert [tuple(r) for r in rows] == [
        ("Álvaro Muñoz", "alvaro munoz"),
        ("José Peña", "jose pena"),
    ]
