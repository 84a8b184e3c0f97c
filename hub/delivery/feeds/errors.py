"""Error codes of calendar feeds, shown to API clients as `CalendarErrorCode`."""

import enum


class CalendarErrorCode(enum.StrEnum):
    UNKNOWN_ORGANIZATION = "UNKNOWN_ORGANIZATION"
