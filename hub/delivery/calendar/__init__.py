"""Convenings as iCalendar (RFC 5545) and iTIP (RFC 5546): pure functions, no database."""
