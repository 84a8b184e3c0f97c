"""assignSeat and committee: admins fill, reassign and vacate seats; vacated seats stay."""

from __future__ import annotations

from sqlalchemy import select

from hub.infrastructure.models import CommitteeSeat
from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import create_seat

ASSIGN = """
mutation ($input: AssignSeatInput!) {
  assignSeat(input: $input) {
    seat { active organization { name } holder { name } alternate { name } }
    errors { field code message }
  }
}
"""
COMMITTEE = "{ committee { organization { name } holder { name } alternate { name } } }"


def gid(type_name: str, row) -> str:
    return to_global_id(type_name, row.id)


async def seats(session) -> list[tuple[int, int | None, int | None, bool]]:
    rows = await session.execute(
        select(
            CommitteeSeat.organization_id,
            CommitteeSeat.holder_id,
            CommitteeSeat.alternate_id,
            CommitteeSeat.active,
        ).order_by(CommitteeSeat.id)
    )
    found = [tuple(row) for row in rows]
    await session.commit()  # ends the read, so the app's requests may write (SQLite)
    return found


async def test_an_admin_assigns_a_seat_to_two_people_of_the_organization(session, gql):
    admin = await create_admin(session)
    organization = await create_organization(session, name="Oakland Rising")
    holder = await create_person(session, name="Lupe Peña")
    alternate = await create_person(session, name="Marcus Lee")
    for person in (holder, alternate):
        await affiliate(session, person, organization)
    await session.commit()

    variables = {
        "input": {
            "organizationId": gid("Organization", organization),
            "holderId": gid("Person", holder),
            "alternateId": gid("Person", alternate),
        }
    }
    data = await gql.data(ASSIGN, variables, as_=admin)

    assert data["assignSeat"] == {
        "seat": {
            "active": True,
            "organization": {"name": "Oakland Rising"},
            "holder": {"name": "Lupe Peña"},
            "alternate": {"name": "Marcus Lee"},
        },
        "errors": [],
    }
    committee = await gql.data(COMMITTEE, as_=holder)
    assert committee["committee"] == [
        {
            "organization": {"name": "Oakland Rising"},
            "holder": {"name": "Lupe Peña"},
            "alternate": {"name": "Marcus Lee"},
        }
    ]


async def test_people_of_another_organization_are_refused_and_nothing_changes(session, gql):
    admin = await create_admin(session)
    seated = await create_seat(session)
    stranger = await create_person(session)
    await session.commit()
    before = await seats(session)

    variables = {
        "input": {
            "organizationId": gid("Organization", seated.organization),
            "holderId": gid("Person", stranger),
            "alternateId": gid("Person", seated.alternate),
        }
    }
    data = await gql.data(ASSIGN, variables, as_=admin)

    assert data["assignSeat"]["seat"] is None
    assert data["assignSeat"]["errors"] == [
        {
            "field": "holderId",
            "code": "NOT_AFFILIATED",
            "message": "A seat is held by people of its own organization.",
        }
    ]
    assert await seats(session) == before


async def test_the_holder_and_the_alternate_must_differ(session, gql):
    admin = await create_admin(session)
    seated = await create_seat(session)
    await session.commit()

    variables = {
        "input": {
            "organizationId": gid("Organization", seated.organization),
            "holderId": gid("Person", seated.holder),
            "alternateId": gid("Person", seated.holder),
        }
    }
    data = await gql.data(ASSIGN, variables, as_=admin)

    assert [e["code"] for e in data["assignSeat"]["errors"]] == ["SAME_PERSON"]


async def test_only_admins_assign_seats(session, gql):
    seated = await create_seat(session)
    await session.commit()
    before = await seats(session)

    variables = {
        "input": {
            "organizationId": gid("Organization", seated.organization),
            "holderId": gid("Person", seated.alternate),
        }
    }
    body = await gql(ASSIGN, variables, as_=seated.holder)
    anonymous = await gql(ASSIGN, variables)

    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert await seats(session) == before


async def test_a_vacated_seat_keeps_its_row_and_leaves_the_committee(session, gql):
    admin = await create_admin(session)
    kept = await create_seat(session, organization=await create_organization(session, name="B"))
    vacated = await create_seat(session, organization=await create_organization(session, name="A"))
    await session.commit()

    variables = {"input": {"organizationId": gid("Organization", vacated.organization)}}
    data = await gql.data(ASSIGN, variables, as_=admin)

    assert data["assignSeat"]["seat"] == {
        "active": False,
        "organization": {"name": "A"},
        "holder": None,
        "alternate": None,
    }
    committee = await gql.data(COMMITTEE, as_=admin)
    assert [s["organization"]["name"] for s in committee["committee"]] == ["B"]
    assert (await seats(session))[1] == (vacated.organization.id, None, None, False)
    assert (await seats(session))[0][3] is True and kept.seat.active


async def test_a_seat_can_be_reassigned_after_vacating(session, gql):
    admin = await create_admin(session)
    seated = await create_seat(session)
    await session.commit()
    organization = gid("Organization", seated.organization)

    await gql.data(ASSIGN, {"input": {"organizationId": organization}}, as_=admin)
    variables = {
        "input": {"organizationId": organization, "holderId": gid("Person", seated.alternate)}
    }
    data = await gql.data(ASSIGN, variables, as_=admin)

    assert data["assignSeat"]["seat"]["active"] is True
    assert await seats(session) == [(seated.organization.id, seated.alternate.id, None, True)]
