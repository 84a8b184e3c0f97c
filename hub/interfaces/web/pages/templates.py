"""One Jinja2 environment per language, with gettext and Babel's dates and numbers."""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import cache, partial
from typing import Any

from babel.numbers import format_decimal, format_percent
from jinja2 import Environment, FileSystemLoader

from hub.common.rendering.markdown import markdown_html
from hub.delivery.calendar.times import Style, moment, span, span_elsewhere
from hub.infrastructure.shipped import FRONTEND
from hub.interfaces.web.pages.i18n import translations

TEMPLATES = FRONTEND / "templates"


def _moment(
    value: str | datetime, zone: str | tzinfo, style: Style = "full", *, language: str
) -> str:
    return moment(_datetime(value), zone, language, style)


def _span(start: str, end: str, zone: str | tzinfo, *, language: str) -> str:
    return span(_datetime(start), _datetime(end), zone, language)


def _elsewhere(
    start: str, end: str, own: str, reader: tzinfo | None, *, language: str
) -> str | None:
    """The span in the reader's zone when their browser said one and it reads differently."""
    if reader is None:
        return None
    return span_elsewhere(_datetime(start), _datetime(end), own, reader, language)


def _datetime(value: str | datetime) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


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
        span=partial(_span, language=language),
        elsewhere=partial(_elsewhere, language=language),
        number=partial(format_decimal, locale=language),
        percent=partial(format_percent, locale=language),
        markdown=markdown_html,
    )
    return env


def render_template(language: str, name: str, values: dict[str, Any]) -> str:
    return environment(language).get_template(name).render(values, lang=language)
