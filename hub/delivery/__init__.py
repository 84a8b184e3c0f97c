"""What leaves the hub: the outbox (a durable queue that knows no channel), its channels (email,
webhooks), what the hub tells people (notifications, reminders) and calendars (iCalendar files and
subscribable feeds)."""
