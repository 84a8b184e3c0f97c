"""The scopes an API client can hold. A scope exists only where a use in the product asks for it."""

from __future__ import annotations

PEER_READ = "peer:read"

SCOPES: dict[str, str] = {
    PEER_READ: (
        "Read the public slice a peer alliance needs: public convenings, adopted proposals and "
        "their outcomes, and the directory's public fields. Never emails, phones, needs, "
        "individual RSVPs or ballots."
    ),
}


def unknown_scopes(scopes: set[str] | frozenset[str]) -> list[str]:
    return sorted(scope for scope in scopes if scope not in SCOPES)
