"""What the hub tells people when something happens: the seam between the domain services
and the outbox. Services call these functions inside their own transaction; each writes the
messages (and deliveries) it causes to the outbox, so nothing is sent for a change that
rolled back and nothing is lost when a process dies."""
