"""Reading a member organization's spreadsheet of people, saved as CSV: which columns it has
(in any case, order or spacing, in English or Spanish), in which dialect (Excel's `;` one
too), and its lines with their numbers as a spreadsheet shows them. Pure: no database."""

from __future__ import annotations

import csv
import enum
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from hub.common.errors import InputError
from hub.infrastructure.search import folded

# Within the API's request limit (HUB_MAX_REQUEST_BYTES, 1 MiB by default) for most files: a
# 5,000-row file is about 600 KB.
MAX_BYTES = 1024 * 1024
MAX_ROWS = 10_000
COLUMNS = ("name", "email", "phone", "organization", "role", "language")
REQUIRED_COLUMNS = ("name", "email")
# What a header cell may say for each column, folded and without spaces or punctuation.
_ALIASES = {
    "name": ("name", "fullname", "nombre", "nombrecompleto", "nombreyapellido"),
    "email": ("email", "emailaddress", "mail", "correo", "correoelectronico"),
    "phone": ("phone", "phonenumber", "telephone", "mobile", "cell", "telefono", "celular"),
    "organization": ("organization", "organisation", "org", "group", "organizacion", "grupo"),
    "role": ("role", "rol"),
    "language": ("language", "preferredlanguage", "lang", "idioma", "lengua"),
}
HEADER_NAMES = {alias: column for column, aliases in _ALIASES.items() for alias in aliases}
DELIMITERS = ",;\t"
_NOT_A_LETTER = re.compile(r"[^0-9a-z]+")


class PeopleImportCode(enum.StrEnum):
    """Why a file is refused as a whole, or why one of its rows is skipped."""

    # The file
    EMPTY_FILE = "EMPTY_FILE"
    NOT_TEXT = "NOT_TEXT"
    TOO_LARGE = "TOO_LARGE"
    TOO_MANY_ROWS = "TOO_MANY_ROWS"
    MALFORMED = "MALFORMED"
    NO_HEADER = "NO_HEADER"
    MISSING_COLUMNS = "MISSING_COLUMNS"
    DUPLICATE_COLUMN = "DUPLICATE_COLUMN"
    NO_ROWS = "NO_ROWS"
    PREVIEW_TAMPERED = "PREVIEW_TAMPERED"
    PREVIEW_STALE = "PREVIEW_STALE"
    CONCURRENT_CHANGE = "CONCURRENT_CHANGE"
    # A row
    MISSING_NAME = "MISSING_NAME"
    INVALID_NAME = "INVALID_NAME"
    MISSING_EMAIL = "MISSING_EMAIL"
    INVALID_EMAIL = "INVALID_EMAIL"
    DUPLICATE_EMAIL = "DUPLICATE_EMAIL"
    INVALID_PHONE = "INVALID_PHONE"
    UNKNOWN_ORGANIZATION = "UNKNOWN_ORGANIZATION"
    AMBIGUOUS_ORGANIZATION = "AMBIGUOUS_ORGANIZATION"
    ARCHIVED_ORGANIZATION = "ARCHIVED_ORGANIZATION"
    UNKNOWN_ROLE = "UNKNOWN_ROLE"
    ROLE_WITHOUT_ORGANIZATION = "ROLE_WITHOUT_ORGANIZATION"
    UNKNOWN_LANGUAGE = "UNKNOWN_LANGUAGE"
    TOO_LONG = "TOO_LONG"


Code = PeopleImportCode


class _Reader(Iterator[list[str]], Protocol):
    line_num: int


@dataclass(frozen=True)
class Line:
    """One row of the file: its first line's number in the file (the header is line 1), and
    each known column's cell, trimmed ("" when empty or missing)."""

    number: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass(frozen=True)
class Table:
    lines: list[Line]
    columns: list[str]
    ignored_columns: list[str]


def decode(data: bytes) -> str:
    """An uploaded file's text: UTF-8 (with or without Excel's byte order mark), UTF-16 with
    its mark (Excel's "Unicode text"), else the Windows code page Excel saves "CSV" in."""
    for encoding in _encodings(data):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:  # no text file holds NUL; a binary one does
            return text
        break
    raise _file_error(Code.NOT_TEXT, "The file is not text: save it as CSV.")


def _encodings(data: bytes) -> tuple[str, ...]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)
    return ("utf-8-sig", "cp1252")


def read_table(text: str) -> Table:
    """The file's rows under its header; InputError (field "csv") for a file that cannot be
    read as a whole."""
    text = text.removeprefix("\ufeff")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _file_error(Code.TOO_LARGE, f"The file is larger than {MAX_BYTES // 1024} KB.")
    if not text.strip():
        raise _file_error(Code.EMPTY_FILE, "The file is empty.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        cells = _first_row(reader)
        columns = _columns(cells)
        lines = _lines(reader, columns)
    except csv.Error as error:
        message = f"Line {reader.line_num} cannot be read as CSV: {error}."
        raise _file_error(Code.MALFORMED, message) from error
    if not lines:
        raise _file_error(Code.NO_ROWS, "The file has a header but no rows.")
    return Table(
        lines=lines,
        columns=[column for column in columns if column],
        ignored_columns=[cell for cell, column in zip(cells, columns, strict=True) if not column],
    )


def _delimiter(text: str) -> str:
    """The header line's delimiter: a comma, Excel's semicolon (where the comma is a
    decimal separator) or a tab."""
    first = next((line for line in text[:8192].splitlines() if line.strip()), "")
    try:
        return csv.Sniffer().sniff(first, delimiters=DELIMITERS).delimiter
    except csv.Error:
        return ","


def _first_row(reader: _Reader) -> list[str]:
    for cells in reader:
        if any(cell.strip() for cell in cells):
            return [cell.strip() for cell in cells]
    raise _file_error(Code.EMPTY_FILE, "The file is empty.")


def _columns(cells: list[str]) -> list[str | None]:
    """The column each header cell names (None for a column the import ignores)."""
    columns = [HEADER_NAMES.get(_NOT_A_LETTER.sub("", folded(cell))) for cell in cells]
    if not any(columns) and any("@" in cell for cell in cells):
        raise _file_error(
            Code.NO_HEADER,
            "The first line holds data: it must name the columns (name, email, ...).",
        )
    named = [column for column in columns if column]
    if twice := sorted({column for column in named if named.count(column) > 1}):
        raise _file_error(Code.DUPLICATE_COLUMN, f"Two columns are named {twice[0]}.")
    if missing := [column for column in REQUIRED_COLUMNS if column not in named]:
        raise _file_error(
            Code.MISSING_COLUMNS,
            f"The file needs the columns {', '.join(REQUIRED_COLUMNS)}; "
            f"it lacks {', '.join(missing)}.",
        )
    return columns


def _lines(reader: _Reader, columns: list[str | None]) -> list[Line]:
    """The rows under the header, blank ones skipped; at most MAX_ROWS."""
    lines: list[Line] = []
    ended_at = reader.line_num
    for cells in reader:
        number, ended_at = ended_at + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(lines) == MAX_ROWS:
            raise _file_error(Code.TOO_MANY_ROWS, f"The file has more than {MAX_ROWS} rows.")
        found = zip(columns, cells, strict=False)
        lines.append(Line(number, {column: cell.strip() for column, cell in found if column}))
    return lines


def _file_error(code: Code, message: str) -> InputError:
    return InputError("csv", code, message)
