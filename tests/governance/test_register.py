"""The register's service: who keeps follow-up actions and what input it refuses, checked
before anything changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from hub.access.permissions import Forbidden
from hub.common.errors import InputError
from hub.domains.governance import register
from hub.infrastructure.models import AuditEvent, FollowUpAction
from hub.infrastructure.models.governance import VoteChoice
from tests.factories import create_admin
from tests.governance.factories import admin_viewer, create_committee
from tests.governance.register_factories import create_action, create_decision

NOW = datetime(2026, 12, 1, tzinfo=UTC)


async def written(session) -> tuple[int, int]:
    return (
        await session.scalar(select(func.count()).select_from(FollowUpAction)),
        await session.scalar(select(func.count()).select_from(AuditEvent)),
    )


async def test_a_member_who_is_not_a_sponsor_is_refused_and_nothing_changes(session):
    sponsor, other = await create_committee(session, 2)
    admin = await create_admin(session)
    proposal = await create_decision(session, admin, [sponsor], [VoteChoice.YES], sponsor=sponsor)
    changes = register.ActionChanges(what="Publish", organization_id=other.organization.id)
    before = await written(session)

    with pytest.raises(Forbidden):
        await register.add_action(session, other.holder_viewer, proposal.id, changes, now=NOW)

    assert await written(session) == before


async def test_a_status_not_allowed_is_refused_with_its_code_and_the_action_stays(session):
    (seated,) = await create_committee(session, 1)
    admin = await create_admin(session)
    proposal = await create_decision(session, admin, [seated], [VoteChoice.YES])
    action = await create_action(session, proposal, seated.organization.id)
    before = await written(session)

    with pytest.raises(InputError) as refused:
        await register.update_action(
            session,
            admin_viewer(admin),
            action.id,
            register.ActionChanges(what="Changed", status="FINISHED"),
            now=NOW,
        )

    assert (refused.value.field, refused.value.code.value) == ("status", "INVALID_ACTION_STATUS")
    await session.refresh(action)
    assert (action.what, action.status.value) == ("Report back", "OPEN")
    assert await written(session) == before
