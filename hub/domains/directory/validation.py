"""Checks on directory input, each raising an InputError that names the field."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email
from slugify import slugify

from hub.common.errors import InputError
from hub.common.text import TextChecks
from hub.domains.directory.errors import DirectoryErrorCode as Code

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# The USPS codes of the 50 states, the District of Columbia and the inhabited territories.
USPS_CODES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ "
    "NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI"
)
US_STATES = frozenset(USPS_CODES.split())
PHONE_PATTERN = re.compile(r"^\+?[0-9 ().\-]{7,30}$")
URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


TEXT = TextChecks(Code.REQUIRED, Code.TOO_LONG, Code.INVALID_CHARACTERS)
required_text = TEXT.required_text
optional_text = TEXT.optional_text
required_name = TEXT.required_name
optional_name = TEXT.optional_name


def slug(value: str | None, name: str) -> str:
    candidate = value.strip().lower() if value else slugify(name, max_length=80)
    if not SLUG_PATTERN.match(candidate) or len(candidate) > 80:
        raise InputError(
            "slug", Code.INVALID_SLUG, "Use lower-case letters, digits and single hyphens."
        )
    return candidate


def email(value: str, field: str = "email") -> str:
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InputError(
            field, Code.INVALID_EMAIL, f"That email address is not valid: {error}"
        ) from error
    return checked.normalized.lower()


def phone(value: str | None, field: str = "phone") -> str | None:
    if value is None or not value.strip():
        return None
    if not PHONE_PATTERN.match(value.strip()):
        raise InputError(field, Code.INVALID, "Give a phone number of digits, spaces and + - ( ).")
    return value.strip()


def state(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = value.strip().upper()
    if cleaned not in US_STATES:
        raise InputError(
            "state",
            Code.INVALID_STATE,
            "Give a US state, DC or territory as its two-letter code, like NY or PR.",
        )
    return cleaned


def website(value: str | None) -> str | None:
    cleaned = optional_text("website", value, 300)
    if cleaned and not URL_PATTERN.match(cleaned):
        raise InputError("website", Code.INVALID, "Give the website as an http(s):// address.")
    return cleaned


def counties(values: list[str]) -> list[str]:
    cleaned = [required_name("counties", v, 100) for v in values]
    return list(dict.fromkeys(cleaned))
