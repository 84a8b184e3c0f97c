"""Templates to subject, plain text and HTML, in the recipient's language.

Each template file holds the three parts of one kind of message, chosen by `part`. Subject and
text render without HTML escaping, the HTML part with it: two environments over one folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from babel.dates import format_date, format_datetime, format_time, get_timezone_name
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

LANGUAGES = ("en", "es")
EN_DASH = "\N{EN DASH}"
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _environment(*, escape: bool) -> Environment:
    return Environment(
        loader=PackageLoader("hub.email", "templates"),
        autoescape=escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_plain = _environment(escape=False)
_html = _environment(escape=True)


def language_of(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def render(kind: str, language: str, values: dict[str, Any]) -> RenderedEmail:
    lang = language_of(language)
    name = f"{lang}/{kind}.html"
    subject = " ".join(_plain.get_template(name).render(values, part="subject").split())
    text = _plain.get_template(name).render(values, part="text").strip() + "\n"
    body = Markup(_html.get_template(name).render(values, part="html"))
    html = _html.get_template("layout.html").render(lang=lang, subject=subject, body=body)
    return RenderedEmail(subject=subject, text=text, html=html)


def time_span(start: datetime, end: datetime, language: str) -> str:
    """A convening's times in its own zone (the datetimes carry it), e.g.
    "Sunday, March 1, 2026, 10:00 AM - 12:00 PM (Pacific Standard Time)", with an en dash."""
    lang = language_of(language)
    day = format_date(start, "full", locale=lang)
    end_part = format_time(end, "short", locale=lang)
    if end.date() != start.date():
        end_part = f"{format_date(end, 'full', locale=lang)}, {end_part}"
    zone = get_timezone_name(start, "long", locale=lang)
    return f"{day}, {format_time(start, 'short', locale=lang)} {EN_DASH} {end_part} ({zone})"


def moment(when: datetime, language: str) -> str:
    """A single moment, such as a voting window's close, written in full."""
    return format_datetime(when, "full", locale=language_of(language))
