"""The unsubscribe link of an email that is not transactional: in its text and HTML (both
languages, hub/delivery/email/templates/*/_unsubscribe.html) and in the one-click headers of RFC
8058 (`List-Unsubscribe` with the link, `List-Unsubscribe-Post`), so a mail client's button POSTs
to it. The link names one category for one person (hub/delivery/email/preferences)."""

from __future__ import annotations

from typing import Any

from hub.delivery.email.kinds import TRANSACTIONAL
from hub.delivery.email.preferences import TOKEN_KEY, category_of
from hub.infrastructure.config import Settings
from hub.infrastructure.models import OutboxMessage

UNSUBSCRIBE_PATH = "/unsubscribe"
ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_values(message: OutboxMessage, settings: Settings) -> dict[str, Any] | None:
    """What the footer needs (its link and category), or None for mail that carries none."""
    token = message.payload.get(TOKEN_KEY)
    category = category_of(message.kind)
    if not token or category is None or message.kind in TRANSACTIONAL:
        return None
    return {"url": f"{settings.base_url}{UNSUBSCRIBE_PATH}/{token}", "category": str(category)}


def unsubscribe_headers(unsubscribe: dict[str, Any] | None) -> dict[str, str]:
    if unsubscribe is None:
        return {}
    return {"List-Unsubscribe": f"<{unsubscribe['url']}>", "List-Unsubscribe-Post": ONE_CLICK}
