"""Importing people and their affiliations from a member organization's spreadsheet.

A preview reads the file and the directory and classifies each row (CREATE, UPDATE,
UNCHANGED or ERROR, with the reasons) and writes nothing. The import reads and classifies
the same file again, as the directory stands then, and writes every valid row in the
caller's one transaction: all or nothing. People are matched by email, any case;
organizations by name or slug, accents and case folded. Re-importing a file changes nothing.

Imports take turns (an advisory lock on PostgreSQL; SQLite's writers already do), so two
imports of one file at once create each person once: the second finds them UNCHANGED."""

from __future__ import annotations

import enum
import functools
import hashlib
import hmac
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import directory as rules
from hub.common.errors import InputError
from hub.domains.directory import validation
from hub.domains.directory.errors import DirectoryErrorCode
from hub.domains.directory.import_file import MAX_ROWS, Line, PeopleImportCode, Table, read_table
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import Affiliation, Organization, Person
from hub.infrastructure.models.directory import AffiliationRole, Language
from hub.infrastructure.search import folded

Code = PeopleImportCode
T = TypeVar("T")
IMPORTED = "people.imported"
# A preview older than this is stale: the admin previews again before importing.
PREVIEW_LIFETIME = timedelta(hours=1)
# Rows per SELECT ... IN (...): well under both databases' limits on bound parameters.
CHUNK = 1000
NAME_LENGTH = 200

ROLE_NAMES = {
    **{role.value.lower(): role for role in AffiliationRole},
    "contacto": AffiliationRole.CONTACT,
    "personal": AffiliationRole.STAFF,
    "lider": AffiliationRole.LEADER,
    "miembro": AffiliationRole.MEMBER,
    "integrante": AffiliationRole.MEMBER,
}
LANGUAGE_NAMES = {
    **{name: Language.EN for name in ("en", "eng", "english", "ingles")},
    **{name: Language.ES for name in ("es", "spa", "spanish", "espanol", "castellano")},
}
# What a directory check's code means in a row.
_ROW_CODES: dict[tuple[str, enum.Enum], PeopleImportCode] = {
    ("name", DirectoryErrorCode.REQUIRED): Code.MISSING_NAME,
    ("name", DirectoryErrorCode.TOO_LONG): Code.TOO_LONG,
    ("name", DirectoryErrorCode.INVALID_CHARACTERS): Code.INVALID_NAME,
    ("email", DirectoryErrorCode.INVALID_EMAIL): Code.INVALID_EMAIL,
    ("phone", DirectoryErrorCode.INVALID): Code.INVALID_PHONE,
}


class RowStatus(enum.StrEnum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    UNCHANGED = "UNCHANGED"
    ERROR = "ERROR"


@dataclass
class ImportRow:
    """One row of the file, classified. The values are the row's as the import reads them
    (the email normalized, the organization's name as the directory has it, the role and
    language as codes); a value it cannot read stays as the file has it."""

    line: int
    status: RowStatus
    name: str
    email: str
    phone: str | None
    organization: str | None
    role: str | None
    language: str | None
    problems: list[InputError] = field(default_factory=list)
    # What an UPDATE changes: among name, phone, language, organization (a new affiliation)
    # and role (of an existing affiliation).
    changes: list[str] = field(default_factory=list)
    person: Person | None = None
    person_id: int | None = None
    organization_id: int | None = None
    affiliation: Affiliation | None = None


@dataclass(frozen=True)
class ImportCounts:
    rows: int
    create: int
    update: int
    unchanged: int
    error: int


@dataclass
class ImportPlan:
    rows: list[ImportRow]
    ignored_columns: list[str]

    @property
    def counts(self) -> ImportCounts:
        by_status = Counter(row.status for row in self.rows)
        return ImportCounts(
            rows=len(self.rows),
            create=by_status[RowStatus.CREATE],
            update=by_status[RowStatus.UPDATE],
            unchanged=by_status[RowStatus.UNCHANGED],
            error=by_status[RowStatus.ERROR],
        )

    def having(self, status: RowStatus) -> list[ImportRow]:
        return [row for row in self.rows if row.status == status]


async def preview_people_import(session: AsyncSession, viewer: Viewer, csv: str) -> ImportPlan:
    """What importing the file would do; writes nothing."""
    rules.require_people_import(viewer)
    return await _plan(session, read_table(csv), lock=False)


async def import_people(
    session: AsyncSession,
    viewer: Viewer,
    csv: str,
    *,
    now: datetime,
    secret: str,
    preview_token: str | None = None,
) -> ImportPlan:
    """Writes every valid row of the file (classified again, as the directory stands now) in
    the session's transaction; the plan says what was done. With the token of a preview,
    refuses a file that is not the previewed one, or a preview older than PREVIEW_LIFETIME."""
    rules.require_people_import(viewer)
    if preview_token is not None:
        check_preview_token(csv, preview_token, secret=secret, now=now)
    table = read_table(csv)
    await _take_turns(session)
    plan = await _plan(session, table, lock=True)
    try:
        async with session.begin_nested():
            await _write(session, plan)
    except IntegrityError as error:
        # Someone added one of these people by another way since the rows were read.
        raise InputError(
            "csv",
            Code.CONCURRENT_CHANGE,
            "The directory changed while importing; nothing was imported. Try again.",
        ) from error
    counts = plan.counts
    if counts.create or counts.update:
        detail = f"{counts.create} created, {counts.update} updated, {counts.error} skipped"
        await record_audit(
            session, action=IMPORTED, actor_id=viewer.person_id, detail=detail, now=now
        )
    return plan


def preview_token(csv: str, *, secret: str, now: datetime) -> str:
    """A seal on the previewed file and the time of its preview, for the import to check."""
    issued = str(int(now.timestamp()))
    return f"{issued}.{_seal(csv, issued, secret)}"


def check_preview_token(csv: str, token: str, *, secret: str, now: datetime) -> None:
    issued, _, seal = token.partition(".")
    readable = issued.isascii() and issued.isdigit() and len(issued) <= 12
    expected = _seal(csv, issued, secret).encode()
    if not readable or not hmac.compare_digest(seal.encode(), expected):
        raise InputError(
            "previewToken",
            Code.PREVIEW_TAMPERED,
            "This is not the file that was previewed: preview it again.",
        )
    age = now - datetime.fromtimestamp(int(issued), now.tzinfo)
    if not timedelta(minutes=-5) <= age <= PREVIEW_LIFETIME:
        raise InputError(
            "previewToken", Code.PREVIEW_STALE, "The preview is too old: preview the file again."
        )


def _seal(csv: str, issued: str, secret: str) -> str:
    digest = hashlib.sha256(csv.encode("utf-8")).hexdigest()
    message = f"people-import:{issued}:{digest}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


async def _take_turns(session: AsyncSession) -> None:
    # Until the transaction ends: the next import reads the rows this one wrote.
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('people-import'))"))


async def _plan(session: AsyncSession, table: Table, *, lock: bool) -> ImportPlan:
    organizations = await _organization_index(session)
    rows = [_read_row(line, organizations) for line in table.lines]
    _refuse_repeated_emails(rows)
    people = await _people_by_email(
        session, {row.email for row in rows if row.status != RowStatus.ERROR}, lock=lock
    )
    affiliations = await _affiliations_of(session, [p.id for p in people.values()], lock=lock)
    for row in rows:
        if row.status != RowStatus.ERROR:
            _classify(row, people.get(row.email), affiliations)
    return ImportPlan(rows=rows, ignored_columns=table.ignored_columns)


@dataclass(frozen=True)
class _OrganizationIndex:
    """Organizations by their folded name and slug; a name two share matches neither.
    Archived organizations are apart: a row naming one is refused, saying so."""

    by_key: dict[str, list[Organization]]
    archived: dict[str, list[Organization]]

    def find(self, typed: str) -> list[Organization]:
        return self.by_key.get(_key(typed), [])

    def is_archived(self, typed: str) -> bool:
        return _key(typed) in self.archived


def _key(text: str) -> str:
    return " ".join(folded(text).split())


async def _organization_index(session: AsyncSession) -> _OrganizationIndex:
    index = _OrganizationIndex(by_key={}, archived={})
    for organization in await session.scalars(select(Organization).order_by(Organization.id)):
        keys = index.by_key if organization.archived_at is None else index.archived
        for key in {_key(organization.name), _key(organization.slug)}:
            keys.setdefault(key, []).append(organization)
    return index


def _read_row(line: Line, organizations: _OrganizationIndex) -> ImportRow:
    row = ImportRow(
        line=line.number,
        status=RowStatus.CREATE,
        name=line["name"],
        email=line["email"],
        phone=line["phone"] or None,
        organization=line["organization"] or None,
        role=line["role"] or None,
        language=line["language"] or None,
    )
    _check(row, "name", lambda: validation.required_name("name", row.name, NAME_LENGTH))
    _check(row, "email", lambda: _email(row.email))
    _check(row, "phone", lambda: validation.phone(row.phone))
    _check(row, "organization", lambda: _organization(row, organizations))
    _check(row, "role", lambda: _role(row))
    _check(row, "language", lambda: _language(row.language))
    if row.problems:
        row.status = RowStatus.ERROR
    return row


def _check(row: ImportRow, column: str, check: Callable[[], object]) -> None:
    """Keeps the check's reading of the cell, or the row's problem with it."""
    try:
        value = check()
    except InputError as error:
        code = _ROW_CODES.get((column, error.code), error.code)
        row.problems.append(InputError(column, code, error.message))
        return
    setattr(row, column, value)


def _email(typed: str) -> str:
    if not typed:
        raise InputError("email", Code.MISSING_EMAIL, "Give the person's email.")
    return _valid_email(typed)


@functools.lru_cache(maxsize=2 * MAX_ROWS)
def _valid_email(typed: str) -> str:
    """createPerson's check, remembered: most of an import's time is spent in it, and the
    import reads again the addresses its preview read (a refused one is checked anew)."""
    return validation.email(typed)


def _organization(row: ImportRow, organizations: _OrganizationIndex) -> str | None:
    if row.organization is None:
        return None
    found = organizations.find(row.organization)
    if not found and organizations.is_archived(row.organization):
        raise InputError(
            "organization",
            Code.ARCHIVED_ORGANIZATION,
            f"{row.organization!r} is archived: it takes no new people.",
        )
    if not found:
        raise InputError(
            "organization",
            Code.UNKNOWN_ORGANIZATION,
            f"No organization in the directory is named {row.organization!r}.",
        )
    if len(found) > 1:
        raise InputError(
            "organization",
            Code.AMBIGUOUS_ORGANIZATION,
            f"{len(found)} organizations go by {row.organization!r}: give the slug.",
        )
    row.organization_id = found[0].id
    return found[0].name


def _role(row: ImportRow) -> str | None:
    if row.role is None:
        return None
    role = ROLE_NAMES.get(_key(row.role))
    if role is None:
        choices = ", ".join(role.value for role in AffiliationRole)
        raise InputError("role", Code.UNKNOWN_ROLE, f"Give the role as one of {choices}.")
    if row.organization is None:
        raise InputError(
            "role", Code.ROLE_WITHOUT_ORGANIZATION, "A role needs the organization it is in."
        )
    return role.value


def _language(typed: str | None) -> str | None:
    if typed is None:
        return None
    language = LANGUAGE_NAMES.get(_key(typed))
    if language is None:
        raise InputError("language", Code.UNKNOWN_LANGUAGE, "Give the language as en or es.")
    return language.value


def _refuse_repeated_emails(rows: list[ImportRow]) -> None:
    """A person has one row: an email's later rows are skipped, naming the first."""
    first_line: dict[str, int] = {}
    for row in rows:
        if row.status == RowStatus.ERROR:
            continue
        if row.email in first_line:
            row.status = RowStatus.ERROR
            row.problems.append(
                InputError(
                    "email",
                    Code.DUPLICATE_EMAIL,
                    f"Line {first_line[row.email]} has this email already.",
                )
            )
        else:
            first_line[row.email] = row.line


def _chunks(values: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


async def _people_by_email(
    session: AsyncSession, emails: set[str], *, lock: bool
) -> dict[str, Person]:
    found: dict[str, Person] = {}
    for chunk in _chunks(sorted(emails)):
        statement = select(Person).where(Person.email.in_(chunk)).order_by(Person.id)
        for person in await session.scalars(statement.with_for_update() if lock else statement):
            found[person.email] = person
    return found


async def _affiliations_of(
    session: AsyncSession, person_ids: list[int], *, lock: bool
) -> dict[tuple[int, int], Affiliation]:
    found: dict[tuple[int, int], Affiliation] = {}
    for chunk in _chunks(sorted(person_ids)):
        statement = select(Affiliation).where(Affiliation.person_id.in_(chunk))
        statement = statement.order_by(Affiliation.id)
        for row in await session.scalars(statement.with_for_update() if lock else statement):
            found[(row.person_id, row.organization_id)] = row
    return found


def _classify(
    row: ImportRow,
    person: Person | None,
    affiliations: dict[tuple[int, int], Affiliation],
) -> None:
    if person is None:
        row.status = RowStatus.CREATE
        return
    row.person, row.person_id = person, person.id
    if person.name != row.name:
        row.changes.append("name")
    if row.phone is not None and person.phone != row.phone:
        row.changes.append("phone")
    if row.language is not None and person.preferred_language != row.language:
        row.changes.append("language")
    if row.organization_id is not None:
        row.affiliation = affiliations.get((person.id, row.organization_id))
        if row.affiliation is None:
            row.changes.append("organization")
        elif row.role is not None and row.affiliation.role != row.role:
            row.changes.append("role")
    row.status = RowStatus.UPDATE if row.changes else RowStatus.UNCHANGED


async def _write(session: AsyncSession, plan: ImportPlan) -> None:
    """A few multi-row statements, whatever the file's length: the new people (their ids
    come back by email), the changed people and affiliations (the unit of work batches
    them, and the models' hooks run), then the new affiliations."""
    created = plan.having(RowStatus.CREATE)
    updated = plan.having(RowStatus.UPDATE)
    ids = await _insert_people(session, created)
    for row in created:
        row.person_id = ids[row.email]
    for row in updated:
        _update(row)
    await session.flush()
    joining = [
        row for row in created + updated if row.organization_id is not None and not row.affiliation
    ]
    if joining:
        await session.execute(insert(Affiliation), [_new_affiliation(row) for row in joining])


async def _insert_people(session: AsyncSession, rows: list[ImportRow]) -> dict[str, int]:
    if not rows:
        return {}
    statement = insert(Person).returning(Person.id, Person.email)
    inserted = await session.execute(statement, [_new_person(row) for row in rows])
    return {email: person_id for person_id, email in inserted}


def _new_person(row: ImportRow) -> dict[str, object]:
    return {
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "preferred_language": Language(row.language or Language.EN),
    }


def _update(row: ImportRow) -> None:
    person = row.person
    assert person is not None
    if "name" in row.changes:
        person.name = row.name
    if "phone" in row.changes:
        person.phone = row.phone
    if "language" in row.changes and row.language is not None:
        person.preferred_language = Language(row.language)
    if "role" in row.changes and row.affiliation is not None and row.role is not None:
        row.affiliation.role = AffiliationRole(row.role)
    if "organization" in row.changes:
        # A guest who joins an organization is a guest no more (as hub/domains/guests/attach.py).
        person.is_guest = False


def _new_affiliation(row: ImportRow) -> dict[str, object]:
    return {
        "person_id": row.person_id,
        "organization_id": row.organization_id,
        "role": AffiliationRole(row.role or AffiliationRole.MEMBER),
    }
