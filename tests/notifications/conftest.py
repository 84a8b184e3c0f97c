"""The SendGrid stand-in, a hand-moved clock and a worker that sends through both."""

from tests.infrastructure.outbox import clock, worker
from tests.infrastructure.sendgrid_standin import sendgrid_standin

__all__ = ["clock", "sendgrid_standin", "worker"]
