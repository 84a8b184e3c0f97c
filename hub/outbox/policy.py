"""How long a claim lasts, and when a failed delivery is tried again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    # A claimed message is due again when its lease runs out (its worker died, say). The lease
    # must outlast a send: SendGrid's client gives up after 30 seconds.
    lease: timedelta = timedelta(minutes=5)
    first_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=6)
    # After this many attempts a message is FAILED for good (about 4 hours with the defaults).
    max_attempts: int = 8
    batch_size: int = 20

    def retry_at(self, attempts: int, now: datetime) -> datetime:
        """Exponential backoff: 1, 2, 4, 8 ... minutes after the attempt-th failure."""
        delay = self.first_delay * (2 ** max(attempts - 1, 0))
        return now + min(delay, self.max_delay)

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts
