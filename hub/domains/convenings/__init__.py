"""Convenings and RSVPs: scheduling, capacity and waitlists, delegations, needs, check-in."""
