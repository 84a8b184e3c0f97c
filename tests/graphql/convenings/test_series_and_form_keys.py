"""Series: created and renamed by admins, listed for those who schedule, joined through
updateConvening; a convening form sent twice creates one; capacity never below those going."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from hub.infrastructure.models import Convening, ConveningSeries
from hub.infrastructure.models.convenings import RsvpStatus
from tests.convenings.factories import (
    create_contact,
    create_convening,
    create_member,
    create_rsvp,
    create_series,
)
from tests.factories import create_admin, create_organization
from tests.graphql.convenings.documents import convening_input, gid

CREATE_SERIES = """
mutation ($name: String!) {
  createConveningSeries(input: {name: $name}) { series { slug name } errors { field code } }
}
"""
RENAME_SERIES = """
mutation ($id: ID!, $name: String!) {
  renameConveningSeries(input: {id: $id, name: $name}) {
    series { slug name } errors { field code }
  }
}
"""
LIST_SERIES = "{ conveningSeries { totalCount edges { node { slug name } } } }"
CREATE = """
mutation ($input: CreateConveningInput!) {
  createConvening(input: $input) { convening { id title series { slug } } errors { field code } }
}
"""
UPDATE = """
mutation ($input: UpdateConveningInput!) {
  updateConvening(input: $input) { convening { capacity series { name } } errors { field code } }
}
"""


async def _count(runtime: Any, model: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_an_admin_creates_renames_and_lists_series(session, gql, runtime):
    admin = await create_admin(session)
    await session.commit()
    made = await gql.data(
        CREATE_SERIES, {"name": " 2011 Collaborative Strategy Sessions "}, as_=admin
    )
    assert made["createConveningSeries"] == {
        "series": {
            "slug": "2011-collaborative-strategy-sessions",
            "name": "2011 Collaborative Strategy Sessions",
        },
        "errors": [],
    }
    async with runtime.sessions() as fresh:
        series_id = await fresh.scalar(select(ConveningSeries.id))
    renamed = await gql.data(
        RENAME_SERIES,
        {"id": gid("ConveningSeries", series_id), "name": "2011 Strategy Sessions"},
        as_=admin,
    )
    # The slug stays: peers filter convenings by it
    assert renamed["renameConveningSeries"]["series"] == {
        "slug": "2011-collaborative-strategy-sessions",
        "name": "2011 Strategy Sessions",
    }
    listed = await gql.data(LIST_SERIES, as_=admin)
    assert listed["conveningSeries"]["edges"] == [
        {"node": {"slug": "2011-collaborative-strategy-sessions", "name": "2011 Strategy Sessions"}}
    ]


async def test_bad_series_names_are_refused_and_change_nothing(session, gql, runtime):
    admin = await create_admin(session)
    series = await create_series(session, slug="2011", name="2011")
    await session.commit()
    for name, code in ((" ", "REQUIRED"), ("x" * 201, "TOO_LONG"), ("2011", "SERIES_NAME_TAKEN")):
        body = await gql.data(CREATE_SERIES, {"name": name}, as_=admin)
        assert body["createConveningSeries"] == {
            "series": None,
            "errors": [{"field": "name", "code": code}],
        }
    renamed = await gql.data(
        RENAME_SERIES, {"id": gid("ConveningSeries", series.id), "name": ""}, as_=admin
    )
    assert renamed["renameConveningSeries"]["errors"] == [{"field": "name", "code": "REQUIRED"}]
    unknown = await gql.data(
        RENAME_SERIES, {"id": gid("ConveningSeries", 999), "name": "x"}, as_=admin
    )
    assert unknown["renameConveningSeries"]["errors"] == [{"field": "id", "code": "UNKNOWN_SERIES"}]
    async with runtime.sessions() as fresh:
        assert list(await fresh.scalars(select(ConveningSeries.name))) == ["2011"]


async def test_who_may_list_create_and_rename_series(session, gql, runtime):
    host = await create_organization(session)
    contact = await create_contact(session, host)
    member = await create_member(session)
    series = await create_series(session, name="Kept")
    await session.commit()
    rename = {"id": gid("ConveningSeries", series.id), "name": "Changed"}
    expected = {
        "contact": (contact, None, "FORBIDDEN", "FORBIDDEN"),
        "member": (member, "FORBIDDEN", "FORBIDDEN", "FORBIDDEN"),
        "anonymous": (None, "UNAUTHENTICATED", "UNAUTHENTICATED", "UNAUTHENTICATED"),
    }
    for role, (who, listing, creating, renaming) in expected.items():
        answers = [
            await gql(LIST_SERIES, as_=who),
            await gql(CREATE_SERIES, {"name": "New"}, as_=who),
            await gql(RENAME_SERIES, rename, as_=who),
        ]
        codes = [a["errors"][0]["extensions"]["code"] if "errors" in a else None for a in answers]
        assert codes == [listing, creating, renaming], role
    async with runtime.sessions() as fresh:
        assert list(await fresh.scalars(select(ConveningSeries.name))) == ["Kept"]


async def test_a_convening_joins_a_series_through_update(session, gql):
    admin = await create_admin(session)
    convening = await create_convening(session)
    await create_series(session, slug="2011", name="2011")
    await session.commit()
    variables = {"input": {"id": gid("Convening", convening.id), "seriesSlug": "2011"}}
    data = await gql.data(UPDATE, variables, as_=admin)
    assert data["updateConvening"] == {
        "convening": {"capacity": None, "series": {"name": "2011"}},
        "errors": [],
    }


async def test_a_convening_form_sent_twice_creates_one(session, gql, runtime):
    admin = await create_admin(session)
    host = await create_organization(session)
    other_admin = await create_admin(session)
    await session.commit()
    variables = convening_input(host.id, idempotencyKey="form-1")
    first = await gql.data(CREATE, variables, as_=admin)
    again = await gql.data(CREATE, variables, as_=admin)
    assert again == first
    racing = convening_input(host.id, idempotencyKey="form-2")
    at_once = await asyncio.gather(*(gql.data(CREATE, racing, as_=admin) for _ in range(3)))
    assert len({a["createConvening"]["convening"]["id"] for a in at_once}) == 1
    # The key is the person's own: another admin's form with the same key is another form
    theirs = await gql.data(CREATE, variables, as_=other_admin)
    assert (
        theirs["createConvening"]["convening"]["id"] != first["createConvening"]["convening"]["id"]
    )
    assert await _count(runtime, Convening) == 3


async def test_capacity_never_drops_below_those_going(session, gql, runtime):
    admin = await create_admin(session)
    convening = await create_convening(session, capacity=5)
    for _ in range(3):
        await create_rsvp(session, convening, await create_member(session), RsvpStatus.GOING)
    await session.commit()
    low = {"input": {"id": gid("Convening", convening.id), "capacity": 2}}
    body = await gql.data(UPDATE, low, as_=admin)
    assert body["updateConvening"] == {
        "convening": None,
        "errors": [{"field": "capacity", "code": "CAPACITY_BELOW_GOING"}],
    }
    async with runtime.sessions() as fresh:
        assert (await fresh.get_one(Convening, convening.id)).capacity == 5
    exact = {"input": {"id": gid("Convening", convening.id), "capacity": 3}}
    assert (await gql.data(UPDATE, exact, as_=admin))["updateConvening"]["errors"] == []
