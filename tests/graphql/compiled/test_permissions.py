"""Private fields and hidden rows stay hidden through the compiled path, for every role, exactly
as on the normal path: the same row rules in the WHERE, the same field rules as SQL."""

from __future__ import annotations

import pytest

from tests.graphql.compiled.differential import Directory, Hub

PEOPLE = """
{ people { totalCount edges { node { name email phone preferredLanguage
    affiliations { title workEmail workPhone } } } } }
"""
NODE = "query ($id: ID!) { node(id: $id) { ... on Person { name email } } }"
ORGANIZATION = '{ organization(slug: "cafe-unidos") { name affiliations { title workEmail } } }'

EVERYONE = ["Ada Admin", "Carmen Committee", "Lone Person", "Rosa Member"]


@pytest.fixture
def ask_both(compiled_hub: Hub, normal_hub: Hub):
    """Asks both hubs; the compiled one must have compiled it and answered the same."""

    async def ask(text: str, token, variables=None):
        fast = await compiled_hub.ask(text, variables, token)
        normal = await normal_hub.ask(text, variables, token)
        assert fast.compiled, fast.statements
        assert fast.body == normal.body
        return fast

    return ask


def people(answer) -> dict[str, dict]:
    body = dict(answer.body)
    connection = dict(dict(body["data"])["people"])
    return {
        dict(dict(edge)["node"])["name"]: dict(dict(edge)["node"]) for edge in connection["edges"]
    }


@pytest.mark.parametrize("role", ["anonymous", "peer"])
async def test_callers_who_are_not_people_see_no_people(role, directory: Directory, ask_both):
    token = directory.tokens[role]
    listed = await ask_both(PEOPLE, token)
    fetched = await ask_both(NODE, token, {"id": directory.ids["person"]})
    organization = await ask_both(ORGANIZATION, token)

    assert listed.body == [("data", [("people", [("totalCount", 0), ("edges", [])])])]
    assert fetched.body == [("data", [("node", None)])]
    assert organization.body == [
        ("data", [("organization", [("name", "Café Unidos 😀"), ("affiliations", [])])])
    ]


async def test_a_person_of_no_member_organization_sees_only_themself(
    directory: Directory, ask_both
):
    answer = await ask_both(PEOPLE, directory.tokens["person"])

    assert list(people(answer)) == ["Lone Person"]
    assert people(answer)["Lone Person"]["email"] is not None


@pytest.mark.parametrize("role", ["member", "committee"])
async def test_members_see_everyone_but_only_their_own_contact_details(
    role, directory: Directory, ask_both
):
    answer = await ask_both(PEOPLE, directory.tokens[role])
    seen = people(answer)

    own = {"member": "Rosa Member", "committee": "Carmen Committee"}[role]
    assert sorted(seen) == EVERYONE
    for name, person in seen.items():
        if name == own:
            assert person["email"] is not None
            assert person["preferredLanguage"] is not None
        else:
            assert (person["email"], person["phone"], person["preferredLanguage"]) == (
                None,
                None,
                None,
            )
            for affiliation in person["affiliations"]:
                assert dict(affiliation)["workEmail"] is None
                assert dict(affiliation)["workPhone"] is None


async def test_the_member_sees_their_own_work_details_and_language(directory: Directory, ask_both):
    answer = await ask_both(PEOPLE, directory.tokens["member"])
    rosa = people(answer)["Rosa Member"]

    assert rosa["phone"] == "+1 2"
    assert rosa["preferredLanguage"] == "ES"
    assert [dict(a)["workEmail"] for a in rosa["affiliations"]] == ["rosa@cafe.example.org", None]


async def test_admins_see_every_contact_detail(directory: Directory, ask_both):
    answer = await ask_both(PEOPLE, directory.tokens["admin"])
    seen = people(answer)

    assert sorted(seen) == EVERYONE
    assert all(person["email"] and person["preferredLanguage"] for person in seen.values())
    assert seen["Ada Admin"]["phone"] == "+1 1"
    assert dict(seen["Rosa Member"]["affiliations"][0])["workPhone"] == "+1 3"


CONVENINGS = """{ convenings(from: "2000-01-01T00:00:00Z") {
    edges { node { title rsvps { totalCount edges { node { person { name } } } } } } } }"""
PAST, MEMBERS, ASSEMBLY, CALL, CANCELLED = (
    "Past training",
    "Members' session",
    "Assembly «Sí»",
    "Committee call",
    "Cancelled meetup",
)


def convenings_seen(answer) -> list[tuple[str, int | None]]:
    """(title, how many RSVPs listed, or None where the list is hidden) in the order given."""
    edges = dict(dict(answer.body)["data"])["convenings"]
    seen: list[tuple[str, int | None]] = []
    for edge in dict(edges)["edges"]:
        node = dict(dict(edge)["node"])
        rsvps = dict(node["rsvps"]) if node["rsvps"] is not None else None
        seen.append((node["title"], None if rsvps is None else rsvps["totalCount"]))
    return seen


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", [(ASSEMBLY, None)]),
        ("peer", [(ASSEMBLY, None)]),
        ("person", [(ASSEMBLY, None)]),
        ("member", [(PAST, 0), (MEMBERS, 1), (ASSEMBLY, 4), (CANCELLED, 0)]),
        ("committee", [(PAST, 0), (MEMBERS, 1), (ASSEMBLY, 4), (CANCELLED, 0), (CALL, 0)]),
        ("admin", [(PAST, 0), (MEMBERS, 1), (ASSEMBLY, 4), (CANCELLED, 0), (CALL, 0)]),
    ],
)
async def test_convenings_and_who_is_coming_by_role(role, expected, directory: Directory, ask_both):
    answer = await ask_both(CONVENINGS, directory.tokens[role])

    assert convenings_seen(answer) == expected
