"""Organizations, people and their affiliations."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, validates

from hub.infrastructure.models.base import Base, Timestamped, str_enum
from hub.infrastructure.search import folded


class OrganizationKind(enum.StrEnum):
    MEMBER = "MEMBER"
    STRATEGIC_PARTNER = "STRATEGIC_PARTNER"
    ALLY = "ALLY"
    PEER = "PEER"


class AnchorRole(enum.StrEnum):
    REGIONAL_ANCHOR = "REGIONAL_ANCHOR"
    STATE_ANCHOR = "STATE_ANCHOR"


class Sector(enum.StrEnum):
    COMMUNITY_ORGANIZING = "COMMUNITY_ORGANIZING"
    LABOR = "LABOR"
    FAITH = "FAITH"
    HEALTH_AND_HUMAN_SERVICES = "HEALTH_AND_HUMAN_SERVICES"
    CIVIL_RIGHTS = "CIVIL_RIGHTS"
    ADVOCACY = "ADVOCACY"
    OTHER = "OTHER"


class AffiliationRole(enum.StrEnum):
    CONTACT = "CONTACT"
    STAFF = "STAFF"
    LEADER = "LEADER"
    MEMBER = "MEMBER"


class Language(enum.StrEnum):
    EN = "en"
    ES = "es"


def _folded_name(context: DefaultExecutionContext) -> str:
    """The search column's value on an INSERT that did not give it (a Core or bulk insert):
    the row's name, folded."""
    try:
        name = context.get_current_parameters().get("name")
    except KeyError:
        # A multi-VALUES insert through the ORM entity: SQLAlchemy 2.1 looks its rows' values
        # up under the wrong names. Each row's name is `name_m<row>` among the raw parameters.
        column: Any = context.current_column
        row = column.index + 1 if getattr(column, "_is_multiparam_column", False) else 0
        name = (context.current_parameters or {}).get(f"name_m{row}")
    return folded(name or "")


def search_column() -> Mapped[str]:
    """`name` as every search compares it (hub.infrastructure.search.folded). Kept in step by the
    models' `name` validators (any ORM write) and by the insert default (any Core insert); a raw SQL
    insert that leaves it out gets "" and is found by no search until its name is set."""
    return mapped_column(String(400), default=_folded_name, server_default="", index=True)


class Organization(Timestamped, Base):
    __tablename__ = "organizations"
    __table_args__ = (
        CheckConstraint("state IS NULL OR length(state) = 2", name="state_two_letters"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[OrganizationKind] = mapped_column(str_enum(OrganizationKind, "kind"), index=True)
    anchor_role: Mapped[AnchorRole | None] = mapped_column(str_enum(AnchorRole, "anchor_role"))
    sector: Mapped[Sector] = mapped_column(str_enum(Sector, "sector"), default=Sector.OTHER)
    region: Mapped[str | None] = mapped_column(String(100))
    counties: Mapped[list[str]] = mapped_column(default=list)
    state: Mapped[str | None] = mapped_column(String(2))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = search_column()
    # Archived organizations leave the lists and pickers; what names them keeps naming them.
    archived_at: Mapped[datetime | None]

    @validates("name")
    def _fold_name(self, key: str, name: str) -> str:
        self.search_text = folded(name or "")
        return name


class Person(Timestamped, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # Stored lower-cased so uniqueness holds whatever case people type.
    email: Mapped[str] = mapped_column(String(320), unique=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    preferred_language: Mapped[Language] = mapped_column(
        str_enum(Language, "preferred_language"), default=Language.EN
    )
    is_admin: Mapped[bool] = mapped_column(default=False)
    # Came in through a PUBLIC convening's guest RSVP (hub/domains/guests): no member rights until
    # an admin attaches them to an organization; the organization they named kept as typed.
    is_guest: Mapped[bool] = mapped_column(default=False, server_default=false())
    guest_organization_name: Mapped[str | None] = mapped_column(String(200))
    search_text: Mapped[str] = search_column()
    # A removed person's row stays, without name or contact details, so their RSVPs, votes
    # and audit entries keep naming someone: a "former member".
    removed_at: Mapped[datetime | None]

    @validates("name")
    def _fold_name(self, key: str, name: str) -> str:
        self.search_text = folded(name or "")
        return name


class Affiliation(Timestamped, Base):
    __tablename__ = "affiliations"
    __table_args__ = (UniqueConstraint("person_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[AffiliationRole] = mapped_column(str_enum(AffiliationRole, "role"))
    title: Mapped[str | None] = mapped_column(String(200))
    # Private to admins and the person: how the organization reaches them for this role.
    work_email: Mapped[str | None] = mapped_column(String(320))
    work_phone: Mapped[str | None] = mapped_column(String(40))
