"""The viewer: who is asking, and the facts about them that permissions need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    extract,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.tokens import InvalidToken
from hub.infrastructure.driver import RowReader, session_reader
from hub.infrastructure.models import (
    Affiliation,
    CommitteeSeat,
    Organization,
    Person,
    PersonalAccessToken,
)
from hub.infrastructure.models.directory import AffiliationRole, OrganizationKind

# The kinds of organization whose people are the alliance's members.
MEMBER_KINDS = (OrganizationKind.MEMBER, OrganizationKind.STRATEGIC_PARTNER)


# A token issued this long before its person's creation is still theirs: the clocks of the
# processes issuing tokens and creating people may differ by this much.
TOKEN_CLOCK_SLACK_SECONDS = 60


@dataclass(frozen=True)
class Viewer:
    """Loaded once per request. Anonymous callers are `Viewer()`."""

    person_id: int | None = None
    is_admin: bool = False
    affiliated_org_ids: frozenset[int] = frozenset()
    # The organizations among them that are members of the alliance (MEMBER_KINDS).
    member_org_ids: frozenset[int] = frozenset()
    contact_org_ids: frozenset[int] = frozenset()
    seat_ids: frozenset[int] = frozenset()
    client_id: str | None = None
    # The organization an API client acts for (a peer alliance, a partner's CRM).
    client_organization_id: int | None = None
    scopes: frozenset[str] = frozenset()
    # A person's personal access token (its id, and the hash that finds it) when the request
    # came with one; its scopes are `scopes`.
    token_id: int | None = None
    token_hash: str | None = None

    @property
    def is_person(self) -> bool:
        return self.person_id is not None

    @property
    def is_client(self) -> bool:
        return self.client_id is not None

    @property
    def is_affiliated(self) -> bool:
        return bool(self.affiliated_org_ids)

    @property
    def is_member(self) -> bool:
        """A member: a person of a MEMBER or STRATEGIC_PARTNER organization. Wherever the hub
        says "members" (members-only convenings, the people directory, recorded votes), this is
        who it means; people of ALLY and PEER organizations are affiliated but not members."""
        return self.is_person and bool(self.member_org_ids)

    @property
    def is_committee_member(self) -> bool:
        return bool(self.seat_ids)

    @property
    def roles(self) -> frozenset[str]:
        """The role set that decides field visibility, used to key cached query plans."""
        roles = {"anonymous"} if not self.is_person and not self.client_id else set()
        if self.is_person:
            roles.add("person")
        if self.is_admin:
            roles.add("admin")
        if self.is_member:
            roles.add("member")
        if self.is_committee_member:
            roles.add("committee")
        roles.update(f"scope:{scope}" for scope in self.scopes)
        return frozenset(roles)


ANONYMOUS = Viewer()


async def load_person_viewer(session: AsyncSession, person_id: int) -> Viewer | None:
    return await read_person_viewer(session_reader(session), person_id)


async def read_person_viewer(
    read: RowReader, person_id: int, issued_at: int | None = None
) -> Viewer | None:
    """The viewer for a person's token, or None when the person no longer exists (or did not
    yet exist when the token was issued at `issued_at`).

    One statement: it runs on every request, so the facts come back as tagged rows of
    one UNION ALL rather than three round trips."""
    facts = await read(VIEWER_FACTS, {"person_id": person_id})
    return person_viewer_from_facts(person_id, facts, issued_at)


def person_viewer_from_facts(
    person_id: int, rows: Sequence[Sequence[Any]], issued_at: int | None = None
) -> Viewer | None:
    """The viewer from VIEWER_FACTS' rows (kind, value, role), or None for no such person:
    none with this id, or none with it yet when a token issued at `issued_at` named it. Ids
    are never given twice (AUTOINCREMENT on SQLite, sequences on PostgreSQL), but a database
    restored from a backup gives again the ids of the people created since, whose tokens
    remain: a token names the person who had its id when it was issued."""
    people = [(is_admin, born) for kind, is_admin, born in rows if kind == "person"]
    if not people or _born_after(people[0][1], issued_at):
        return None
    affiliations = [(value, role) for kind, value, role in rows if kind == "affiliation"]
    return Viewer(
        person_id=person_id,
        is_admin=bool(people[0][0]),
        affiliated_org_ids=frozenset(org_id for org_id, _ in affiliations),
        member_org_ids=frozenset(value for kind, value, _ in rows if kind == "member"),
        contact_org_ids=frozenset(
            org_id for org_id, role in affiliations if role == AffiliationRole.CONTACT.value
        ),
        seat_ids=frozenset(value for kind, value, _ in rows if kind == "seat"),
    )


def personal_viewer_from_facts(
    token_hash: str, rows: Sequence[Sequence[Any]], now_epoch: int
) -> Viewer:
    """The viewer of a personal access token from PERSONAL_TOKEN_FACTS' rows, or InvalidToken
    saying why not: unknown, revoked, expired, or its person gone."""
    by_kind = {kind: (value, role) for kind, value, role in rows if kind.startswith("token")}
    if "token" not in by_kind:
        raise InvalidToken("The token is not valid for this hub.")
    if "token_revoked" in by_kind:
        raise InvalidToken("The token was revoked; make a new one on your page, /me.")
    if int(by_kind["token_expires"][1]) <= now_epoch:
        raise InvalidToken("The token has expired; make a new one on your page, /me.")
    token_id, scope = by_kind["token"]
    owner_id = int(by_kind["token_owner"][0])
    person_rows = [row for row in rows if not row[0].startswith("token")]
    viewer = person_viewer_from_facts(owner_id, person_rows)
    if viewer is None:
        raise InvalidToken("The token's person no longer exists.")
    return replace(
        viewer,
        scopes=frozenset(str(scope).split()),
        token_id=int(token_id),
        token_hash=token_hash,
    )


def _born_after(born: str | int | None, issued_at: int | None) -> bool:
    if born is None or issued_at is None:
        return False
    return int(born) > issued_at + TOKEN_CLOCK_SLACK_SECONDS


def _viewer_facts(person_id: ColumnElement[int]) -> list[Select[str, int, str]]:
    no_role = cast(null(), String)
    # The person's creation in whole seconds since 1970, beside their admin flag.
    born = _epoch_text(Person.created_at)
    return [
        select(literal("person"), cast(Person.is_admin, Integer), born).where(
            Person.id == person_id
        ),
        select(
            literal("affiliation"), Affiliation.organization_id, cast(Affiliation.role, String)
        ).where(Affiliation.person_id == person_id),
        select(literal("member"), Affiliation.organization_id, no_role)
        .join(Organization, Organization.id == Affiliation.organization_id)
        .where(Affiliation.person_id == person_id, Organization.kind.in_(MEMBER_KINDS)),
        select(literal("seat"), CommitteeSeat.id, no_role).where(
            CommitteeSeat.active,
            or_(CommitteeSeat.holder_id == person_id, CommitteeSeat.alternate_id == person_id),
        ),
    ]


def _epoch_text(moment: Any) -> ColumnElement[str]:
    """A moment in whole seconds since 1970, as text (the facts' third column)."""
    return cast(cast(extract("epoch", moment), Integer), String)


VIEWER_FACTS = union_all(*_viewer_facts(bindparam("person_id", type_=Integer)))


def _personal_token_facts() -> CompoundSelect:
    """The person's facts, found through their token's hash, and the token's own: its id and
    scope, its expiry, and its revocation if revoked (one statement, as VIEWER_FACTS)."""
    token = PersonalAccessToken
    token_hash = bindparam("token_hash", type_=String)
    mine = token.token_hash == token_hash
    owner = select(token.person_id).where(mine).scalar_subquery()
    # One flat UNION ALL: SQLite takes no parenthesised compound select inside another.
    return union_all(
        *_viewer_facts(owner),
        select(literal("token"), token.id, token.scope).where(mine),
        select(literal("token_owner"), token.person_id, cast(null(), String)).where(mine),
        select(literal("token_expires"), token.id, _epoch_text(token.expires_at)).where(mine),
        select(literal("token_revoked"), token.id, _epoch_text(token.revoked_at)).where(
            mine, token.revoked_at.is_not(None)
        ),
    )


PERSONAL_TOKEN_FACTS = _personal_token_facts()
