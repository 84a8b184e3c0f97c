"""Who is calling: the one function that names a request's client address, for the budgets,
the sign-in rate limit and the compiled path alike.

`X-Forwarded-For` is believed only from the proxies HUB_TRUSTED_PROXIES names (none by
default): anyone can write the header, so from anyone else it would let a caller pick a new
address, and a fresh budget, per request. Through trusted proxies the client is the
rightmost hop that is not one of them: each proxy appends the address it saw, so what lies
left of the first untrusted hop was written by the client and means nothing."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.requests import HTTPConnection

from hub.infrastructure.config import IPNetwork

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_address(
    connection: HTTPConnection, trusted_proxies: tuple[IPNetwork, ...]
) -> str | None:
    """The client's address: the peer's, or, from a trusted proxy, the rightmost untrusted
    hop of X-Forwarded-For (stopping at a hop that is not an address)."""
    client = connection.client.host if connection.client else None
    for hop in reversed(_hops(connection.headers.getlist("x-forwarded-for"))):
        forwarded = _address(hop)
        if client is None or forwarded is None or not _within(client, trusted_proxies):
            break
        client = str(forwarded)
    return client


def _hops(headers: Iterable[str]) -> list[str]:
    return [hop.strip() for header in headers for hop in header.split(",") if hop.strip()]


def _within(address: str, networks: tuple[IPNetwork, ...]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in networks)


def _address(text: str) -> IPAddress | None:
    try:
        parsed = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1, as a dual-stack socket says
    return parsed
