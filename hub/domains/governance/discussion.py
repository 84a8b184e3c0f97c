"""A proposal's discussion: comments by members while the proposal is in DISCUSSION, replies
one level deep, edited or withdrawn by their authors, hidden by admins with a reason.

Adding or editing takes the proposal's row lock, as opening voting does, so a comment either
lands while the discussion is open or is refused once voting has opened.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.access.permissions import governance as rules
from hub.common.errors import InputError
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.proposals import visible_proposal
from hub.infrastructure.audit import record_audit
from hub.infrastructure.models import Proposal, ProposalComment
from hub.infrastructure.models.governance import CommentStatus, ProposalStatus

COMMENT_LIMIT = 10_000
HIDE_REASON_LIMIT = 500
HIDDEN = "comment.hidden"


def visible_comments(viewer: Viewer) -> Select[ProposalComment]:
    return select(ProposalComment).where(rules.comment_rows(viewer))


async def add_comment(
    session: AsyncSession,
    viewer: Viewer,
    proposal_id: int,
    body: str,
    *,
    parent_id: int | None = None,
    now: datetime,
) -> ProposalComment:
    rules.require_discussant(viewer)
    proposal = await _open_discussion(session, viewer, proposal_id)
    text = _comment_text(body)
    if parent_id is not None:
        await _parent(session, viewer, proposal, parent_id)
    comment = ProposalComment(
        proposal_id=proposal.id,
        parent_id=parent_id,
        author_id=viewer.person_id,
        body=text,
        status=CommentStatus.VISIBLE,
        created_at=now,
        updated_at=now,
    )
    session.add(comment)
    await session.flush()
    return comment


async def edit_comment(
    session: AsyncSession, viewer: Viewer, comment_id: int, body: str, *, now: datetime
) -> ProposalComment:
    comment = await _own_live_comment(session, viewer, comment_id)
    await _open_discussion(session, viewer, comment.proposal_id)
    comment.body = _comment_text(body)
    comment.edited_at = comment.updated_at = now
    await session.flush()
    return comment


async def withdraw_comment(
    session: AsyncSession, viewer: Viewer, comment_id: int, *, now: datetime
) -> ProposalComment:
    """The author takes it back, at any time: it stays in the thread as "withdrawn"."""
    comment = await _own_live_comment(session, viewer, comment_id)
    comment.status = CommentStatus.WITHDRAWN
    comment.updated_at = now
    await session.flush()
    return comment


async def hide_comment(
    session: AsyncSession, viewer: Viewer, comment_id: int, reason: str, *, now: datetime
) -> ProposalComment:
    rules.require_moderator(viewer)
    comment = await visible_comment(session, viewer, comment_id)
    cleaned = (reason or "").strip()
    if not cleaned:
        raise InputError("reason", Code.REQUIRED, "Say why the comment is hidden.")
    if len(cleaned) > HIDE_REASON_LIMIT:
        raise InputError("reason", Code.TOO_LONG, f"Keep the reason under {HIDE_REASON_LIMIT}.")
    if comment.status is CommentStatus.HIDDEN:
        raise InputError("commentId", Code.COMMENT_HIDDEN, "This comment is hidden already.")
    comment.status = CommentStatus.HIDDEN
    comment.hidden_reason = cleaned
    comment.hidden_by_id = viewer.person_id
    comment.updated_at = now
    await session.flush()
    detail = f"comment {comment.id} on proposal {comment.proposal_id}: {cleaned}"
    await record_audit(session, action=HIDDEN, actor_id=viewer.person_id, detail=detail, now=now)
    return comment


async def visible_comment(
    session: AsyncSession, viewer: Viewer, comment_id: int, *, field: str = "commentId"
) -> ProposalComment:
    statement = visible_comments(viewer).where(ProposalComment.id == comment_id)
    found = await session.scalar(statement.execution_options(populate_existing=True))
    if found is None:
        raise InputError(field, Code.UNKNOWN_COMMENT, "No comment with that id.")
    return found


async def _open_discussion(session: AsyncSession, viewer: Viewer, proposal_id: int) -> Proposal:
    proposal = await visible_proposal(session, viewer, proposal_id, lock=True)
    if proposal.status is not ProposalStatus.DISCUSSION:
        raise InputError(
            "proposalId",
            Code.NOT_IN_DISCUSSION,
            "Comments are taken while a proposal is in DISCUSSION, not once voting opened.",
        )
    return proposal


async def _own_live_comment(
    session: AsyncSession, viewer: Viewer, comment_id: int
) -> ProposalComment:
    rules.require_person(viewer)
    comment = await visible_comment(session, viewer, comment_id)
    rules.require_author(viewer, comment.author_id)
    if comment.status is CommentStatus.WITHDRAWN:
        raise InputError("commentId", Code.COMMENT_WITHDRAWN, "You withdrew this comment.")
    if comment.status is CommentStatus.HIDDEN:
        raise InputError("commentId", Code.COMMENT_HIDDEN, "An admin hid this comment.")
    return comment


async def _parent(
    session: AsyncSession, viewer: Viewer, proposal: Proposal, parent_id: int
) -> ProposalComment:
    parent = await visible_comment(session, viewer, parent_id, field="parentId")
    if parent.proposal_id != proposal.id:
        raise InputError("parentId", Code.UNKNOWN_COMMENT, "No comment with that id here.")
    if parent.parent_id is not None:
        raise InputError(
            "parentId", Code.REPLY_TO_REPLY, "Reply to the comment that began the thread."
        )
    return parent


def _comment_text(body: str) -> str:
    cleaned = (body or "").strip()
    if not cleaned:
        raise InputError("body", Code.REQUIRED, "Write the comment.")
    if len(cleaned) > COMMENT_LIMIT:
        raise InputError("body", Code.TOO_LONG, f"Keep the comment under {COMMENT_LIMIT}.")
    return cleaned
