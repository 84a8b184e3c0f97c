"""How long a claim lasts, how often it is renewed, how many messages a worker sends at once,
and when a failed delivery is tried again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    # A claimed message is due again when its lease runs out (its worker died, say). The lease
    # is short and renewed while its worker still sends it (every `renew_every`), so a slow
    # provider never outlives it and a dead worker's message waits seconds, not minutes.
    lease: timedelta = timedelta(seconds=10)
    first_delay: timedelta = timedelta(minutes=1)
    max_delay: timedelta = timedelta(hours=6)
    # After this many attempts a message is FAILED for good (about 4 hours with the defaults).
    max_attempts: int = 8
    # Messages a worker sends at once. Each is claimed alone, just before it is sent, so a
    # worker never holds a message it is not sending: a crash can repeat only those in flight
    # (at most one with the default), and leaves nothing else waiting for a lease.
    batch_size: int = 1

    @property
    def renew_every(self) -> float:
        """Seconds between renewals: three chances before the lease runs out."""
        return self.lease.total_seconds() / 3

    def retry_at(self, attempts: int, now: datetime) -> datetime:
        """Exponential backoff: 1, 2, 4, 8 ... minutes after the attempt-th failure."""
        delay = self.first_delay * (2 ** max(attempts - 1, 0))
        return now + min(delay, self.max_delay)

    def gives_up(self, attempts: int) -> bool:
        return attempts >= self.max_attempts
