"""The proposal page's discussion and amendment forms over plain HTTP: an admin hides a
comment (a reason required), a decision without its button is refused, and a form without the
session's CSRF token changes nothing."""

from __future__ import annotations

import httpx
from sqlalchemy import select

from hub.infrastructure.models import ProposalAmendment, ProposalComment, ProposalSponsor
from hub.infrastructure.models.governance import AmendmentStatus, CommentStatus
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_member
from tests.factories import create_admin, create_organization
from tests.frontend.over_http import csrf_of, plain, sign_in_over_http
from tests.governance.factories import create_proposal, create_seat


async def arranged(session):
    proposal = await create_proposal(session)
    sponsor_org = await create_organization(session)
    session.add(ProposalSponsor(proposal_id=proposal.id, organization_id=sponsor_org.id))
    sponsor = await create_member(session, sponsor_org)
    member = await create_member(session)
    seated = await create_seat(session)
    comment = ProposalComment(proposal_id=proposal.id, author_id=member.id, body="Off topic")
    amendment = ProposalAmendment(
        proposal_id=proposal.id,
        seat_id=seated.seat.id,
        proposed_by_id=seated.holder.id,
        base_version=1,
        body="New text",
        rationale="Why",
    )
    admin = await create_admin(session)
    session.add_all([comment, amendment])
    await session.commit()
    return proposal, comment, amendment, sponsor, admin


async def statuses(session) -> tuple:
    comment = await session.scalar(select(ProposalComment.status))
    amendment = await session.scalar(select(ProposalAmendment.status))
    await session.commit()
    return comment, amendment


async def test_an_admin_hides_a_comment_through_the_page(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    proposal, comment, _, _, admin = await arranged(session)
    url = f"/proposals/{to_global_id('Proposal', proposal.id)}"
    await sign_in_over_http(http, runtime, admin)
    page = await http.get(url)
    form = {"csrf_token": csrf_of(page), "commentId": to_global_id("ProposalComment", comment.id)}

    without_reason = await http.post(f"{url}/comments/hide", data={**form, "reason": " "})
    assert without_reason.status_code == 422
    assert "Fill this in." in plain(without_reason.text)
    assert await statuses(session) == (CommentStatus.VISIBLE, AmendmentStatus.PENDING)

    hidden = await http.post(f"{url}/comments/hide", data={**form, "reason": "Off topic"})
    assert hidden.status_code == 303
    shown = plain((await http.get(url)).text)
    assert "The comment is hidden." in shown
    assert "Hidden by an admin: Off topic" in shown
    assert await statuses(session) == (CommentStatus.HIDDEN, AmendmentStatus.PENDING)


async def test_a_decision_needs_its_button_and_every_form_its_csrf_token(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    proposal, _, amendment, sponsor, _ = await arranged(session)
    url = f"/proposals/{to_global_id('Proposal', proposal.id)}"
    await sign_in_over_http(http, runtime, sponsor)
    page = await http.get(url)
    amendment_id = to_global_id("ProposalAmendment", amendment.id)

    no_button = await http.post(
        f"{url}/amendments/decide", data={"csrf_token": csrf_of(page), "amendmentId": amendment_id}
    )
    forged = await http.post(
        f"{url}/amendments/decide",
        data={"csrf_token": "forged", "amendmentId": amendment_id, "decision": "accept"},
    )
    no_token = await http.post(f"{url}/comments", data={"body": "Hi"})

    assert no_button.status_code == 422
    assert (forged.status_code, no_token.status_code) == (403, 403)
    assert await statuses(session) == (CommentStatus.VISIBLE, AmendmentStatus.PENDING)
    accepted = await http.post(
        f"{url}/amendments/decide",
        data={"csrf_token": csrf_of(page), "amendmentId": amendment_id, "decision": "accept"},
    )
    assert accepted.status_code == 303
    assert await statuses(session) == (CommentStatus.VISIBLE, AmendmentStatus.ACCEPTED)
