"""The DateTime scalar: ISO 8601 in, isoformat out, and only times every layer can hold.

A time within a day of the calendar's ends (year 1, year 9999) has no UTC equivalent at some
offset or zone, and would fail in the service, the driver or the database rather than be
refused; every DateTime argument, on both read paths, is parsed here."""

from __future__ import annotations

from datetime import UTC, datetime

import dateutil.parser
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.types.scalar import ScalarDefinition

EARLIEST = datetime(1, 1, 2)
LATEST = datetime(9999, 12, 30, 23, 59, 59, 999999)
OUT_OF_RANGE = "A DateTime must be an ISO 8601 date and time between 0001-01-02 and 9999-12-30."


def parse_datetime(value: object) -> datetime:
    if not isinstance(value, str):
        raise _refused(value, "Expected a string.")
    try:
        parsed = dateutil.parser.isoparse(value)
        wall = parsed.replace(tzinfo=None)
        utc = parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else wall
    except (ValueError, OverflowError) as error:
        raise _refused(value, str(error)) from None
    if not (EARLIEST <= wall <= LATEST and EARLIEST <= utc <= LATEST):
        raise _refused(value)
    return parsed


def _refused(value: object, detail: str = "") -> StrawberryInputCoercionError:
    shown = str(value)[:40]
    return StrawberryInputCoercionError(
        f'Value cannot represent a DateTime: "{shown}". {OUT_OF_RANGE} {detail}'.rstrip()
    )


def _isoformat(value: datetime) -> str:
    return value.isoformat()


DateTime = ScalarDefinition(
    name="DateTime",
    description="Date with time (isoformat)",
    specified_by_url=None,
    serialize=_isoformat,
    parse_value=parse_datetime,
    parse_literal=None,
    origin=datetime,
)

SCALAR_OVERRIDES = {datetime: DateTime}
