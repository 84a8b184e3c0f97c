"""The durable queue of outgoing messages and the worker that delivers them, shared by every
kind of delivery (email now, webhooks to API clients later)."""
