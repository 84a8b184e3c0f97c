"""Needs are seen by admins, host contacts and the person themself, and by no one else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from hub.infrastructure.models import Convening, Person
from hub.infrastructure.models.convenings import AccessibilityNeed, Visibility
from hub.infrastructure.models.directory import AffiliationRole
from tests.convenings.factories import create_contact, create_convening, create_member, create_rsvp
from tests.factories import create_admin, create_organization
from tests.graphql.convenings.documents import gid

NEEDS = """
query ($id: ID!) {
  node(id: $id) {
    ... on Convening {
      needsTotals { interpretation { language count } childcarePlaces
                    accessibility { need count } accessibilityNotes dietaryNotes }
      rsvps(first: 10) {
        edges { node { person { name } needs { interpretationLanguage childcareCount } } }
      }
      viewerRsvp { needs { dietary } }
    }
  }
}
"""


@dataclass
class Cast:
    convening: Convening
    attendee: Person
    by_role: dict[str, Person | None]


@pytest.fixture
async def cast(session: Any) -> Cast:
    host = await create_organization(session, name="SCOPE")
    delegation = await create_organization(session, name="Oakland Rising")
    attendee = await create_member(session, delegation, name="Noemí Peña")
    convening = await create_convening(session, hosts=[host])
    await create_rsvp(
        session,
        convening,
        attendee,
        organization_id=delegation.id,
        interpretation_language="es",
        accessibility=[AccessibilityNeed.ASL.value],
        accessibility_note="Front row",
        childcare_count=2,
        dietary="Vegetariana",
    )
    delegation_contact = await create_contact(session, delegation)
    other_member = await create_member(session)
    host_staff = await create_member(session, host, AffiliationRole.STAFF)
    await session.commit()
    return Cast(
        convening,
        attendee,
        {
            "admin": await create_admin(session),
            "host contact": await create_contact(session, host),
            "the person": attendee,
            "their organization's contact": delegation_contact,
            "host staff (not a contact)": host_staff,
            "another member": other_member,
            "anonymous": None,
        },
    )


SEES = {"admin", "host contact", "the person"}


@pytest.mark.parametrize(
    "role",
    [
        "admin",
        "host contact",
        "the person",
        "their organization's contact",
        "host staff (not a contact)",
        "another member",
        "anonymous",
    ],
)
async def test_needs_are_private(session, gql, cast, role):
    await session.commit()
    viewer = cast.by_role[role]

    data = await gql.data(NEEDS, {"id": _id(cast.convening)}, as_=viewer)

    node = data["node"]
    if role == "anonymous":
        # Anonymous callers see no MEMBERS convening at all.
        assert node is None
        return
    needs = node["rsvps"]["edges"][0]["node"]["needs"]
    if role in SEES:
        assert needs == {"interpretationLanguage": "es", "childcareCount": 2}
    else:
        assert needs is None
    planners = role in SEES - {"the person"}
    assert (node["needsTotals"] is not None) == planners
    if planners:
        assert node["needsTotals"] == {
            "interpretation": [{"language": "es", "count": 1}],
            "childcarePlaces": 2,
            "accessibility": [{"need": "ASL", "count": 1}],
            "accessibilityNotes": ["Front row"],
            "dietaryNotes": ["Vegetariana"],
        }
    own = node["viewerRsvp"]
    assert own == ({"needs": {"dietary": "Vegetariana"}} if role == "the person" else None)


async def test_a_public_convening_shows_anonymous_callers_counts_but_not_who(session, gql, cast):
    cast.convening.visibility = Visibility.PUBLIC
    session.add(cast.convening)
    await session.commit()

    data = await gql.data(
        """query ($id: ID!) { node(id: $id) { ... on Convening {
             counts { going } rsvps { totalCount } needsTotals { childcarePlaces } } } }""",
        {"id": _id(cast.convening)},
    )

    assert data["node"] == {"counts": {"going": 1}, "rsvps": None, "needsTotals": None}


def _id(convening: Convening) -> str:
    return gid("Convening", convening.id)
