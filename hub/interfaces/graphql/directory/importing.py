"""Importing people from a spreadsheet's CSV file: the format an admin prepares, a preview that
writes nothing, and the import itself. Thin over hub.domains.directory.importing."""

from __future__ import annotations

from typing import Annotated

import strawberry

from hub.access.auth.secret import signing_secret
from hub.access.permissions import directory as rules
from hub.common.errors import InputError
from hub.domains.directory import import_file
from hub.domains.directory import importing as service
from hub.domains.directory.import_file import PeopleImportCode
from hub.domains.directory.importing import RowStatus
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.errors import UserError
from hub.interfaces.graphql.mutation import attempt

Info = strawberry.Info[Context, None]

strawberry.enum(
    PeopleImportCode,
    name="PeopleImportCode",
    description="Why a file is refused as a whole, or why one of its rows is skipped.",
)
strawberry.enum(
    RowStatus,
    name="PeopleImportRowStatus",
    description="What importing a row does: CREATE, UPDATE, nothing (UNCHANGED), or skips it "
    "(ERROR).",
)


@strawberry.type(description="What an import file holds: its columns and its limits.")
class PeopleImportFormat:
    columns: list[str] = strawberry.field(
        description="The columns read, in English; their Spanish names are accepted too."
    )
    required_columns: list[str]
    max_rows: int
    max_bytes: int


@strawberry.input
class PreviewPeopleImportInput:
    csv: str = strawberry.field(description="The file's text: a header line, then a row each.")


@strawberry.input
class ImportPeopleInput:
    csv: str = strawberry.field(description="The file's text, as previewed.")
    preview_token: str | None = strawberry.field(
        default=None,
        description="The preview's token: the import then refuses a file that is not the "
        "previewed one, and a preview older than an hour.",
    )


@strawberry.type(description="A mistake in an import file or one of its rows.")
class PeopleImportError(UserError):
    code: PeopleImportCode


@strawberry.type(description="How many of the file's rows each status has.")
class PeopleImportCounts:
    rows: int
    create: int
    update: int
    unchanged: int
    error: int


@strawberry.type(
    description="A row of the file as the import reads it (a value it cannot read stays as "
    "the file has it)."
)
class PeopleImportRow:
    line: int = strawberry.field(description="Its line in the file; the header is line 1.")
    status: RowStatus
    problems: list[PeopleImportError] = strawberry.field(
        description="Why an ERROR row is skipped: one for each cell at fault."
    )
    changes: list[str] = strawberry.field(
        description="What an UPDATE changes: name, phone, language, organization (a new "
        "affiliation) or role."
    )
    name: str
    email: str
    phone: str | None
    organization: str | None = strawberry.field(description="As the directory names it.")
    role: str | None
    language: str | None

    @classmethod
    def from_row(cls, row: service.ImportRow) -> PeopleImportRow:
        return cls(
            line=row.line,
            status=row.status,
            problems=_errors(row.problems),
            changes=list(row.changes),
            name=row.name,
            email=row.email,
            phone=row.phone,
            organization=row.organization,
            role=row.role,
            language=row.language,
        )


RowsStatus = Annotated[
    RowStatus | None, strawberry.argument(description="Only the rows of this status.")
]
RowsFirst = Annotated[int | None, strawberry.argument(description="At most this many rows.")]


@strawberry.type
class _PlanPayload:
    plan: strawberry.Private[service.ImportPlan | None]
    errors: list[PeopleImportError]

    @strawberry.field(description="Null when the file is refused as a whole.")
    def counts(self) -> PeopleImportCounts | None:
        if self.plan is None:
            return None
        counts = self.plan.counts
        return PeopleImportCounts(
            rows=counts.rows,
            create=counts.create,
            update=counts.update,
            unchanged=counts.unchanged,
            error=counts.error,
        )

    @strawberry.field(description="The rows in file order; ask by status for the errors alone.")
    def rows(self, status: RowsStatus = None, first: RowsFirst = None) -> list[PeopleImportRow]:
        rows = self.plan.rows if self.plan else []
        chosen = [row for row in rows if status is None or row.status == status]
        return [PeopleImportRow.from_row(row) for row in chosen[: _limit(first)]]

    @strawberry.field(description="Header cells naming no column the import reads.")
    def ignored_columns(self) -> list[str]:
        return list(self.plan.ignored_columns) if self.plan else []


def _limit(first: int | None) -> int | None:
    return None if first is None else max(first, 0)


@strawberry.type
class PreviewPeopleImportPayload(_PlanPayload):
    preview_token: str | None = strawberry.field(
        description="Give it to importPeople with the same file."
    )


@strawberry.type
class ImportPeoplePayload(_PlanPayload):
    pass


def _errors(errors: list[InputError]) -> list[PeopleImportError]:
    return [PeopleImportError(field=e.field, code=e.code, message=e.message) for e in errors]  # type: ignore[arg-type]


@strawberry.type
class PeopleImportQuery:
    @strawberry.field(description="The columns and limits of an import file. Admins only.")
    def people_import_format(self, info: Info) -> PeopleImportFormat:
        rules.require_people_import(info.context.viewer)
        return PeopleImportFormat(
            columns=list(import_file.COLUMNS),
            required_columns=list(import_file.REQUIRED_COLUMNS),
            max_rows=import_file.MAX_ROWS,
            max_bytes=import_file.MAX_BYTES,
        )


@strawberry.type
class PeopleImportMutation:
    @strawberry.mutation(
        description="What importing a CSV file of people would do, row by row. Writes "
        "nothing. Admins only."
    )
    async def preview_people_import(
        self, info: Info, input: PreviewPeopleImportInput
    ) -> PreviewPeopleImportPayload:
        context = info.context
        plan, errors = await attempt(
            context,
            lambda: service.preview_people_import(context.session, context.viewer, input.csv),
        )
        token = None
        if plan is not None:
            secret = await signing_secret(context.session, context.settings.secret_key)
            token = service.preview_token(input.csv, secret=secret, now=utcnow())
        return PreviewPeopleImportPayload(plan=plan, errors=_errors(errors), preview_token=token)

    @strawberry.mutation(
        description="Imports a CSV file of people: every valid row, in one transaction (all "
        "or nothing); rows in error are skipped and reported. Importing a file again changes "
        "nothing. Admins only."
    )
    async def import_people(self, info: Info, input: ImportPeopleInput) -> ImportPeoplePayload:
        context = info.context
        rules.require_people_import(context.viewer)
        secret = await signing_secret(context.session, context.settings.secret_key)
        plan, errors = await attempt(
            context,
            lambda: service.import_people(
                context.session,
                context.viewer,
                input.csv,
                now=utcnow(),
                secret=secret,
                preview_token=input.preview_token,
            ),
        )
        return ImportPeoplePayload(plan=plan, errors=_errors(errors))
