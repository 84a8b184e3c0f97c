"""PostgreSQL expressions that write values exactly as the normal path's Python does: global
ids, ISO datetimes, and keyset cursors (base64 of compact JSON, not ASCII-escaped)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Text,
    case,
    cast,
    func,
    literal_column,
)

from hub.infrastructure.pagination import stored_python_type
from hub.interfaces.graphql.compiled.builder import text_literal

NEWLINE = func.chr(literal_column("10"))


def base64(text: ColumnElement[str]) -> ColumnElement[str]:
    """Python's base64.b64encode: PostgreSQL's adds a newline every 76 characters."""
    encoded = func.encode(func.convert_to(text, text_literal("UTF8")), text_literal("base64"))
    return func.replace(encoded, NEWLINE, text_literal(""))


def global_id(type_name: str, primary_key: ColumnElement[int]) -> ColumnElement[str]:
    """hub.interfaces.graphql.node.to_global_id in SQL."""
    return base64(text_literal(f"{type_name}:").concat(cast(primary_key, Text)))


def iso_datetime(
    value: ColumnElement[datetime], zone: ColumnElement[str] | None = None
) -> ColumnElement[str]:
    """datetime.isoformat() of the aware value the model gives back, in UTC (offset +00:00)
    or, as `value.astimezone(ZoneInfo(zone))`, in an IANA zone: microseconds only when there
    are some. Written for few to_char calls (they dominate the cost of a list's JSON): one
    for the date and time, one for the offset, a third only for offsets with seconds."""
    utc = func.timezone(text_literal("UTC"), value)
    local = utc if zone is None else func.timezone(zone, value)
    whole_seconds = func.date_trunc(text_literal("second"), local) == local
    stamp = case(
        (whole_seconds, func.to_char(local, text_literal('YYYY-MM-DD"T"HH24:MI:SS'))),
        else_=func.to_char(local, text_literal('YYYY-MM-DD"T"HH24:MI:SS.US')),
    )
    offset = text_literal("+00:00") if zone is None else _utc_offset(local, utc)
    return stamp.concat(offset)


def _utc_offset(local: ColumnElement[Any], utc: ColumnElement[Any]) -> ColumnElement[str]:
    """Python's isoformat of an offset: +HH:MM, with :SS only when there are seconds.
    (to_char of a negative interval signs every field, so it formats the distance.)"""
    ahead = local >= utc
    hours_minutes = case(
        (ahead, text_literal("+").concat(func.to_char(local - utc, text_literal("HH24:MI")))),
        else_=text_literal("-").concat(func.to_char(utc - local, text_literal("HH24:MI"))),
    )
    whole_minutes = func.date_trunc(text_literal("minute"), local - utc) == local - utc
    distance = case((ahead, local - utc), else_=utc - local)
    seconds = case(
        (whole_minutes, text_literal("")),
        else_=text_literal(":").concat(func.to_char(distance, text_literal("SS"))),
    )
    return hours_minutes.concat(seconds)


def cursor(keys: list[ColumnElement[Any]]) -> ColumnElement[str]:
    """hub.infrastructure.pagination.encode_cursor in SQL: urlsafe base64 of the compact JSON sort
    key."""
    parts = [_cursor_value(key) for key in keys]
    array = text_literal("[")
    for index, part in enumerate(parts):
        array = array.concat(text_literal(",") if index else text_literal("")).concat(part)
    encoded = base64(array.concat(text_literal("]")))
    return func.translate(encoded, text_literal("+/"), text_literal("-_"))


def _cursor_value(key: ColumnElement[Any]) -> ColumnElement[str]:
    python_type = stored_python_type(key)
    if python_type is datetime:
        return text_literal('{"t":"').concat(iso_datetime(key)).concat(text_literal('"}'))
    if python_type is int:
        return cast(key, Text)
    if python_type is str:
        return cast(func.to_json(key), Text)  # Python's json.dumps(ensure_ascii=False)
    raise TypeError(f"no cursor encoding for {python_type}")
