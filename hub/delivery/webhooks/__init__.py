"""Webhooks for API clients: subscriptions, the events they hear of, and signed deliveries
through the outbox (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`)."""
