"""An email ready to send, whatever sends it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class EmailMessage:
    to: str
    to_name: str
    sender: str
    subject: str
    text: str
    html: str
    attachments: tuple[Attachment, ...] = ()
    # Mail a person needs whatever they unsubscribed from (hub/delivery/email/kinds.TRANSACTIONAL):
    # the provider is asked to deliver it past its own unsubscribe list.
    transactional: bool = False
    # Our own ids sent along (SendGrid's custom_args): a retry after a lost response carries
    # the same outbox id, so the duplicate can be recognized in SendGrid's events.
    tracking: dict[str, str] = field(default_factory=dict)
    # Extra headers: an unsubscribe link's one-click pair (hub/delivery/email/unsubscribe_links).
    headers: dict[str, str] = field(default_factory=dict)
