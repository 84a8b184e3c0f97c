"""One Jinja2 environment per language, with gettext and Babel's dates and numbers."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache, partial
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_name
from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader

from hub.shipped import FRONTEND
from hub.web.pages.i18n import translations

TEMPLATES = FRONTEND / "templates"


def _moment(
    value: str | datetime, zone: str | tzinfo, style: str = "full", *, language: str
) -> str:
    """A moment written in `zone` (a convening's own zone or the reader's), zone named."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    local = when.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone)
    day = format_date(local, "full" if style == "full" else "medium", locale=language)
    zone_name = get_timezone_name(local, "long" if style == "full" else "short", locale=language)
    return f"{day}, {format_time(local, 'short', locale=language)} ({zone_name})"


def _day(value: str, zone: str, *, language: str) -> str:
    return format_date(
        datetime.fromisoformat(value).astimezone(ZoneInfo(zone)), "full", locale=language
    )


def _time(value: str, zone: str, *, language: str) -> str:
    return format_time(
        datetime.fromisoformat(value).astimezone(ZoneInfo(zone)), "short", locale=language
    )


@cache
def environment(language: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        moment=partial(_moment, language=language),
        day=partial(_day, language=language),
        clock=partial(_time, language=language),
        number=partial(format_decimal, locale=language),
        percent=partial(format_percent, locale=language),
    )
    return env


def render_template(language: str, name: str, values: dict[str, Any]) -> str:
    return environment(language).get_template(name).render(values, lang=language)
