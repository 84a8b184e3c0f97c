"""Which addresses reach someone. A walk-in who gave no address (hub/domains/convenings/walk_ins.py)
and a person removed from the directory (hub/domains/directory/removal.py) keep a stand-in under
`.invalid` (RFC 2606): nothing is ever sent there, and no page or export shows it."""

from __future__ import annotations

STAND_IN_DOMAIN = ".invalid"


def reachable_email(email: str) -> str | None:
    """The address, unless it stands in for none."""
    return None if email.endswith(STAND_IN_DOMAIN) else email
