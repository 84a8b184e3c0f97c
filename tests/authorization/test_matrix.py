"""The authorization matrix: every object type and field of the served schema, for every role
and scope, by every path (root lists, nested connections and lists, `node(id:)`, named and
inline fragments), against the policy declared here. A field without a rule fails the test, so
whoever adds a field decides who reads it."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from graphql import GraphQLObjectType
from sqlalchemy import select
from starlette.applications import Starlette

from hub.access.auth.personal_tokens import READ, make_personal_token
from hub.app import create_app
from hub.delivery.email import preferences
from hub.delivery.email.preferences import EmailCategory
from hub.delivery.feeds import tokens as feed_tokens
from hub.domains.governance import meetings, proxies, voting
from hub.domains.signin.sessions import open_session
from hub.domains.sync import tombstones
from hub.infrastructure.config import Settings
from hub.infrastructure.models import (
    Affiliation,
    AttendeeMessage,
    AuditEvent,
    EmailSuppression,
    FollowUpAction,
    GovernanceEvent,
    OutboxMessage,
    ProposalAmendment,
    ProposalComment,
    ProposalVersion,
    WebhookSubscription,
)
from hub.infrastructure.models.convenings import (
    ConveningKind,
    MessageAudience,
    RsvpStatus,
    Visibility,
)
from hub.infrastructure.models.directory import AffiliationRole, OrganizationKind
from hub.infrastructure.models.governance import AmendmentStatus, GovernanceAction, VoteChoice
from hub.infrastructure.models.sync import TombstoneReason
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.graphql.schema import schema
from tests.auth.peers import fetch_token, https_client, register_peer
from tests.authorization.matrix import (
    Reading,
    Step,
    document,
    leaves,
    node_document,
    reachable,
)
from tests.convenings.factories import create_convening, create_rsvp, create_series
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import (
    TEST_BALLOT_KEY,
    admin_viewer,
    create_open_vote,
    create_seat,
)
from tests.graphql_client import GraphQLClient

ANONYMOUS, PEER, ALLY, PEER_PERSON, MEMBER, HOST, COMMITTEE, ADMIN = (
    "anonymous",
    "peer:read client",
    "person of an ALLY organization",
    "person of a PEER organization",
    "member",
    "host contact",
    "committee member",
    "admin",
)
ROLES = (ANONYMOUS, PEER, ALLY, PEER_PERSON, MEMBER, HOST, COMMITTEE, ADMIN)
EVERYONE = frozenset(ROLES)
# Members: people of MEMBER and STRATEGIC_PARTNER organizations (and admins).
MEMBERS = frozenset({MEMBER, HOST, COMMITTEE, ADMIN})
# Signed-in people: ALLY and PEER people see the public slice and what is theirs (their own
# person, affiliations and RSVPs), so they reach these types only through their own rows.
PEOPLE = MEMBERS | {ALLY, PEER_PERSON}
# The rule for a field visible wherever its object is.
SAME = "same as its type"
# Contact details: admins see everyone's; a person sees only their own.
OWN = "admins, and the person themself"

# Who may reach any object of each type.
TYPES: dict[str, frozenset[str]] = {
    "Query": EVERYONE,
    "Organization": EVERYONE,
    "Person": PEOPLE,
    "Affiliation": PEOPLE,
    "ConveningSeries": EVERYONE,
    # A preview of a repeating convening's dates: for those who schedule (admins, contacts).
    "RepeatingConveningDates": frozenset({ADMIN, HOST}),
    "ConveningDates": frozenset({ADMIN, HOST}),
    "ConveningError": frozenset({ADMIN, HOST}),
    "Convening": EVERYONE,
    "ConveningCounts": EVERYONE,
    "Rsvp": PEOPLE,  # individual RSVPs: never anonymous callers nor API clients
    # And the person themself: of the roles here, only the ALLY person has an RSVP.
    "RsvpNeeds": frozenset({ADMIN, HOST, ALLY}),
    "NeedsTotals": frozenset({ADMIN, HOST}),
    # The hosts' messages to the attendees: admins and the host organizations' contacts.
    "AttendeeMessage": frozenset({ADMIN, HOST}),
    "LanguageCount": frozenset({ADMIN, HOST}),
    "AccessibilityCount": frozenset({ADMIN, HOST}),
    "Proposal": EVERYONE,
    "Tally": EVERYONE,
    # A receipt check tells a choice only to the holder of a code: anyone may ask.
    "BallotReceiptCheck": EVERYONE,
    # What an email's unsubscribe link stops: told to whoever holds the link, about no one.
    "UnsubscribeLink": EVERYONE,
    "CommitteeSeat": EVERYONE,
    "Vote": MEMBERS,  # recorded ballots by seat: members only, never clients
    "GovernanceEvent": frozenset({ADMIN, COMMITTEE}),  # the audit trail
    "ProposalComment": MEMBERS,  # the discussion is the members' business
    "ProposalAmendment": EVERYONE,  # wherever its proposal is
    "ProposalVersion": EVERYONE,
    # A committee meeting is seen wherever its convening is (the arranged one is PUBLIC);
    # who is in the room is seats, which are public.
    "CommitteeMeeting": EVERYONE,
    "AgendaItem": EVERYONE,
    "Proxy": frozenset({ADMIN, COMMITTEE}),
    # The register's actions: ADOPTED decisions' ones for everyone (the public slice).
    "FollowUpAction": EVERYONE,
    "OutboxMessage": frozenset({ADMIN}),
    "EmailSuppression": frozenset({ADMIN}),
    "CalendarFeed": PEOPLE,
    "CalendarLinks": EVERYONE,
    "RateLimit": EVERYONE,
    "Tombstone": EVERYONE,
    # A client's own; admins see every client's (apiClients).
    "WebhookSubscription": frozenset({PEER, ADMIN}),
    "ApiClient": frozenset({ADMIN}),
    "ApiClientScope": frozenset({ADMIN}),
    "AuditEvent": frozenset({ADMIN}),
    "PageInfo": EVERYONE,
    # A person's own credentials (admins: anyone's); never clients nor anonymous callers.
    "PersonalAccessToken": PEOPLE,
    "SignInSession": PEOPLE,
    # What a people import file holds: asked by the import page, for admins only.
    "PeopleImportFormat": frozenset({ADMIN}),
}


def same(type_name: str, names: str) -> dict[str, str]:
    """Fields seen wherever their object is seen."""
    return {f"{type_name}.{name}": SAME for name in names.split()}


FIELDS: dict[str, Any] = {
    **same(
        "Organization",
        "id slug name kind anchorRole sector region counties state website description "
        "createdAt updatedAt archivedAt affiliations",
    ),
    **same("Person", "id name isAdmin createdAt formerMember affiliations"),
    # Whether someone came in as a guest (and the organization they named) is seen wherever
    # the person is: by admins, members and the hosts of what they answered.
    **same("Person", "isGuest guestOrganizationName"),
    "Person.email": OWN,
    "Person.phone": OWN,
    "Person.preferredLanguage": OWN,
    **same("Affiliation", "id role title person organization"),
    "Affiliation.workEmail": OWN,
    "Affiliation.workPhone": OWN,
    **same("ConveningSeries", "id slug name"),
    **same("RepeatingConveningDates", "dates errors"),
    **same("ConveningDates", "startsAt endsAt rsvpDeadline"),
    **same("ConveningError", "field code message"),
    **same(
        "Convening",
        "id title kind description startsAt endsAt timeZone venueName venueAddress "
        "virtualUrl capacity delegateLimit rsvpDeadline languages visibility status "
        "sequence updatedAt series hosts counts needsTotals viewerRsvp rsvps viewerMayManage "
        "messages",
    ),
    **same("ConveningCounts", "going maybe waitlisted notGoing attended organizationsRepresented"),
    **same(
        "Rsvp",
        "id status waitlistPosition checkedInAt person organization convening needs walkIn "
        "walkInOrganization",
    ),
    # The planners reach those who answered: admins and the host organizations' contacts.
    "Rsvp.email": frozenset({ADMIN, HOST}),
    "Rsvp.phone": frozenset({ADMIN, HOST}),
    **same(
        "AttendeeMessage",
        "id audience subject text subjectEs textEs recipientCount sentAt sentBy",
    ),
    **same(
        "RsvpNeeds", "interpretationLanguage accessibility accessibilityNote childcareCount dietary"
    ),
    **same(
        "NeedsTotals",
        "childcarePlaces accessibilityNotes dietaryNotes interpretation accessibility",
    ),
    **same("LanguageCount", "language count"),
    **same("AccessibilityCount", "need count"),
    **same(
        "Proposal",
        "id title summary body bodyHtml status originConveningId votingRule quorum ballot "
        "votingOpensAt votingClosesAt closedAt createdAt updatedAt originConvening "
        "sponsors tally votes viewerSeats viewerVote auditTrail comments amendments versions "
        "version viewerDecidesAmendments viewerMayComment viewerMayAmend meeting actions "
        "viewerMayEdit viewerMayOpenVoting viewerMayCloseVoting",
    ),
    **same(
        "ProposalComment",
        "id status hiddenReason createdAt editedAt body bodyHtml viewerIsAuthor author "
        "proposal parent replies",
    ),
    **same(
        "ProposalAmendment",
        "id body rationale status baseVersion createdAt decidedAt bodyHtml version proposal "
        "seat proposedBy decidedBy",
    ),
    **same("ProposalVersion", "number body createdAt bodyHtml amendment createdBy"),
    **same(
        "Tally",
        "final seatsEligible seatsVoted quorumThreshold quorumMet yes no abstain block outcome",
    ),
    **same("CommitteeSeat", "id active organization holder alternate"),
    **same("BallotReceiptCheck", "ballotClosed counted choice"),
    **same("UnsubscribeLink", "category"),
    **same("Vote", "id choice reason seat proposal castBy castAs"),
    **same(
        "CommitteeMeeting",
        "seatsHeld seatsInMeeting convening agenda currentItem presentSeats representedSeats "
        "proxies",
    ),
    **same("AgendaItem", "position proposal"),
    **same("Proxy", "id grantedAt revokedAt seat toSeat holder meeting proposal"),
    **same("FollowUpAction", "id what dueOn status createdAt updatedAt organization proposal"),
    "FollowUpAction.notes": MEMBERS,
    **same("GovernanceEvent", "id action detail createdAt proposal seat actor"),
    **same(
        "OutboxMessage",
        "id channel kind recipientAddress language subject status attempts lastError "
        "providerMessageId nextAttemptAt sentAt createdAt",
    ),
    **same("EmailSuppression", "id email reason detail createdAt"),
    # Shown only by createCalendarFeed, once.
    "CalendarFeed.url": frozenset(),
    "CalendarFeed.createdAt": SAME,
    **same("CalendarLinks", "icsUrl googleCalendarUrl"),
    **same("RateLimit", "cost limit remaining resetAt"),
    **same("Tombstone", "id typename reason occurredAt"),
    **same("WebhookSubscription", "id url eventTypes createdAt"),
    **same(
        "ApiClient",
        "id clientId name scopes createdAt revokedAt organization webhookSubscriptions",
    ),
    **same("ApiClientScope", "name description"),
    **same("AuditEvent", "id action detail createdAt actor"),
    **same("PageInfo", "hasNextPage hasPreviousPage startCursor endCursor"),
    **same("PersonalAccessToken", "id name scopes createdAt expiresAt lastUsedAt"),
    **same("SignInSession", "id provider userAgent createdAt lastSeenAt"),
    **same("PeopleImportFormat", "columns requiredColumns maxRows maxBytes"),
}

# Object types only mutations return: declared, so a new one is a decision too.
MUTATION_ONLY = {
    "Mutation",
    "AddAffiliationPayload",
    "AttachGuestToOrganizationPayload",
    "ConfirmGuestRsvpPayload",
    "GuestError",
    "ProfileError",
    "RequestGuestRsvpPayload",
    "UnsubscribeError",
    "UnsubscribePayload",
    "UpdateMyProfilePayload",
    "ArchiveOrganizationPayload",
    "EndAffiliationPayload",
    "MergePeoplePayload",
    "RemovePersonPayload",
    "UpdateAffiliationPayload",
    "UpdatePersonPayload",
    "AdminRightsPayload",
    "CreatePersonalAccessTokenPayload",
    "CredentialError",
    "EndSignInSessionPayload",
    "RevokePersonalAccessTokenPayload",
    "SignOutEverywherePayload",
    "AmendmentPayload",
    "ApiClientError",
    "CreateApiClientPayload",
    "OutboxError",
    "RetryOutboxMessagePayload",
    "RevokeApiClientPayload",
    "AssignSeatPayload",
    "CommentPayload",
    "CalendarError",
    "CancelConveningPayload",
    "CancelRsvpPayload",
    "CastVotePayload",
    "CheckInPayload",
    "MessageAttendeesPayload",
    "RegisterWalkInPayload",
    "ConveningError",
    "CreateCalendarFeedPayload",
    "CreateConveningPayload",
    "CreateConveningSeriesPayload",
    "RenameConveningSeriesPayload",
    "ScheduleRepeatingConveningsPayload",
    "CreateOrganizationPayload",
    "CreatePersonPayload",
    "CreateWebhookSubscriptionPayload",
    "DeleteWebhookSubscriptionPayload",
    "DirectoryError",
    "FollowUpActionPayload",
    "GovernanceError",
    "LiftSuppressionPayload",
    "ProposalPayload",
    "ProxyPayload",
    "SetMeetingAgendaPayload",
    "RevokeCalendarFeedPayload",
    "RsvpPayload",
    "SuppressionError",
    "UpdateConveningPayload",
    "UpdateMyPreferencesPayload",
    "UpdateOrganizationPayload",
    "VacateSeatPayload",
    "WebhookError",
    # The people import (admins only: tests/authorization/test_people_import.py)
    "PreviewPeopleImportPayload",
    "ImportPeoplePayload",
    "PeopleImportCounts",
    "PeopleImportRow",
    "PeopleImportError",
}
# Peers' clients never read these, by any path.
NEVER_FOR_PEERS = {
    "Person",
    "Affiliation",
    "Rsvp",
    "RsvpNeeds",
    "Vote",
    "GovernanceEvent",
    "ProposalComment",
    "Proxy",
    "OutboxMessage",
    "EmailSuppression",
    "NeedsTotals",
    "AttendeeMessage",
    "PersonalAccessToken",
    "SignInSession",
    "ApiClient",
    "ApiClientScope",
    "AuditEvent",
}


def is_plumbing(type_name: str) -> bool:
    return type_name.endswith(("Connection", "Edge"))


@dataclasses.dataclass
class Cast:
    """The arranged world: a token per role, the variables paths need, and who owns what."""

    tokens: dict[str, str | None]
    variables: dict[str, str]
    own_ids: dict[str, set[str]]


@pytest.fixture(scope="module")
async def unlimited_app(settings: Settings) -> AsyncIterator[Starlette]:
    """The real app, with budgets out of the way: this test sends many queries."""
    unlimited = dataclasses.replace(settings, budget_points=10**9, budget_anonymous_points=10**9)
    application = create_app(unlimited)
    async with application.router.lifespan_context(application):
        yield application


async def arrange(session, app: Starlette, gql: GraphQLClient) -> Cast:
    admin = await create_admin(session, phone="+1 555 0100")
    host_org = await create_organization(session, name="Host org")
    member_org = await create_organization(session, name="Member org")
    host = await create_person(session, phone="+1 555 0101")
    await affiliate(
        session,
        host,
        host_org,
        AffiliationRole.CONTACT,
        work_email="h@host.org",
        work_phone="555 0102",
        title="Organizer",
    )
    member = await create_person(session, phone="+1 555 0103")
    await affiliate(session, member, member_org, work_email="m@member.org", work_phone="555 0104")
    seated = await create_seat(session)
    attendee = await create_person(session, phone="+1 555 0105")
    await affiliate(session, attendee, member_org, work_email="a@member.org", work_phone="555 01")
    series = await create_series(session)
    convening = await create_convening(
        session,
        [host_org],
        visibility=Visibility.PUBLIC,
        series_id=series.id,
        capacity=20,
        virtual_url="https://meet.example.org/x",
    )
    await create_rsvp(
        session,
        convening,
        attendee,
        RsvpStatus.GOING,
        organization_id=member_org.id,
        interpretation_language="es",
        accessibility=["ASL"],
        accessibility_note="front row",
        childcare_count=1,
        dietary="vegetarian",
        checked_in_at=datetime.now(UTC),
    )
    proposal = await create_open_vote(session, admin=admin, origin_convening_id=convening.id)
    now = datetime.now(UTC)
    await voting.cast_vote(
        session,
        seated.holder_viewer,
        proposal.id,
        VoteChoice.YES,
        seat_id=seated.seat.id,
        ballot_key=TEST_BALLOT_KEY,
        now=now,
        reason="For the members.",
    )
    await voting.close_proposal(
        session, proposal.id, now=now + timedelta(seconds=1), due_only=False
    )
    session.add(GovernanceEvent(proposal_id=proposal.id, action=GovernanceAction.VOTE_CAST))
    session.add(
        FollowUpAction(
            proposal_id=proposal.id, organization_id=host_org.id, what="Report", notes="Private"
        )
    )
    await _discussion_of(session, proposal.id, member, seated)
    meeting = await _committee_meeting(session, host_org, admin, seated, proposal.id)
    session.add(
        OutboxMessage(
            kind="test",
            dedupe_key="matrix",
            recipient_person_id=member.id,
            recipient_address=member.email,
            payload={},
            subject="Hello",
        )
    )
    session.add(EmailSuppression(email="bounced@example.org", reason="bounce"))
    session.add(AuditEvent(action="TEST", actor_id=admin.id, detail="matrix"))
    session.add(
        AttendeeMessage(
            convening_id=convening.id,
            sent_by_id=host.id,
            audience=MessageAudience.GOING,
            subject="Parking",
            text="Park behind the hall.",
            recipient_count=1,
            idempotency_key="matrix",
        )
    )
    gone = await create_convening(session, [host_org], visibility=Visibility.PUBLIC)
    await tombstones.convening_left(session, gone, TombstoneReason.DELETED)
    await session.delete(gone)
    ally = await _outside_person(session, OrganizationKind.ALLY)
    peer_person = await _outside_person(session, OrganizationKind.PEER, state="NY")
    await create_rsvp(session, convening, ally, RsvpStatus.MAYBE, organization_id=None)
    member_viewer = await _person_viewer(session, member)
    await feed_tokens.create_feed(session, member_viewer)
    await _credentials_of(session, member)
    unsubscribe_token = await preferences.new_unsubscribe_token(
        session, member.id, EmailCategory.REMINDERS
    )
    await session.commit()
    registered = await register_peer(session)
    session.add(
        WebhookSubscription(
            client_id=registered.client.id,
            url="https://peer.example/h",
            event_types=["convening.created"],
            secret="whsec_x",
        )
    )
    await session.commit()
    async with https_client(app) as client:
        peer_token = await fetch_token(client, registered)
    people = {
        ALLY: ally,
        PEER_PERSON: peer_person,
        MEMBER: member,
        HOST: host,
        COMMITTEE: seated.holder,
        ADMIN: admin,
    }
    tokens = {role: gql.token_for(person) for role, person in people.items()}
    own = {role: await _own_ids(session, p) for role, p in people.items()}
    return Cast(
        tokens={ANONYMOUS: None, PEER: peer_token, **tokens},
        variables={
            "slug": host_org.slug,
            "conveningId": str(to_global_id("Convening", convening.id)),
            "meetingId": str(to_global_id("Convening", meeting.id)),
            "proposalId": str(to_global_id("Proposal", proposal.id)),
            "code": "NOT-A-RECEIPT-CODE",
            "token": unsubscribe_token,
            "input": {  # type: ignore[dict-item]
                "startsAt": "2031-01-01T10:00:00",
                "endsAt": "2031-01-01T12:00:00",
                "timeZone": "America/Los_Angeles",
                "recurrence": {"frequency": "WEEKLY", "count": 2},
            },
        },
        own_ids=own,
    )


async def _committee_meeting(session, host_org, admin, seated, proposal_id: int):
    """A PUBLIC committee meeting with the proposal on its agenda and a seat's proxy."""
    meeting = await create_convening(
        session, [host_org], kind=ConveningKind.COMMITTEE_MEETING, visibility=Visibility.PUBLIC
    )
    now = datetime.now(UTC)
    await meetings.set_agenda(session, admin_viewer(admin), meeting.id, [proposal_id], now=now)
    carrier = await create_seat(session)
    # Present: the carrier checked in. The shortest paths to RSVPs' needs now pass the
    # meeting's `viewerRsvp`: the admin answers it.
    await create_rsvp(session, meeting, carrier.holder, RsvpStatus.GOING, checked_in_at=now)
    await create_rsvp(session, meeting, admin, RsvpStatus.GOING, dietary="vegan")
    grant = proxies.ProxyGrant(
        seat_id=seated.seat.id, to_seat_id=carrier.seat.id, meeting_id=meeting.id
    )
    await proxies.grant_proxy(session, seated.holder_viewer, grant, max_per_person=1, now=now)
    return meeting


async def _discussion_of(session, proposal_id: int, member, seated) -> None:
    """A thread (a comment and its reply) and an accepted amendment making version 2."""
    comment = ProposalComment(proposal_id=proposal_id, author_id=member.id, body="*Yes*")
    session.add(comment)
    await session.flush()
    session.add(
        ProposalComment(
            proposal_id=proposal_id, parent_id=comment.id, author_id=member.id, body="Agreed"
        )
    )
    amendment = ProposalAmendment(
        proposal_id=proposal_id,
        seat_id=seated.seat.id,
        proposed_by_id=seated.holder.id,
        base_version=1,
        body="Amended",
        rationale="Clearer",
        status=AmendmentStatus.ACCEPTED,
    )
    session.add(amendment)
    await session.flush()
    session.add_all(
        [
            ProposalVersion(proposal_id=proposal_id, number=1, body="Body"),
            ProposalVersion(
                proposal_id=proposal_id, number=2, body="Amended", amendment_id=amendment.id
            ),
        ]
    )


async def _credentials_of(session, person) -> None:
    """A token and a signed-in browser: what the credentials fields show their person."""
    now = datetime.now(UTC)
    await make_personal_token(
        session,
        person_id=person.id,
        name="script",
        scopes=frozenset({READ}),
        expires_at=now + timedelta(days=1),
        now=now,
    )
    await open_session(session, person_id=person.id, provider="email", user_agent="UA", now=now)


async def _outside_person(session, kind: OrganizationKind, **organization: Any):
    """A person of an ALLY or PEER organization: in the hub, not a member of the alliance."""
    outside = await create_organization(session, kind=kind, **organization)
    person = await create_person(session, phone="+1 555 0199")
    await affiliate(session, person, outside, work_email="o@outside.org", work_phone="555 02")
    return person


async def _own_ids(session, person) -> set[str]:
    """The global ids of the person and of their affiliations: what OWN fields may show."""
    affiliations = await session.scalars(
        select(Affiliation.id).where(Affiliation.person_id == person.id)
    )
    ids = {str(to_global_id("Affiliation", pk)) for pk in affiliations}
    return ids | {str(to_global_id("Person", person.id))}


async def _person_viewer(session, person):
    from hub.access.auth.viewer import load_person_viewer

    return await load_person_viewer(session, person.id)


async def read_everything(gql: GraphQLClient, cast: Cast, role: str, ids: set[str]) -> Reading:
    reading = Reading()
    served = schema._schema
    for paths in reachable(served).values():
        for number, path in enumerate(paths):
            for named in (True, False) if number == 0 else (False,):
                await _read(
                    gql, cast, role, reading, path, document(served, path, named_fragment=named)
                )
    text = node_document(served, _node_types())
    for global_id in sorted(ids):
        body = await gql(text, {"id": global_id}, token=cast.tokens[role])
        found = (body.get("data") or {}).get("node")
        if found is not None:
            path = (Step("node", found["__typename"]),)
            reading.walk(body["data"], path, leaves(served, found["__typename"]))
    return reading


def _node_types() -> list[str]:
    served = schema._schema
    node = served.get_type("Node")
    return sorted(t.name for t in served.get_possible_types(node))  # type: ignore[arg-type]


async def _read(gql, cast, role, reading, path, text, extra=None) -> None:
    wanted = {k: v for k, v in cast.variables.items() if f"${k}" in text}
    body = await gql(text, {**wanted, **(extra or {})}, token=cast.tokens[role])
    if body.get("data") is not None:
        reading.walk(body["data"], path, leaves(schema._schema, path[-1].type_name))


@pytest.fixture(scope="module")
async def readings(unlimited_app, runtime) -> AsyncIterator[dict[str, Reading]]:
    transport = httpx.ASGITransport(app=unlimited_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as http:
        gql = GraphQLClient(http, unlimited_app.state.runtime)
        async with runtime.sessions() as session:
            cast = await arrange(session, unlimited_app, gql)
        admin_first = await read_everything(gql, cast, ADMIN, set())
        ids = {i for seen in admin_first.reached.values() for i in seen if "(" not in i}
        yield {role: await read_everything(gql, cast, role, ids) for role in ROLES} | {"cast": cast}  # type: ignore[dict-item]


def test_every_type_and_field_of_the_schema_has_a_rule():
    served = schema._schema
    objects = {
        n
        for n, t in served.type_map.items()
        if isinstance(t, GraphQLObjectType) and not n.startswith("__") and not is_plumbing(n)
    }
    reached = set(reachable(served)) | {"Query"}
    assert objects - reached - MUTATION_ONLY == set(), "object types reached by no query path"
    missing_types = sorted(n for n in reached if n not in TYPES and not is_plumbing(n))
    assert missing_types == [], f"types with no rule: {missing_types}"
    missing = [
        f"field {name}.{f} has no rule"
        for name in sorted(reached - {"Query"})
        if not is_plumbing(name)
        for f in served.get_type(name).fields
        if f"{name}.{f}" not in FIELDS
    ]  # type: ignore[union-attr]
    assert missing == []


@pytest.mark.parametrize("role", [ALLY, PEER_PERSON])
def test_ally_and_peer_people_read_only_their_own_people_and_rsvps(readings, role):
    reached = {
        type_name: {i for i in ids if "(" not in i}  # objects read without their id
        for type_name, ids in readings[role].reached.items()
    }
    own = readings["cast"].own_ids[role]
    assert reached["Person"] <= own
    assert reached["Affiliation"] <= own
    assert len(reached.get("Rsvp", set())) == (1 if role == ALLY else 0)
    assert reached.get("Vote", set()) == set()


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reads_only_what_the_policy_allows(readings, role):
    reading: Reading = readings[role]
    cast: Cast = readings["cast"]
    for type_name, ids in reading.reached.items():
        if ids and not is_plumbing(type_name):
            assert role in TYPES[type_name], f"{role} reached {type_name}: {sorted(ids)[:3]}"
    for key, values in reading.values.items():
        if is_plumbing(key.split(".")[0]):
            continue
        rule = FIELDS[key]
        if rule == SAME:
            continue
        if rule == OWN:
            if role != ADMIN:
                owners = {owner for owner, _ in values}
                assert owners <= cast.own_ids.get(role, set()), f"{role} read {key} of {owners}"
            continue
        assert role in rule, f"{role} read {key}: {values[:3]}"


def test_a_peer_client_never_reads_private_data_by_any_path(readings):
    peer: Reading = readings[PEER]
    assert {t for t, ids in peer.reached.items() if ids} & NEVER_FOR_PEERS == set()
    private = [
        k
        for k in peer.values
        if k.split(".")[1]
        in {"email", "phone", "workEmail", "workPhone", "needs", "choice", "rsvps"}
    ]
    assert private == []


def test_the_data_gives_every_type_a_row_for_someone(readings):
    seen = {t for role in ROLES for t, ids in readings[role].reached.items() if ids}
    # (ConveningError: the arranged preview is valid, so it reports no mistake.)
    unseen = {"Query", "PageInfo", "CalendarFeed", "ConveningError"}
    expected = {t for t in TYPES if t not in unseen}
    assert expected - seen == set()
    admin: Reading = readings[ADMIN]
    for key in (
        "Person.email",
        "Person.phone",
        "Affiliation.workEmail",
        "RsvpNeeds.dietary",
        "Vote.choice",
        "Vote.reason",
        "OutboxMessage.recipientAddress",
    ):
        assert admin.values[key], f"the arranged data shows the admin no {key}"
