"""Per-request batch loaders for convenings and RSVPs; each applies the viewer's row rules,
and each answers a whole level of a query in one statement."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from itertools import groupby

from sqlalchemy import ColumnElement, and_, func, select, true

from hub.access.permissions import convenings as rules
from hub.domains.convenings import needs
from hub.domains.convenings.counts import counts_by_convening
from hub.domains.convenings.messages import sent_messages
from hub.infrastructure.models import (
    AttendeeMessage,
    Convening,
    ConveningHost,
    ConveningSeries,
    Person,
    Rsvp,
)
from hub.infrastructure.models.convenings import AccessibilityNeed
from hub.infrastructure.search import matches_words
from hub.interfaces.graphql.convenings.totals import (
    AccessibilityCount,
    ConveningCounts,
    LanguageCount,
    NeedsTotals,
)
from hub.interfaces.graphql.loader import Loader, group_by


class ConveningByIdLoader(Loader[int, Convening | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Convening | None]:
        statement = select(Convening).where(
            Convening.id.in_(keys), rules.convening_rows(self.context.viewer)
        )
        return {row.id: row for row in await self.context.session.scalars(statement)}


class AttendeeMessagesByConveningIdLoader(Loader[int, list[AttendeeMessage]]):
    """The caller checks that the viewer may see them (`rules.may_see_attendee_messages`)."""

    async def fetch(self, keys: Sequence[int]) -> dict[int, list[AttendeeMessage]]:
        return group_by(await sent_messages(self.context.session, list(keys)), "convening_id")

    def missing(self) -> list[AttendeeMessage]:
        return []


class ConveningSeriesByIdLoader(Loader[int, ConveningSeries | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, ConveningSeries | None]:
        statement = select(ConveningSeries).where(ConveningSeries.id.in_(keys))
        return {row.id: row for row in await self.context.session.scalars(statement)}


class HostIdsByConveningIdLoader(Loader[int, list[int]]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, list[int]]:
        statement = (
            select(ConveningHost)
            .where(ConveningHost.convening_id.in_(keys))
            .order_by(ConveningHost.convening_id, ConveningHost.organization_id)
        )
        hosts = group_by(await self.context.session.scalars(statement), "convening_id")
        return {key: [host.organization_id for host in rows] for key, rows in hosts.items()}

    def missing(self) -> list[int]:
        return []


class ConveningCountsByIdLoader(Loader[int, ConveningCounts]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, ConveningCounts]:
        visible = Convening.id.in_(keys), rules.convening_rows(self.context.viewer)
        found = await counts_by_convening(self.context.session, *visible)
        return {key: ConveningCounts(**asdict(counts)) for key, counts in found.items()}

    def missing(self) -> ConveningCounts:
        return ConveningCounts()


class NeedsTotalsByConveningIdLoader(Loader[int, NeedsTotals | None]):
    """Totals over those GOING; None where the viewer may not see them (the rule, in SQL)."""

    async def fetch(self, keys: Sequence[int]) -> dict[int, NeedsTotals | None]:
        visible = rules.needs_totals_visible(self.context.viewer).label("visible")
        going = and_(Rsvp.convening_id == Convening.id, needs.GOING)
        statement = (
            select(Convening.id, visible, Rsvp)
            .outerjoin(Rsvp, going)
            .where(Convening.id.in_(keys))
            .order_by(Convening.id, Rsvp.id)
        )
        totals: dict[int, NeedsTotals | None] = {}
        for key, group in groupby(await self.context.session.execute(statement), lambda r: r.id):
            rows = list(group)
            rsvps = [row.Rsvp for row in rows if row.Rsvp is not None]
            totals[key] = needs_totals(rsvps) if rows[0].visible else None
        return totals


def needs_totals(rsvps: Sequence[Rsvp]) -> NeedsTotals:
    languages = Counter(r.interpretation_language for r in rsvps if r.interpretation_language)
    access = Counter(need for r in rsvps for need in r.accessibility)
    return NeedsTotals(
        interpretation=[LanguageCount(language=k, count=n) for k, n in sorted(languages.items())],
        childcare_places=sum(r.childcare_count for r in rsvps),
        accessibility=[
            AccessibilityCount(need=AccessibilityNeed(k), count=n)
            for k, n in sorted(access.items())
        ],
        accessibility_notes=[r.accessibility_note for r in rsvps if r.accessibility_note],
        dietary_notes=[r.dietary for r in rsvps if r.dietary],
    )


class RsvpByIdLoader(Loader[int, Rsvp | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Rsvp | None]:
        statement = select(Rsvp).where(Rsvp.id.in_(keys), rules.rsvp_rows(self.context.viewer))
        return {row.id: row for row in await self.context.session.scalars(statement)}


class ViewerRsvpByConveningIdLoader(Loader[int, Rsvp | None]):
    async def fetch(self, keys: Sequence[int]) -> dict[int, Rsvp | None]:
        person_id = self.context.viewer.person_id
        if person_id is None:
            return {}
        statement = select(Rsvp).where(Rsvp.convening_id.in_(keys), Rsvp.person_id == person_id)
        return {row.convening_id: row for row in await self.context.session.scalars(statement)}


@dataclass(frozen=True)
class RsvpMatch:
    """Which of a convening's RSVPs a list asks for: of people whose name holds `search`, and
    given for one of `organization_ids` (None: any organization)."""

    search: str | None = None
    organization_ids: frozenset[int] | None = None

    def condition(self) -> ColumnElement[bool]:
        matching = name_contains(self.search)
        if self.organization_ids is None:
            return matching
        return and_(matching, Rsvp.organization_id.in_(sorted(self.organization_ids)))


@dataclass(frozen=True)
class RsvpPageKey:
    convening_id: int
    first: int
    after_id: int | None
    match: RsvpMatch = RsvpMatch()


def name_contains(search: str | None) -> ColumnElement[bool]:
    """RSVPs of people whose name holds each word of `search`, accents and case folded
    (hub.infrastructure.search.matches_words); % and _ match themselves."""
    if not search:
        return true()
    named = select(Person.id).where(matches_words(Person.search_text, search))
    return Rsvp.person_id.in_(named)


# A convening's RSVPs, in both read paths (the compiled mapping's ManyConnection); pages
# continue after the last RSVP's id (`RsvpPageKey.after_id`), so the order is by id.
RSVPS_ORDER = (Rsvp.id,)


@dataclass(frozen=True)
class RsvpPage:
    rsvps: list[Rsvp]
    has_next_page: bool


class RsvpPageByConveningLoader(Loader[RsvpPageKey, RsvpPage]):
    """The first N RSVPs (after a cursor) of each convening: one statement for all of them,
    ranking each convening's RSVPs with ROW_NUMBER() OVER (PARTITION BY convening)."""

    async def fetch(self, keys: Sequence[RsvpPageKey]) -> dict[RsvpPageKey, RsvpPage]:
        pages: dict[RsvpPageKey, RsvpPage] = {}
        same_page = set((k.first, k.after_id or 0, k.match) for k in keys)
        for first, after_id, match in same_page:
            wanted = [
                k for k in keys if (k.first, k.after_id or 0, k.match) == (first, after_id, match)
            ]
            pages.update(await self._pages(wanted, first, after_id, match))
        return pages

    async def _pages(
        self, keys: list[RsvpPageKey], first: int, after_id: int, match: RsvpMatch
    ) -> dict[RsvpPageKey, RsvpPage]:
        rank = func.row_number().over(partition_by=Rsvp.convening_id, order_by=RSVPS_ORDER)
        ranked = (
            select(Rsvp.id, rank.label("rank"))
            .where(
                Rsvp.convening_id.in_([k.convening_id for k in keys]),
                Rsvp.id > after_id,
                rules.rsvp_rows(self.context.viewer),
                match.condition(),
            )
            .subquery()
        )
        statement = (
            select(Rsvp)
            .join(ranked, ranked.c.id == Rsvp.id)
            .where(ranked.c.rank <= first + 1)
            .order_by(Rsvp.convening_id, *RSVPS_ORDER)
        )
        rows = await self.context.session.scalars(statement)
        found = {cid: list(group) for cid, group in groupby(rows, key=lambda r: r.convening_id)}
        return {
            key: RsvpPage(
                rsvps=found.get(key.convening_id, [])[:first],
                has_next_page=len(found.get(key.convening_id, [])) > first,
            )
            for key in keys
        }


@dataclass(frozen=True)
class RsvpFilter:
    convening_id: int
    match: RsvpMatch = RsvpMatch()


class RsvpCountByFilterLoader(Loader[RsvpFilter, int]):
    """How many RSVPs of each convening (that match) the viewer may see: one statement per
    distinct match, usually one."""

    async def fetch(self, keys: Sequence[RsvpFilter]) -> dict[RsvpFilter, int]:
        counts: dict[RsvpFilter, int] = {}
        for match in set(key.match for key in keys):
            ids = [key.convening_id for key in keys if key.match == match]
            statement = (
                select(Rsvp.convening_id, func.count(Rsvp.id))
                .where(
                    Rsvp.convening_id.in_(ids),
                    rules.rsvp_rows(self.context.viewer),
                    match.condition(),
                )
                .group_by(Rsvp.convening_id)
            )
            for cid, n in await self.context.session.execute(statement):
                counts[RsvpFilter(cid, match)] = int(n)
        return counts

    def missing(self) -> int:
        return 0
