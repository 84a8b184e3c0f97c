"""The voting-opened email carries the proposal's frozen text: its HTML part rendered from
Markdown (safely), its text part as the Markdown was written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hub.delivery.email.compose import compose_email
from hub.delivery.email.kinds import MessageKind
from hub.delivery.email.payloads import proposal_payload
from hub.infrastructure.config import Settings
from hub.infrastructure.models import OutboxMessage, Proposal
from hub.infrastructure.models.governance import ProposalStatus

pytestmark = pytest.mark.database_independent

SETTINGS = Settings(base_url="http://hub.test", email_from="hub@example.org")
BODY = "## Why\n\n- equity\n- *care*\n\n<script>window.__pwned = 1</script>"


def voting_opened(language: str) -> OutboxMessage:
    proposal = Proposal(
        id=7,
        title="A common agenda",
        summary="On the budget.",
        body=BODY,
        status=ProposalStatus.VOTING,
        voting_closes_at=datetime(2026, 3, 1, 17, tzinfo=UTC),
    )
    return OutboxMessage(
        id=5,
        kind=MessageKind.VOTING_OPENED,
        recipient_address="ana@example.org",
        language=language,
        payload=proposal_payload("Ana", proposal),
    )


@pytest.mark.parametrize(("language", "label"), [("en", "The proposal:"), ("es", "La propuesta:")])
def test_the_body_is_rendered_in_html_and_kept_as_markdown_in_text(language, label):
    email = compose_email(voting_opened(language), SETTINGS, now=datetime.now(UTC))

    assert "<h2>Why</h2>" in email.html
    assert "<ul>\n<li>equity</li>\n<li><em>care</em></li>\n</ul>" in email.html
    assert "<script" not in email.html
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in email.html
    assert f"{label}\n\n{BODY}\n" in email.text


def test_an_email_queued_before_bodies_were_carried_still_renders():
    message = voting_opened("en")
    del message.payload["proposal"]["body"]

    email = compose_email(message, SETTINGS, now=datetime.now(UTC))

    assert "The proposal:" not in email.text
    assert "proposal-body" not in email.html
