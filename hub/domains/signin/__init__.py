"""Signing in by a single-use link sent by email."""
