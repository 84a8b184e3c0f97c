"""Importing people from a spreadsheet (/manage/import, admins): upload a CSV file, see what
importing it would do row by row, then import the valid rows. The preview form carries the
file back (base64, so no browser rewrites its line ends) with the preview's token, which the
import checks: a changed or stale preview is refused. Importing twice writes once: the second
import finds every row unchanged, and says so."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.common.errors import InputError
from hub.domains.directory import import_file
from hub.interfaces.web.pages.messages import N_
from hub.interfaces.web.pages.page import Page, page_endpoint

PATH = "/manage/import"
PREVIEW_PATH = "/manage/import/preview"
# Rows of each status the preview lists (their counts are always whole).
SHOWN = 500
# The preview's form carries the file back as base64 (4/3 of its size); the request bodies of
# these two routes may hold a file a little over the limit, so its error shows on the page.
FIELD_BYTES = 2 * import_file.MAX_BYTES
BODY_LIMITS = {PATH: 3 * import_file.MAX_BYTES, PREVIEW_PATH: 3 * import_file.MAX_BYTES}

IMPORTED = N_("The import is done.")
NOTHING_CHANGED = N_(
    "Nothing changed: every valid row already matches the directory. "
    "This file may have been imported already."
)

# Why a file or a row is refused, in words for a person (the templates translate them).
REASONS = {
    "REQUIRED": N_("Choose a CSV file."),
    "EMPTY_FILE": N_("The file is empty."),
    "NOT_TEXT": N_("This is not a CSV file: in your spreadsheet, save it as CSV."),
    "TOO_LARGE": N_("The file is too large: split it into smaller files."),
    "TOO_MANY_ROWS": N_("The file has too many rows: split it into smaller files."),
    "MALFORMED": N_("The file cannot be read as CSV: save it again as CSV."),
    "NO_HEADER": N_("The first line must name the columns: name, email, phone, ..."),
    "MISSING_COLUMNS": N_("The file needs a name column and an email column."),
    "DUPLICATE_COLUMN": N_("Two columns have the same name."),
    "NO_ROWS": N_("The file has a header line but no people."),
    "PREVIEW_TAMPERED": N_("This is not the file that was previewed. Upload it again."),
    "PREVIEW_STALE": N_("The preview is more than an hour old. Upload the file again."),
    "CONCURRENT_CHANGE": N_(
        "Someone changed the directory during the import; nothing was imported. Try again."
    ),
    "MISSING_NAME": N_("The name is missing."),
    "INVALID_NAME": N_("The name holds characters that cannot be shown (a line break?)."),
    "TOO_LONG": N_("The name is too long."),
    "MISSING_EMAIL": N_("The email is missing."),
    "INVALID_EMAIL": N_("The email is not a valid address."),
    "DUPLICATE_EMAIL": N_("An earlier row has this email: one row per person."),
    "INVALID_PHONE": N_("The phone may hold digits, spaces and + - ( ) only."),
    "UNKNOWN_ORGANIZATION": N_("No organization in the directory has this name."),
    "AMBIGUOUS_ORGANIZATION": N_("Several organizations have this name: give its slug."),
    "ARCHIVED_ORGANIZATION": N_("This organization is archived: it takes no new people."),
    "UNKNOWN_ROLE": N_("The role must be contact, staff, leader or member."),
    "ROLE_WITHOUT_ORGANIZATION": N_("A role needs an organization."),
    "UNKNOWN_LANGUAGE": N_("The language must be en or es."),
}


@page_endpoint
async def import_page(page: Page) -> Response:
    return await _upload_form(page)


@page_endpoint
async def preview(page: Page) -> Response:
    form = await page.form(max_part_size=FIELD_BYTES)
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await _upload_form(page, 422, errors={"file": "REQUIRED"})
    try:
        csv = import_file.decode(await upload.read())
    except InputError as error:
        return await _upload_form(page, 422, errors={"file": error.code.value})
    finally:
        await upload.close()
    variables = {"csv": csv, "shown": SHOWN}
    payload = (await page.query("previewPeopleImport", variables))["previewPeopleImport"]
    if payload["errors"]:
        return await _upload_form(page, 422, errors={"file": payload["errors"][0]["code"]})
    return await _render(
        page,
        preview=payload,
        filename=upload.filename,
        content=base64.b64encode(csv.encode("utf-8")).decode("ascii"),
    )


@page_endpoint
async def run_import(page: Page) -> Response:
    form = await page.form(max_part_size=FIELD_BYTES)
    csv = _carried(str(form.get("content") or ""))
    variables = {
        "csv": csv if csv is not None else "",
        "previewToken": str(form.get("previewToken") or ""),
        "shown": SHOWN,
    }
    payload = (await page.query("importPeople", variables))["importPeople"]
    if payload["errors"]:
        return await _upload_form(page, 422, errors={"file": payload["errors"][0]["code"]})
    counts = payload["counts"]
    changed = counts["create"] + counts["update"]
    return await _render(
        page,
        result=payload,
        filename=str(form.get("filename") or ""),
        status=IMPORTED if changed else NOTHING_CHANGED,
    )


def _carried(content: str) -> str | None:
    """The file the preview form carried back; None when it was altered past reading (the
    import then refuses it as not the previewed file)."""
    try:
        return base64.b64decode(content, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


async def _upload_form(page: Page, status_code: int = 200, **values: Any) -> Response:
    return await _render(page, status_code, **values)


async def _render(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("peopleImportFormat")
    return await page.render(
        "people_import.html",
        status_code,
        format=data["peopleImportFormat"],
        reasons=REASONS,
        shown=SHOWN,
        **values,
    )


def routes() -> list[BaseRoute]:
    return [
        Route(PATH, import_page, methods=["GET"]),
        Route(PREVIEW_PATH, preview, methods=["POST"]),
        Route(PATH, run_import, methods=["POST"]),
    ]
