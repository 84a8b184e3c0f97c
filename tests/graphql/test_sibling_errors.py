"""A field refused with a clear error leaves its siblings' answers intact: the executor cancels
a failed field's siblings, and their SQL in flight must not take the request's session down
with it (it used to answer INTERNAL_SERVER_ERROR, 30 times in 50 on PostgreSQL)."""

from __future__ import annotations

from tests.factories import affiliate, create_organization, create_person

TRIES = 50


async def test_a_bad_cursor_beside_a_good_list(session, gql):
    document = (
        '{ proposals(first: 2) { totalCount } a: proposals(first: 2, after: "zzz") { totalCount } }'
    )

    for _ in range(TRIES):
        body = await gql(document)

        assert body["data"] is None  # the refused list is non-null: its error nulls the answer
        assert body["errors"] == [
            {
                "message": "The `after` cursor is not one this hub gave out.",
                "locations": [{"line": 1, "column": 38}],
                "path": ["a"],
                "extensions": {"code": "BAD_USER_INPUT"},
            }
        ]


async def test_a_refused_list_beside_the_viewer(session, gql):
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    await session.commit()

    for _ in range(TRIES):
        body = await gql("{ viewer { id } outbox(first: 1) { totalCount } }", as_=member)

        assert body["data"] is None
        assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
            (["outbox"], "FORBIDDEN")
        ]


async def test_a_nullable_refused_field_keeps_the_others_data(session, gql):
    member = await create_person(session, name="Rosa")
    await affiliate(session, member, await create_organization(session))
    await session.commit()

    for _ in range(TRIES):
        body = await gql(
            '{ viewer { name } proposals(first: 1) { totalCount } node(id: "zzz") { id } }',
            as_=member,
        )

        assert body["data"] == {
            "viewer": {"name": "Rosa"},
            "proposals": {"totalCount": 0},
            "node": None,
        }
        assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
            (["node"], "BAD_USER_INPUT")
        ]
