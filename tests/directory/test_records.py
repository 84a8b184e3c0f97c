"""Keeping the directory's records: edit, remove and merge people, archive organizations,
change and end affiliations, through the API as an admin, over the real database. Every
refusal and every mistake changes nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from hub.domains.directory.removal import person_columns
from hub.domains.signin.sessions import open_session
from hub.infrastructure.models import (
    AuditEvent,
    Base,
    CalendarFeedToken,
    CommitteeSeat,
    OutboxMessage,
    Person,
    Rsvp,
    SignInSession,
    Vote,
)
from hub.infrastructure.models.base import utcnow
from hub.infrastructure.models.convenings import RsvpStatus
from hub.infrastructure.models.directory import AffiliationRole
from hub.infrastructure.models.governance import VoteChoice
from hub.infrastructure.models.outbox import OutboxStatus
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_convening, create_rsvp
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import create_proposal, create_seat

UPDATE_PERSON = """
mutation ($input: UpdatePersonInput!) {
  updatePerson(input: $input) {
    person { name email phone preferredLanguage } errors { field code }
  }
}"""
REMOVE_PERSON = """
mutation ($id: ID!) {
  removePerson(input: {id: $id}) { person { name formerMember email } errors { field code } }
}"""
MERGE_PEOPLE = """
mutation ($s: ID!, $d: ID!) {
  mergePeople(input: {survivor: $s, duplicate: $d}) {
    person { name email phone affiliations { role organization { slug } } }
    errors { field code }
  }
}"""
ARCHIVE = """
mutation ($id: ID!) {
  archiveOrganization(input: {id: $id}) { organization { slug archivedAt } errors { field code } }
}"""
UPDATE_AFFILIATION = """
mutation ($input: UpdateAffiliationInput!) {
  updateAffiliation(input: $input) { affiliation { role title } errors { field code } }
}"""
END_AFFILIATION = """
mutation ($id: ID!) {
  endAffiliation(input: {id: $id}) { person { name affiliations { id } } errors { field code } }
}"""
RSVP_LIST = """
query ($id: ID!) {
  node(id: $id) { ... on Convening { rsvps { edges { node {
    status person { name formerMember } organization { name archivedAt } } } } } }
}"""
VOTE_RECORD = """
query ($id: ID!) { node(id: $id) { ... on Vote { choice castBy { name formerMember } } } }
"""


def gid(type_name: str, row) -> str:
    return to_global_id(type_name, row.id)


async def rows_per_table(session) -> dict[str, int]:
    """Every table's rows but the callers' rate budgets (each request spends from one)."""
    counts = {}
    for name, table in Base.metadata.tables.items():
        if name == "rate_limit_buckets":
            continue
        counts[name] = int(await session.scalar(select(func.count()).select_from(table)))
    await _forget(session)
    return counts


async def naming(session, person_id: int) -> int:
    """How many rows anywhere name the person."""
    total = 0
    for column in person_columns():
        statement = select(func.count()).select_from(column.table).where(column == person_id)
        total += int(await session.scalar(statement))
    await _forget(session)
    return total


async def _forget(session) -> None:
    """Ends the read (SQLite's writers wait for it) and lets later reads load rows afresh; the
    rows already loaded keep their values, detached."""
    await session.commit()
    session.expunge_all()


# --- editing people -------------------------------------------------------------------------


async def test_an_admin_edits_a_person_and_the_search_finds_the_new_name(session, gql):
    admin = await create_admin(session)
    person = await create_person(session, name="Maria Gonzales", email="m@example.org")
    await session.commit()

    data = await gql.data(
        UPDATE_PERSON,
        {
            "input": {
                "id": gid("Person", person),
                "name": "María González",
                "email": "Maria@Example.org",
                "phone": "+1 510 555 0101",
                "preferredLanguage": "ES",
            }
        },
        as_=admin,
    )
    found = await gql.data('{ people(search: "ma go") { edges { node { name } } } }', as_=admin)

    assert data["updatePerson"] == {
        "person": {
            "name": "María González",
            "email": "maria@example.org",
            "phone": "+1 510 555 0101",
            "preferredLanguage": "ES",
        },
        "errors": [],
    }
    assert found["people"]["edges"] == [{"node": {"name": "María González"}}]


async def test_each_kind_of_bad_person_input_gets_its_code_and_changes_nothing(session, gql):
    admin = await create_admin(session, email="admin@example.org")
    person = await create_person(session, name="Rosa", email="rosa@example.org", phone="+1 2")
    await session.commit()
    cases = [
        ({"name": "  "}, [("name", "REQUIRED")]),
        ({"name": "x" * 201}, [("name", "TOO_LONG")]),
        ({"name": "Ro\u0007sa"}, [("name", "INVALID_CHARACTERS")]),
        ({"email": "not an email"}, [("email", "INVALID_EMAIL")]),
        ({"email": "admin@example.org"}, [("email", "DUPLICATE_EMAIL")]),
        ({"phone": "call me"}, [("phone", "INVALID")]),
        ({"name": "", "phone": "?"}, [("name", "REQUIRED"), ("phone", "INVALID")]),
    ]
    for given, expected in cases:
        variables = {"input": {"id": gid("Person", person), **given}}
        data = await gql.data(UPDATE_PERSON, variables, as_=admin)
        errors = data["updatePerson"]["errors"]
        assert [(e["field"], e["code"]) for e in errors] == expected, given
        assert data["updatePerson"]["person"] is None
    unknown = await gql.data(
        UPDATE_PERSON, {"input": {"id": to_global_id("Person", 999), "name": "X"}}, as_=admin
    )

    assert unknown["updatePerson"]["errors"] == [{"field": "id", "code": "UNKNOWN_PERSON"}]
    await _forget(session)
    person = await session.get(Person, person.id)
    assert (person.name, person.email, person.phone) == ("Rosa", "rosa@example.org", "+1 2")


# --- affiliations ---------------------------------------------------------------------------


async def test_an_admin_changes_an_affiliations_role_and_ends_it(session, gql):
    admin = await create_admin(session)
    person = await create_person(session, name="Rosa")
    affiliation = await affiliate(session, person, await create_organization(session))
    await session.commit()

    changed = await gql.data(
        UPDATE_AFFILIATION,
        {"input": {"id": gid("Affiliation", affiliation), "role": "CONTACT", "title": "Lead"}},
        as_=admin,
    )
    bad = await gql.data(
        UPDATE_AFFILIATION,
        {"input": {"id": gid("Affiliation", affiliation), "workEmail": "nope", "title": "x" * 201}},
        as_=admin,
    )
    ended = await gql.data(END_AFFILIATION, {"id": gid("Affiliation", affiliation)}, as_=admin)
    again = await gql.data(END_AFFILIATION, {"id": gid("Affiliation", affiliation)}, as_=admin)

    assert changed["updateAffiliation"] == {
        "affiliation": {"role": "CONTACT", "title": "Lead"},
        "errors": [],
    }
    assert sorted((e["field"], e["code"]) for e in bad["updateAffiliation"]["errors"]) == [
        ("title", "TOO_LONG"),
        ("workEmail", "INVALID_EMAIL"),
    ]
    assert ended["endAffiliation"] == {
        "person": {"name": "Rosa", "affiliations": []},
        "errors": [],
    }
    assert again["endAffiliation"]["errors"] == [{"field": "id", "code": "UNKNOWN_AFFILIATION"}]


# --- archiving organizations ----------------------------------------------------------------


async def test_an_archived_organization_leaves_the_lists_and_its_history_still_names_it(
    session, gql
):
    admin = await create_admin(session)
    scope = await create_organization(session, name="SCOPE", slug="scope")
    await create_organization(session, name="Other", slug="other")
    member = await create_person(session, name="Rosa")
    await affiliate(session, member, scope)
    convening = await create_convening(session, hosts=[scope])
    await create_rsvp(session, convening, member, organization_id=scope.id)
    await session.commit()
    before = await rows_per_table(session)

    data = await gql.data(ARCHIVE, {"id": gid("Organization", scope)}, as_=admin)
    again = await gql.data(ARCHIVE, {"id": gid("Organization", scope)}, as_=admin)
    listed = await gql.data("{ organizations { edges { node { slug } } } }", as_=admin)
    searched = await gql.data('{ organizations(search: "scope") { totalCount } }', as_=admin)
    rsvps = await gql.data(RSVP_LIST, {"id": gid("Convening", convening)}, as_=admin)

    assert data["archiveOrganization"]["errors"] == []
    assert data["archiveOrganization"]["organization"]["archivedAt"] is not None
    assert again["archiveOrganization"]["errors"] == [{"field": "id", "code": "ALREADY_ARCHIVED"}]
    assert listed["organizations"]["edges"] == [{"node": {"slug": "other"}}]
    assert searched["organizations"]["totalCount"] == 0
    [edge] = rsvps["node"]["rsvps"]["edges"]
    assert edge["node"]["organization"]["name"] == "SCOPE"
    after = await rows_per_table(session)
    # One audit entry and one tombstone; nothing else appeared or went.
    assert {t: after[t] - before[t] for t in before if after[t] != before[t]} == {
        "audit_events": 1,
        "tombstones": 1,
    }


# --- removing people ------------------------------------------------------------------------


async def test_a_removed_person_becomes_a_former_member_and_nothing_dangles(session, gql):
    admin = await create_admin(session)
    seated = await create_seat(session)
    person = seated.holder
    person.phone = "+1 510 555 0199"
    past = await create_convening(
        session,
        starts_at=utcnow() - timedelta(days=9),
        ends_at=utcnow() - timedelta(days=9, hours=-2),
    )
    upcoming = await create_convening(session, capacity=1)
    await create_rsvp(
        session, past, person, dietary="vegan", organization_id=seated.organization.id
    )
    await create_rsvp(session, upcoming, person)
    waiting = await create_person(session, name="Next In Line")
    await create_rsvp(session, upcoming, waiting, status=RsvpStatus.WAITLISTED, waitlist_position=1)
    proposal = await create_proposal(session)
    vote = Vote(
        proposal_id=proposal.id, seat_id=seated.seat.id, cast_by_id=person.id, choice=VoteChoice.YES
    )
    session.add(vote)
    session.add(CalendarFeedToken(token_hash="f" * 64, person_id=person.id))
    waiting_mail = OutboxMessage(
        kind="rsvp_reminder",
        dedupe_key="reminder-1",
        recipient_person_id=person.id,
        recipient_address=person.email,
        payload={},
    )
    session.add(waiting_mail)
    await open_session(
        session, person_id=person.id, provider="email", user_agent=None, now=utcnow()
    )
    await session.commit()
    before = await rows_per_table(session)

    data = await gql.data(REMOVE_PERSON, {"id": gid("Person", person)}, as_=admin)
    again = await gql.data(REMOVE_PERSON, {"id": gid("Person", person)}, as_=admin)
    past_rsvps = await gql.data(RSVP_LIST, {"id": gid("Convening", past)}, as_=admin)
    record = await gql.data(VOTE_RECORD, {"id": gid("Vote", vote)}, as_=admin)
    people = await gql.data('{ people(search: "former") { totalCount } }', as_=admin)

    assert data["removePerson"] == {
        "person": {
            "name": "Former member",
            "formerMember": True,
            "email": f"former-member-{person.id}@removed.invalid",
        },
        "errors": [],
    }
    assert again["removePerson"]["errors"] == [{"field": "id", "code": "ALREADY_REMOVED"}]
    [edge] = past_rsvps["node"]["rsvps"]["edges"]
    assert edge["node"]["person"] == {"name": "Former member", "formerMember": True}
    assert record["node"] == {
        "choice": "YES",
        "castBy": {"name": "Former member", "formerMember": True},
    }
    assert people["people"]["totalCount"] == 0
    after = await rows_per_table(session)
    assert {t: after[t] - before[t] for t in before if after[t] != before[t]} == {
        "affiliations": -1,
        "calendar_feed_tokens": -1,
        "audit_events": 2,  # the sessions ended, the removal
    }
    removed = await session.get(Person, person.id)
    assert removed is not None and removed.phone is None and removed.search_text == ""
    of_removed = select(Rsvp).where(Rsvp.person_id == person.id)
    rsvps = {r.convening_id: r for r in await session.scalars(of_removed)}
    assert rsvps[past.id].dietary == "" and rsvps[past.id].status == RsvpStatus.GOING
    assert rsvps[upcoming.id].status == RsvpStatus.NOT_GOING
    # The place at the convening still to come went to the next in line.
    next_in_line = await session.scalar(select(Rsvp).where(Rsvp.person_id == waiting.id))
    assert next_in_line is not None and next_in_line.status == RsvpStatus.GOING
    seat = await session.get(CommitteeSeat, seated.seat.id)
    assert seat is not None and seat.holder_id is None
    held = await session.scalar(select(OutboxMessage.status))
    assert held == OutboxStatus.SUPPRESSED
    live = select(func.count()).where(
        SignInSession.person_id == person.id, SignInSession.ended_at.is_(None)
    )
    assert await session.scalar(live) == 0


async def test_the_last_admin_cannot_be_removed(session, gql):
    admin = await create_admin(session)
    await session.commit()

    data = await gql.data(REMOVE_PERSON, {"id": gid("Person", admin)}, as_=admin)

    assert data["removePerson"]["errors"] == [{"field": "id", "code": "LAST_ADMIN"}]
    await _forget(session)
    admin = await session.get(Person, admin.id)
    assert admin.is_admin and admin.removed_at is None


# --- merging people -------------------------------------------------------------------------


async def test_merging_moves_everything_to_the_survivor_in_one_go(session, gql):
    admin = await create_admin(session)
    scope, cuc = (
        await create_organization(session, slug="scope"),
        await create_organization(session, slug="cuc"),
    )
    survivor = await create_person(session, name="María González", email="maria@example.org")
    duplicate = await create_person(
        session, name="Maria Gonzalez", email="mg@example.org", phone="+1 3"
    )
    await affiliate(session, survivor, scope, AffiliationRole.MEMBER)
    await affiliate(session, duplicate, scope, AffiliationRole.CONTACT)
    await affiliate(session, duplicate, cuc, AffiliationRole.LEADER)
    both = await create_convening(session)
    only_duplicate = await create_convening(session)
    await create_rsvp(session, both, survivor, status=RsvpStatus.MAYBE)
    await create_rsvp(session, both, duplicate, status=RsvpStatus.GOING)
    await create_rsvp(session, only_duplicate, duplicate)
    seated = await create_seat(session, organization=cuc, holder_id=duplicate.id)
    shared_seat = await create_seat(session, holder_id=survivor.id, alternate_id=duplicate.id)
    session.add(CalendarFeedToken(token_hash="d" * 64, person_id=duplicate.id))
    await open_session(
        session, person_id=duplicate.id, provider="email", user_agent=None, now=utcnow()
    )
    await session.commit()
    before = await rows_per_table(session)

    data = await gql.data(
        MERGE_PEOPLE, {"s": gid("Person", survivor), "d": gid("Person", duplicate)}, as_=admin
    )
    again = await gql.data(
        MERGE_PEOPLE, {"s": gid("Person", survivor), "d": gid("Person", duplicate)}, as_=admin
    )

    assert data["mergePeople"] == {
        "person": {
            "name": "María González",
            "email": "maria@example.org",
            "phone": "+1 3",
            "affiliations": [
                {"role": "MEMBER", "organization": {"slug": "scope"}},
                {"role": "LEADER", "organization": {"slug": "cuc"}},
            ],
        },
        "errors": [],
    }
    assert again["mergePeople"]["errors"] == [{"field": "duplicate", "code": "UNKNOWN_PERSON"}]
    assert await naming(session, duplicate.id) == 0
    assert await session.get(Person, duplicate.id) is None
    rsvps = list(await session.scalars(select(Rsvp).order_by(Rsvp.convening_id)))
    # Both answered one convening: the more committed answer (GOING) stays, the survivor's.
    assert [(r.convening_id, r.person_id, r.status) for r in rsvps] == [
        (both.id, survivor.id, RsvpStatus.GOING),
        (only_duplicate.id, survivor.id, RsvpStatus.GOING),
    ]
    seat = await session.get(CommitteeSeat, seated.seat.id)
    assert seat is not None and seat.holder_id == survivor.id
    # One person cannot be both holder and alternate of a seat: the alternate's place is vacant.
    shared = await session.get(CommitteeSeat, shared_seat.seat.id)
    assert shared is not None and (shared.holder_id, shared.alternate_id) == (survivor.id, None)
    feed = await session.scalar(select(CalendarFeedToken.person_id))
    assert feed == survivor.id
    after = await rows_per_table(session)
    assert {t: after[t] - before[t] for t in before if after[t] != before[t]} == {
        "people": -1,
        "affiliations": -1,
        "rsvps": -1,
        "audit_events": 2,  # the duplicate's sessions ended, the merge
    }
    audit = await session.scalar(select(AuditEvent).where(AuditEvent.action == "person.merged"))
    assert audit is not None and "mg@example.org" in audit.detail


async def test_merging_refuses_one_person_twice_and_unknown_people(session, gql):
    admin = await create_admin(session)
    person = await create_person(session)
    await session.commit()

    same = await gql.data(
        MERGE_PEOPLE, {"s": gid("Person", person), "d": gid("Person", person)}, as_=admin
    )
    unknown = await gql.data(
        MERGE_PEOPLE, {"s": gid("Person", person), "d": to_global_id("Person", 999)}, as_=admin
    )
    malformed = await gql.data(MERGE_PEOPLE, {"s": "nope", "d": gid("Person", person)}, as_=admin)

    assert same["mergePeople"]["errors"] == [{"field": "duplicate", "code": "SAME_PERSON"}]
    assert unknown["mergePeople"]["errors"] == [{"field": "duplicate", "code": "UNKNOWN_PERSON"}]
    assert malformed["mergePeople"]["errors"] == [{"field": "survivor", "code": "UNKNOWN_PERSON"}]
    assert await session.scalar(select(func.count()).select_from(Person)) == 2


async def test_two_merges_of_one_duplicate_at_once_merge_it_once(session, gql):
    admin = await create_admin(session)
    first, second = await create_person(session), await create_person(session)
    duplicate = await create_person(session)
    convening = await create_convening(session)
    await create_rsvp(session, convening, duplicate)
    await session.commit()

    answers = await asyncio.gather(
        *(
            gql.data(
                MERGE_PEOPLE, {"s": gid("Person", s), "d": gid("Person", duplicate)}, as_=admin
            )
            for s in (first, second)
        )
    )

    errors = sorted(len(a["mergePeople"]["errors"]) for a in answers)
    assert errors == [0, 1]
    assert await session.scalar(select(func.count()).select_from(Rsvp)) == 1
    assert await naming(session, duplicate.id) == 0


async def test_two_removals_at_once_remove_once(session, gql):
    admin = await create_admin(session)
    person = await create_person(session)
    await session.commit()

    answers = await asyncio.gather(
        *(gql.data(REMOVE_PERSON, {"id": gid("Person", person)}, as_=admin) for _ in range(2))
    )

    codes = sorted(e["code"] for a in answers for e in a["removePerson"]["errors"])
    assert codes == ["ALREADY_REMOVED"]
    removals = select(func.count()).where(AuditEvent.action == "person.removed")
    assert await session.scalar(removals) == 1


# --- who may ----------------------------------------------------------------------------------


async def test_members_and_anonymous_callers_may_not_keep_the_records(session, gql):
    admin = await create_admin(session)
    organization = await create_organization(session)
    member = await create_person(session, name="Member")
    affiliation = await affiliate(session, member, organization)
    other = await create_person(session, name="Other")
    await session.commit()
    before = await rows_per_table(session)
    calls = [
        (UPDATE_PERSON, {"input": {"id": gid("Person", other), "name": "X"}}),
        (REMOVE_PERSON, {"id": gid("Person", other)}),
        (MERGE_PEOPLE, {"s": gid("Person", member), "d": gid("Person", other)}),
        (ARCHIVE, {"id": gid("Organization", organization)}),
        (UPDATE_AFFILIATION, {"input": {"id": gid("Affiliation", affiliation), "role": "CONTACT"}}),
        (END_AFFILIATION, {"id": gid("Affiliation", affiliation)}),
    ]
    for query, variables in calls:
        for caller, code in ((member, "FORBIDDEN"), (None, "UNAUTHENTICATED")):
            body = await gql(query, variables, as_=caller)
            assert [e["extensions"]["code"] for e in body["errors"]] == [code], (query, caller)

    assert await rows_per_table(session) == before
    other = await session.get(Person, other.id)
    assert other.name == "Other" and admin.is_admin


async def test_a_poller_learns_that_an_archived_organization_left_the_lists(session, gql):
    admin = await create_admin(session)
    scope = await create_organization(session, name="SCOPE")
    await session.commit()

    await gql.data(ARCHIVE, {"id": gid("Organization", scope)}, as_=admin)
    left = await gql.data(
        '{ deletedSince(since: "2000-01-01T00:00:00Z") { edges { node { id typename reason } } } }'
    )
    changed = await gql.data(
        '{ organizations(updatedSince: "2000-01-01T00:00:00Z") { edges { node { id } } } }'
    )

    assert left["deletedSince"]["edges"] == [
        {
            "node": {
                "id": gid("Organization", scope),
                "typename": "Organization",
                "reason": "WITHDRAWN",
            }
        }
    ]
    assert changed["organizations"]["edges"] == []
