"""Convenings and RSVPs as tables, for the compiled read path (hub/interfaces/graphql/compiled).

Each entry mirrors a resolver in types.py, loaders.py or queries.py: the same row rules, the
same orderings, the same aggregates. The differential tests hold the two paths equal.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Subquery, func, select, true
from strawberry.utils.str_converters import to_camel_case

from hub.access.auth.viewer import Viewer
from hub.access.permissions import convenings as rules
from hub.domains.convenings import counts, needs
from hub.domains.convenings.filters import ConveningFilter, filter_conditions
from hub.infrastructure.models import Convening, ConveningHost, Organization, Person, Rsvp
from hub.infrastructure.models.base import utcnow
from hub.interfaces.graphql.compiled.declarations import (
    Arguments,
    Column,
    Embedded,
    Linked,
    Many,
    ManyConnection,
    One,
    RootConnection,
    RootMapping,
    TypeMapping,
    Values,
)
from hub.interfaces.graphql.convenings.loaders import RSVPS_ORDER, name_contains
from hub.interfaces.graphql.sync.ordering import by_change, changes_asked


def _own_zone(viewer: Viewer) -> ColumnElement[str]:
    return Convening.time_zone.expression


CONVENING = TypeMapping(
    name="Convening",
    model=Convening,
    rows=rules.convening_rows,
    fields={
        "title": Column(Convening.title),
        "kind": Column(Convening.kind),
        "description": Column(Convening.description),
        "startsAt": Column(Convening.starts_at, zone=_own_zone),
        "endsAt": Column(Convening.ends_at, zone=_own_zone),
        "timeZone": Column(Convening.time_zone),
        "venueName": Column(Convening.venue_name),
        "venueAddress": Column(Convening.venue_address),
        "virtualUrl": Column(Convening.virtual_url),
        "capacity": Column(Convening.capacity),
        "delegateLimit": Column(Convening.delegate_limit),
        "rsvpDeadline": Column(Convening.rsvp_deadline, zone=_own_zone),
        "languages": Column(Convening.languages),
        "visibility": Column(Convening.visibility),
        "status": Column(Convening.status),
        "sequence": Column(Convening.sequence),
        "updatedAt": Column(Convening.updated_at),
        # HostIdsByConveningIdLoader orders by organization id; OrganizationByIdLoader drops
        # the organizations the viewer may not see (the target's row rule does here).
        "hosts": Linked(
            "Organization",
            Convening.id,
            ConveningHost.convening_id,
            ConveningHost.organization_id,
            Organization.id,
            (Organization.id,),
        ),
        "counts": Embedded("ConveningCounts"),
        "needsTotals": Embedded("NeedsTotals", visible=rules.needs_totals_visible),
        "rsvps": ManyConnection(
            "Rsvp",
            Convening.id,
            Rsvp.convening_id,
            RSVPS_ORDER,
            visible=rules.attendees_visible,
            where=lambda viewer, given: [name_contains((given.get("search") or "").strip())],
            arguments=("search",),
        ),
    },
)


class _Grouped:
    """A grouped subquery standing where a mapping expects a model."""

    def __init__(self, rows: Subquery) -> None:
        self.__table__ = rows


def _counted(name: str, rows: Subquery, value: str) -> tuple[TypeMapping, Many]:
    """`name` (a `value` and its count) and a convening's list of them, in order of `value`:
    aggregates, seen wherever the convening is."""
    fields = {value: Column(rows.c[value]), "count": Column(rows.c["count"])}
    mapping = TypeMapping(name, _Grouped(rows), lambda viewer: true(), fields)
    return mapping, Many(name, Convening.id, rows.c.convening_id, (rows.c[value],))


def _notes(rows: Subquery) -> Values:
    return Values(rows.c.note, Convening.id, rows.c.convening_id, (rows.c.id,))


LANGUAGE_COUNT, LANGUAGES = _counted("LanguageCount", needs.LANGUAGES, "language")
ACCESSIBILITY_COUNT, ACCESSIBILITY = _counted("AccessibilityCount", needs.ACCESSIBILITY, "need")

NEEDS_TOTALS = TypeMapping(
    name="NeedsTotals",
    model=Convening,
    rows=rules.convening_rows,
    fields={
        "interpretation": LANGUAGES,
        "childcarePlaces": Column(needs.CHILDCARE_PLACES),
        "accessibility": ACCESSIBILITY,
        "accessibilityNotes": _notes(needs.ACCESSIBILITY_NOTES),
        "dietaryNotes": _notes(needs.DIETARY_NOTES),
    },
)


CONVENING_COUNTS = TypeMapping(
    name="ConveningCounts",
    model=Convening,
    rows=rules.convening_rows,
    fields={to_camel_case(name): Column(column) for name, column in counts.COLUMNS.items()},
)


def _convening_zone(viewer: Viewer) -> ColumnElement[str]:
    """Rsvp.checked_in_at's zone: its convening's when the viewer may see it, else UTC (what
    ConveningByIdLoader, which applies the row rule, gives the resolver)."""
    zone = select(Convening.time_zone).where(
        Convening.id == Rsvp.convening_id, rules.convening_rows(viewer)
    )
    return func.coalesce(zone.scalar_subquery(), "UTC")


RSVP = TypeMapping(
    name="Rsvp",
    model=Rsvp,
    rows=rules.rsvp_rows,
    fields={
        "status": Column(Rsvp.status),
        "waitlistPosition": Column(Rsvp.waitlist_position),
        "checkedInAt": Column(Rsvp.checked_in_at, zone=_convening_zone),
        "walkIn": Column(Rsvp.walk_in),
        "walkInOrganization": Column(Rsvp.walk_in_organization),
        "person": One("Person", Rsvp.person_id, Person.id),
        "organization": One("Organization", Rsvp.organization_id, Organization.id),
        "convening": One("Convening", Rsvp.convening_id, Convening.id),
    },
)

TYPES = (
    CONVENING,
    CONVENING_COUNTS,
    NEEDS_TOTALS,
    LANGUAGE_COUNT,
    ACCESSIBILITY_COUNT,
    RSVP,
)


def _convening_filters(viewer: Viewer, arguments: Arguments) -> list[ColumnElement[bool]]:
    """queries.py's `convenings`; the clock is read for this request and bound like any other
    value."""
    wanted = ConveningFilter(
        from_=arguments.get("from"),
        to=arguments.get("to"),
        kind=arguments.get("kind"),
        status=arguments.get("status"),
        series_slug=arguments.get("seriesSlug"),
        host_slug=arguments.get("hostSlug"),
        upcoming_by_default=arguments.get("updatedSince") is None,
    )
    return filter_conditions(wanted, utcnow()) + changes_asked(Convening, arguments)


ROOTS: dict[str, RootMapping] = {
    "convenings": RootConnection(
        "Convening",
        (Convening.starts_at, Convening.id),
        _convening_filters,
        arguments=("from", "to", "kind", "status", "seriesSlug", "hostSlug"),
        orders=by_change(Convening),
    ),
}
