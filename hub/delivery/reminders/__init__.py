"""Reminders the worker enqueues when they fall due, each once (the outbox's dedupe key)."""
