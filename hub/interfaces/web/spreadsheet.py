"""CSV for spreadsheets, written in this one place: UTF-8 with a byte-order mark (so
spreadsheet programs keep names like "Noemí Peña" intact), and no cell a spreadsheet would run.

A cell beginning with `=`, `+`, `-`, `@` (and `|`, `%`) is a formula to Excel, LibreOffice and
Google Sheets; one beginning with a tab or a carriage return may become one once the program
trims it. defusedcsv opens the first kind with an apostrophe (which spreadsheets show as text,
not as part of the value) and leaves numbers alone, negative ones included: `-5` runs
nothing. The second kind it does not know, so it is opened the same way here."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from defusedcsv import csv

Cell = str | int
TRIMMED_BY_SPREADSHEETS = ("\t", "\r")


def spreadsheet_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_untrimmed(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _untrimmed(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(TRIMMED_BY_SPREADSHEETS):
        return "'" + cell
    return cell
