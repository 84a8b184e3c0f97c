"""Subscribable calendar feeds: their unguessable, revocable tokens, and what each holds."""
