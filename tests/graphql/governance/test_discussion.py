"""A proposal's discussion: members comment while it is in DISCUSSION, threads one level deep,
authors edit and withdraw their own, admins hide with a reason (audited), and nothing is
taken once voting opened. Every refusal changes nothing."""

from __future__ import annotations

from sqlalchemy import select

from hub.infrastructure.models import AuditEvent, ProposalComment
from hub.infrastructure.models.directory import OrganizationKind
from hub.infrastructure.models.governance import ProposalStatus
from hub.interfaces.graphql.node import to_global_id
from tests.convenings.factories import create_member
from tests.factories import create_admin, create_organization
from tests.governance.factories import create_open_vote, create_proposal, create_seat

ADD = """
mutation ($input: AddCommentInput!) { addComment(input: $input) {
  comment { id body status author { name } parent { id } }
  errors { field code }
} }
"""
EDIT = """
mutation ($input: EditCommentInput!) { editComment(input: $input) {
  comment { body editedAt } errors { field code }
} }
"""
WITHDRAW = """
mutation ($input: WithdrawCommentInput!) { withdrawComment(input: $input) {
  comment { status body } errors { field code }
} }
"""
HIDE = """
mutation ($input: HideCommentInput!) { hideComment(input: $input) {
  comment { status body hiddenReason } errors { field code }
} }
"""
THREADS = """
query ($id: ID!) { node(id: $id) { ... on Proposal { comments {
  body bodyHtml status hiddenReason viewerIsAuthor author { name }
  replies { body status author { name } replies { body } }
} } } }
"""

BODIES = "query ($id: ID!) { node(id: $id) { ... on Proposal { comments { body } } } }"


def gid(type_name: str, pk: int) -> str:
    return to_global_id(type_name, pk)


async def stored(session) -> list[tuple]:
    rows = await session.execute(
        select(
            ProposalComment.id,
            ProposalComment.parent_id,
            ProposalComment.body,
            ProposalComment.status,
            ProposalComment.hidden_reason,
        ).order_by(ProposalComment.id)
    )
    found = [tuple(row) for row in rows]
    # Ends the read (SQLite: it holds the write lock); commit keeps the arranged objects loaded.
    await session.commit()
    return found


async def add(gql, person, proposal_id: int, body: str, parent: str | None = None) -> dict:
    variables = {"input": {"proposalId": gid("Proposal", proposal_id), "body": body}}
    if parent is not None:
        variables["input"]["parentId"] = parent
    return (await gql.data(ADD, variables, as_=person))["addComment"]


async def test_members_discuss_in_threads_one_level_deep(session, gql):
    # Given a proposal in discussion and two members of member organizations
    proposal = await create_proposal(session, status=ProposalStatus.DISCUSSION)
    ana = await create_member(session, name="Ana")
    partner = await create_organization(session, kind=OrganizationKind.STRATEGIC_PARTNER)
    ben = await create_member(session, partner, name="Ben")
    await session.commit()

    # When Ana comments, Ben replies, and Ana tries to reply to the reply
    first = await add(gql, ana, proposal.id, "## Agreed\n\nWith *one* change.")
    reply = await add(gql, ben, proposal.id, "Which change?", parent=first["comment"]["id"])
    deeper = await add(gql, ana, proposal.id, "This one.", parent=reply["comment"]["id"])

    # Then the thread holds the comment and its reply; the reply to a reply was refused
    assert first["errors"] == [] and reply["errors"] == []
    assert reply["comment"]["parent"] == {"id": first["comment"]["id"]}
    assert deeper == {"comment": None, "errors": [{"field": "parentId", "code": "REPLY_TO_REPLY"}]}
    data = await gql.data(THREADS, {"id": gid("Proposal", proposal.id)}, as_=ben)
    assert data["node"]["comments"] == [
        {
            "body": "## Agreed\n\nWith *one* change.",
            "bodyHtml": "<h2>Agreed</h2>\n<p>With <em>one</em> change.</p>\n",
            "status": "VISIBLE",
            "hiddenReason": None,
            "viewerIsAuthor": False,
            "author": {"name": "Ana"},
            "replies": [
                {
                    "body": "Which change?",
                    "status": "VISIBLE",
                    "author": {"name": "Ben"},
                    "replies": [],
                }
            ],
        }
    ]
    assert len(await stored(session)) == 2


async def test_no_comment_is_taken_outside_discussion(session, gql):
    # Given a proposal whose voting opened, and a draft
    await create_seat(session)
    voting = await create_open_vote(session)
    draft = await create_proposal(session, status=ProposalStatus.DRAFT)
    admin = await create_admin(session)
    await session.commit()

    # When an admin (who sees both) comments on each
    refused = [await add(gql, admin, p.id, "Too late?") for p in (voting, draft)]

    # Then both are refused with a code, and nothing is stored
    expected = {"comment": None, "errors": [{"field": "proposalId", "code": "NOT_IN_DISCUSSION"}]}
    assert refused == [expected, expected]
    assert await stored(session) == []


async def test_an_author_edits_and_withdraws_and_the_thread_keeps_its_place(session, gql):
    proposal = await create_proposal(session, status=ProposalStatus.DISCUSSION)
    ana = await create_member(session, name="Ana")
    ben = await create_member(session, name="Ben")
    await session.commit()
    first = (await add(gql, ana, proposal.id, "Frist"))["comment"]["id"]
    await add(gql, ben, proposal.id, "Agreed.", parent=first)

    # When Ben tries to edit Ana's comment, then Ana edits and withdraws it
    other = await gql(EDIT, {"input": {"commentId": first, "body": "Mine now"}}, as_=ben)
    edited = await gql.data(EDIT, {"input": {"commentId": first, "body": "First"}}, as_=ana)
    withdrawn = await gql.data(WITHDRAW, {"input": {"commentId": first}}, as_=ana)
    again = await gql.data(EDIT, {"input": {"commentId": first, "body": "Back"}}, as_=ana)

    # Then Ben was refused, Ana's edit is stored with its time, and the withdrawn comment
    # stays in the thread, its text shown to nobody but admins
    assert other["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert edited["editComment"]["comment"]["body"] == "First"
    assert edited["editComment"]["comment"]["editedAt"] is not None
    assert withdrawn["withdrawComment"] == {
        "comment": {"status": "WITHDRAWN", "body": None},
        "errors": [],
    }
    assert again["editComment"]["errors"] == [{"field": "commentId", "code": "COMMENT_WITHDRAWN"}]
    threads = (await gql.data(THREADS, {"id": gid("Proposal", proposal.id)}, as_=ben))["node"]
    assert [(c["status"], c["body"], len(c["replies"])) for c in threads["comments"]] == [
        ("WITHDRAWN", None, 1)
    ]
    admin = await create_admin(session)
    await session.commit()
    seen = (await gql.data(THREADS, {"id": gid("Proposal", proposal.id)}, as_=admin))["node"]
    assert seen["comments"][0]["body"] == "First"


async def test_an_admin_hides_a_comment_with_a_reason_and_it_is_audited(session, gql):
    proposal = await create_proposal(session, status=ProposalStatus.DISCUSSION)
    ana = await create_member(session, name="Ana")
    admin = await create_admin(session, name="Alma Admin")
    await session.commit()
    admin_id = admin.id
    comment = (await add(gql, ana, proposal.id, "Rude words"))["comment"]["id"]
    before = await stored(session)

    # When Ana tries to hide it, and the admin hides it without then with a reason
    by_member = await gql(HIDE, {"input": {"commentId": comment, "reason": "x"}}, as_=ana)
    no_reason = await gql.data(HIDE, {"input": {"commentId": comment, "reason": " "}}, as_=admin)
    assert await stored(session) == before
    hidden = await gql.data(
        HIDE, {"input": {"commentId": comment, "reason": "Personal attack"}}, as_=admin
    )

    # Then only the admin's hiding with a reason took, the reason shows in its place, and the
    # admins' audit trail holds it
    assert by_member["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    assert no_reason["hideComment"]["errors"] == [{"field": "reason", "code": "REQUIRED"}]
    assert hidden["hideComment"] == {
        "comment": {"status": "HIDDEN", "body": "Rude words", "hiddenReason": "Personal attack"},
        "errors": [],
    }
    threads = (await gql.data(THREADS, {"id": gid("Proposal", proposal.id)}, as_=ana))["node"]
    assert [(c["status"], c["body"], c["hiddenReason"]) for c in threads["comments"]] == [
        ("HIDDEN", None, "Personal attack")
    ]
    audit = (await session.execute(select(AuditEvent.action, AuditEvent.actor_id))).all()
    await session.commit()
    assert audit == [("comment.hidden", admin_id)]
    edit = await gql.data(EDIT, {"input": {"commentId": comment, "body": "Nice"}}, as_=ana)
    assert edit["editComment"]["errors"] == [{"field": "commentId", "code": "COMMENT_HIDDEN"}]


async def test_who_may_comment_and_who_reads_the_discussion(session, gql):
    # Given an adopted proposal (public) with a comment from its discussion
    proposal = await create_proposal(session, status=ProposalStatus.ADOPTED)
    member = await create_member(session)
    session.add(ProposalComment(proposal_id=proposal.id, author_id=member.id, body="Yes!"))
    open_one = await create_proposal(session, status=ProposalStatus.DISCUSSION)
    ally = await create_member(
        session, await create_organization(session, kind=OrganizationKind.ALLY)
    )
    await session.commit()
    variables = {"input": {"proposalId": gid("Proposal", open_one.id), "body": "Hi"}}

    # Then an anonymous caller and an ALLY person may not comment, nor read the discussion
    anonymous = await gql(ADD, variables)
    outsider = await gql(ADD, variables, as_=ally)
    assert anonymous["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
    assert outsider["errors"][0]["extensions"] == {"code": "FORBIDDEN"}
    for viewer in (None, ally):
        data = await gql.data(BODIES, {"id": gid("Proposal", proposal.id)}, as_=viewer)
        assert data["node"]["comments"] == []
    seen = await gql.data(BODIES, {"id": gid("Proposal", proposal.id)}, as_=member)
    assert [c["body"] for c in seen["node"]["comments"]] == ["Yes!"]
    assert len(await stored(session)) == 1


async def test_bad_comment_input_gets_a_code_and_changes_nothing(session, gql):
    proposal = await create_proposal(session, status=ProposalStatus.DISCUSSION)
    ana = await create_member(session)
    await session.commit()

    answers = [
        await add(gql, ana, proposal.id, "   "),
        await add(gql, ana, proposal.id, "x" * 10_001),
        await add(gql, ana, proposal.id, "Hi", parent="not-an-id"),
        await add(gql, ana, proposal.id, "Hi", parent=gid("ProposalComment", 999_999)),
    ]
    unknown_proposal = await gql.data(
        ADD, {"input": {"proposalId": gid("Proposal", 999_999), "body": "Hi"}}, as_=ana
    )

    assert [a["errors"] for a in answers] == [
        [{"field": "body", "code": "REQUIRED"}],
        [{"field": "body", "code": "TOO_LONG"}],
        [{"field": "parentId", "code": "UNKNOWN_COMMENT"}],
        [{"field": "parentId", "code": "UNKNOWN_COMMENT"}],
    ]
    assert unknown_proposal["addComment"]["errors"] == [
        {"field": "proposalId", "code": "UNKNOWN_PROPOSAL"}
    ]
    assert await stored(session) == []
