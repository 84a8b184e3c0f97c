"""Spreadsheets of people as member organizations send them, made for tests and the bench:
believable names (accents too), one organization per row in turn, roles and languages."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from hub.demo import directory_data
from hub.infrastructure.models import Organization
from tests.factories import create_organization

HEADER = ("name", "email", "phone", "organization", "role", "language")
ROLES = ("MEMBER", "LEADER", "STAFF", "CONTACT")
# The demo alliance's members and strategic partners: 44 organizations, as many as a
# strategy session gathers.
ORGANIZATIONS: tuple[str, ...] = tuple(
    [name for name, *_ in directory_data.MEMBERS] + [name for name, *_ in directory_data.PARTNERS]
)


def person_row(n: int, organizations: Sequence[str]) -> list[str]:
    first = directory_data.FIRST_NAMES[n % len(directory_data.FIRST_NAMES)]
    last = directory_data.LAST_NAMES[(n // 7) % len(directory_data.LAST_NAMES)]
    return [
        f"{first} {last} {n}",
        f"person{n}@members.example.org",
        f"+1 555 {n % 10_000:04d}",
        organizations[n % len(organizations)],
        ROLES[n % len(ROLES)],
        "es" if n % 3 == 0 else "en",
    ]


def people_rows(count: int, organizations: Sequence[str] = ORGANIZATIONS) -> list[list[str]]:
    return [person_row(n, organizations) for n in range(1, count + 1)]


def csv_text(rows: Sequence[Sequence[str]], *, delimiter: str = ",") -> str:
    """The rows under the header, as Excel saves them (CRLF line ends)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


async def create_organizations(
    session: AsyncSession, names: Sequence[str] = ORGANIZATIONS
) -> list[Organization]:
    return [await create_organization(session, name=name) for name in names]
