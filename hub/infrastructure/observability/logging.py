"""Log lines as JSON (HUB_LOG_FORMAT=json, for a log shipper) or as readable text, each carrying
the id of the request it was written for, from wherever in the code it was written."""

from __future__ import annotations

import logging
import re
import secrets
from contextvars import ContextVar
from typing import Any

from hub.infrastructure.config import LogFormat

# An incoming X-Request-ID is kept when it is a plain token (a proxy's or a client's id, to
# follow one request across systems); anything else is replaced, so that no header can put
# quotes, spaces or line breaks into a log line or a response header.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(levelname)s %(name)s %(message)s %(request_id)s"


def request_id_from(incoming: str | None) -> str:
    if incoming is not None and SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return secrets.token_hex(16)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (`missing` outside any request)."""

    def __init__(self, missing: str | None = None) -> None:
        super().__init__()
        self.missing = missing

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or self.missing
        return True


def logging_config(log_format: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A dictConfig for the hub's processes; uvicorn applies it in each of its workers."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter, "missing": None if log_format == "json" else "-"}
        },
        "formatters": {"hub": _formatter(log_format)},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "hub",
                "filters": ["request_id"],
            }
        },
        "root": {"level": level, "handlers": ["console"]},
        # uvicorn's own lines go through the same handler, as JSON too.
        "loggers": {"uvicorn": {"level": level, "handlers": [], "propagate": True}},
    }


def _formatter(log_format: LogFormat) -> dict[str, Any]:
    if log_format == "text":
        return {"format": TEXT_FORMAT}
    return {
        "()": "pythonjsonlogger.json.JsonFormatter",
        "fmt": JSON_FIELDS,
        "rename_fields": {"levelname": "level", "name": "logger"},
        # ISO 8601 in UTC, whatever the host's zone: what log shippers parse without help.
        "timestamp": "time",
    }
