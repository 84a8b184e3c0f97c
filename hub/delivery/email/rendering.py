"""Templates to subject, plain text and HTML, in the recipient's language.

Each template file holds the three parts of one kind of message, chosen by `part`. Subject and
text render without HTML escaping, the HTML part with it: two environments over one folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from hub.common.rendering.markdown import markdown_html

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def _environment(*, escape: bool) -> Environment:
    environment = Environment(
        loader=PackageLoader("hub.delivery.email", "templates"),
        autoescape=escape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["markdown"] = markdown_html
    return environment


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
    if values.get(
        "unsubscribe"
    ):  # mail that is not transactional (hub/delivery/email/unsubscribe_links)
        footer = f"{lang}/_unsubscribe.html"
        text += "\n" + _plain.get_template(footer).render(values, part="text").strip() + "\n"
        body += Markup(_html.get_template(footer).render(values, part="html"))
    html = _html.get_template("layout.html").render(lang=lang, subject=subject, body=body)
    return RenderedEmail(subject=subject, text=text, html=html)
