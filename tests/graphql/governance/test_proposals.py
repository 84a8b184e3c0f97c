"""createProposal, updateProposal and who sees which proposal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from hub.infrastructure.models import Convening, Proposal, ProposalSponsor
from hub.infrastructure.models.convenings import ConveningKind
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.governance.factories import create_open_vote, create_proposal, create_seat

CREATE = """
mutation ($input: CreateProposalInput!) {
  createProposal(input: $input) {
    proposal { title summary body status sponsors { name } originConveningId tally { final } }
    errors { field code message }
  }
}
"""
UPDATE = """
mutation ($input: UpdateProposalInput!) {
  updateProposal(input: $input) {
    proposal { title summary body status sponsors { name } }
    errors { field code message }
  }
}
"""
TITLES = "{ proposals { totalCount edges { node { title status } } } }"


def gid(type_name: str, row) -> str:
    return to_global_id(type_name, row.id)


async def snapshot(session, proposal_id: int) -> tuple:
    row = await session.scalar(
        select(Proposal).where(Proposal.id == proposal_id).execution_options(populate_existing=True)
    )
    sponsors = await session.scalars(
        select(ProposalSponsor.organization_id).where(ProposalSponsor.proposal_id == proposal_id)
    )
    found = (row.title, row.summary, row.body, row.status, sorted(sponsors))
    await session.commit()
    return found


async def test_a_committee_member_drafts_a_proposal(session, gql):
    seated = await create_seat(session)
    scope = await create_organization(session, name="SCOPE")
    acce = await create_organization(session, name="ACCE Action")
    start = datetime(2011, 1, 27, 17, tzinfo=UTC)
    convening = Convening(
        title="Strategy session",
        kind=ConveningKind.STRATEGY_SESSION,
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        time_zone="America/Los_Angeles",
    )
    session.add(convening)
    await session.commit()

    variables = {
        "input": {
            "title": "  A common long-term agenda  ",
            "summary": "On the tax and fiscal crisis.",
            "body": "## Why\n\nEquity.",
            "sponsorOrganizationIds": [gid("Organization", scope), gid("Organization", acce)],
            "originConveningId": gid("Convening", convening),
        }
    }
    data = await gql.data(CREATE, variables, as_=seated.holder)

    assert data["createProposal"] == {
        "proposal": {
            "title": "A common long-term agenda",
            "summary": "On the tax and fiscal crisis.",
            "body": "## Why\n\nEquity.",
            "status": "DRAFT",
            "sponsors": [{"name": "ACCE Action"}, {"name": "SCOPE"}],
            "originConveningId": gid("Convening", convening),
            "tally": None,
        },
        "errors": [],
    }


async def test_people_off_the_committee_cannot_write_proposals(session, gql):
    organization = await create_organization(session)
    member = await create_person(session)
    await affiliate(session, member, organization)
    await session.commit()

    body = await gql(CREATE, {"input": {"title": "Mine"}}, as_=member)

    assert body["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert await session.scalar(select(Proposal.id)) is None


async def test_a_blank_title_is_a_payload_error(session, gql):
    admin = await create_admin(session)
    await session.commit()

    data = await gql.data(CREATE, {"input": {"title": "   "}}, as_=admin)

    assert data["createProposal"] == {
        "proposal": None,
        "errors": [{"field": "title", "code": "REQUIRED", "message": "Give the proposal a title."}],
    }


async def test_a_proposal_moves_to_discussion_with_new_text(session, gql):
    seated = await create_seat(session)
    partner = await create_organization(session, name="Courage Campaign")
    proposal = await create_proposal(session, status=ProposalStatus.DRAFT)
    await session.commit()

    variables = {
        "input": {
            "id": gid("Proposal", proposal),
            "title": "Shared communication practice",
            "status": "DISCUSSION",
            "sponsorOrganizationIds": [gid("Organization", partner)],
        }
    }
    data = await gql.data(UPDATE, variables, as_=seated.alternate)

    assert data["updateProposal"] == {
        "proposal": {
            "title": "Shared communication practice",
            "summary": proposal.summary,
            "body": proposal.body,
            "status": "DISCUSSION",
            "sponsors": [{"name": "Courage Campaign"}],
        },
        "errors": [],
    }


async def test_the_text_is_frozen_once_voting_opens(session, gql):
    seated = await create_seat(session)
    proposal = await create_open_vote(session)
    await session.commit()
    before = await snapshot(session, proposal.id)

    variables = {"input": {"id": gid("Proposal", proposal), "title": "Sneaked in"}}
    data = await gql.data(UPDATE, variables, as_=seated.holder)

    assert data["updateProposal"] == {
        "proposal": None,
        "errors": [
            {
                "field": None,
                "code": "TEXT_FROZEN",
                "message": "A proposal's text is frozen once voting opens.",
            }
        ],
    }
    assert await snapshot(session, proposal.id) == before


async def test_status_moves_only_along_the_allowed_paths(session, gql):
    admin = await create_admin(session)
    proposal = await create_proposal(session, status=ProposalStatus.DRAFT)
    await session.commit()
    before = await snapshot(session, proposal.id)

    variables = {"input": {"id": gid("Proposal", proposal), "status": "ADOPTED", "title": "X"}}
    data = await gql.data(UPDATE, variables, as_=admin)
    withdrawn = {"input": {"id": gid("Proposal", proposal), "status": "WITHDRAWN"}}
    moved = await gql.data(UPDATE, withdrawn, as_=admin)
    back = {"input": {"id": gid("Proposal", proposal), "status": "DRAFT"}}
    frozen = await gql.data(UPDATE, back, as_=admin)

    assert [e["code"] for e in data["updateProposal"]["errors"]] == ["INVALID_STATUS_CHANGE"]
    assert moved["updateProposal"]["proposal"]["status"] == "WITHDRAWN"
    assert [e["code"] for e in frozen["updateProposal"]["errors"]] == ["TEXT_FROZEN"]
    assert (await snapshot(session, proposal.id))[:3] == before[:3]


async def test_who_sees_which_proposal(session, gql):
    # Given a proposal in every status
    for status in ProposalStatus:
        await create_proposal(session, title=status.value, status=status)
    seated = await create_seat(session)
    admin = await create_admin(session)
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    stranger = await create_person(session)
    await session.commit()

    async def seen(person) -> list[str]:
        data = await gql.data(TITLES, as_=person)
        return [edge["node"]["title"] for edge in data["proposals"]["edges"]]

    everything = [s.value for s in ProposalStatus]
    assert await seen(admin) == everything
    assert await seen(seated.holder) == everything
    assert await seen(member) == ["DISCUSSION", "VOTING", "ADOPTED", "REJECTED", "WITHDRAWN"]
    assert await seen(stranger) == ["ADOPTED", "REJECTED"]
    assert await seen(None) == ["ADOPTED", "REJECTED"]
    filtered = await gql.data("{ proposals(status: ADOPTED) { totalCount } }")
    assert filtered == {"proposals": {"totalCount": 1}}


async def test_a_proposal_links_to_the_convening_it_emerged_from(session, gql):
    from datetime import UTC, datetime, timedelta

    from hub.infrastructure.models import Convening, Proposal
    from hub.infrastructure.models.convenings import ConveningKind, Visibility
    from tests.factories import create_admin

    admin = await create_admin(session)
    start = datetime(2011, 1, 27, 17, tzinfo=UTC)
    convening = Convening(
        title="January strategy session",
        kind=ConveningKind.STRATEGY_SESSION,
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        time_zone="America/Los_Angeles",
        venue_name="South LA",
        visibility=Visibility.PUBLIC,
        languages=[],
    )
    session.add(convening)
    await session.flush()
    session.add(Proposal(title="A common agenda", origin_convening_id=convening.id))
    await session.commit()

    data = await gql.data(
        "{ proposals { edges { node { originConvening { title } } } } }", as_=admin
    )

    assert data["proposals"]["edges"] == [
        {"node": {"originConvening": {"title": "January strategy session"}}}
    ]


async def test_the_body_is_served_as_markdown_and_as_sanitized_html(session, gql):
    proposal = await create_proposal(
        session, body="## Why\n\n*Now* <script>x()</script>", status=ProposalStatus.ADOPTED
    )
    await session.commit()

    data = await gql.data(
        "query ($id: ID!) { node(id: $id) { ... on Proposal { body bodyHtml } } }",
        {"id": gid("Proposal", proposal)},
    )

    assert data["node"] == {
        "body": "## Why\n\n*Now* <script>x()</script>",
        "bodyHtml": "<h2>Why</h2>\n<p><em>Now</em> &lt;script&gt;x()&lt;/script&gt;</p>\n",
    }
