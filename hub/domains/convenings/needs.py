"""What planners must provide for those GOING to a convening (`Convening.needsTotals`), as rows
of SQL beside the convening's: interpretation and access needs counted, notes in the order
given. Who may see them is `hub.access.permissions.convenings.needs_totals_visible`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Subquery, func, literal, select, true
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import GenericFunction

from hub.infrastructure.models import Convening, Rsvp
from hub.infrastructure.models.convenings import RsvpStatus

GOING = Rsvp.status == literal(RsvpStatus.GOING.value)


class json_strings(GenericFunction[Any]):
    """The strings of a JSON array as rows of one `value` column (SQLite's json_each)."""

    name = "json_each"
    inherit_cache = True


@compiles(json_strings, "postgresql")
def _json_strings_on_postgres(element: json_strings, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_array_elements_text({compiler.process(element.clauses, **kw)})"


def _counted(value: Any, name: str, *where: Any, tables: Any = Rsvp) -> Subquery:
    """Those GOING, per convening and `value` (labelled `name`), with how many gave it."""
    return (
        select(Rsvp.convening_id, value.label(name), func.count().label("count"))
        .select_from(tables)
        .where(GOING, *where)
        .group_by(Rsvp.convening_id, value)
        .subquery(f"{name}_counts")
    )


def _notes(column: Any) -> Subquery:
    return (
        select(Rsvp.convening_id, Rsvp.id, column.label("note"))
        .where(GOING, column != "")
        .subquery(f"{column.key}s")
    )


_needs = json_strings(Rsvp.accessibility).table_valued("value")

LANGUAGES = _counted(Rsvp.interpretation_language, "language", Rsvp.interpretation_language != "")
ACCESSIBILITY = _counted(_needs.c.value, "need", tables=Rsvp.__table__.join(_needs, true()))
ACCESSIBILITY_NOTES = _notes(Rsvp.accessibility_note)
DIETARY_NOTES = _notes(Rsvp.dietary)
CHILDCARE_PLACES: ColumnElement[int] = (
    select(func.coalesce(func.sum(Rsvp.childcare_count), 0))
    .where(Rsvp.convening_id == Convening.id, GOING)
    .scalar_subquery()
)
