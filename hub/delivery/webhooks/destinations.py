"""Where the hub may deliver: never to itself nor to private, loopback, link-local or other
non-public addresses (every address the host resolves to is checked), and only over https,
unless `webhooks_allow_private` is set (tests, a local receiver)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import SplitResult, urlsplit

from hub.infrastructure.config import Settings

CONNECT_TIMEOUT_SECONDS = 5.0
NOT_A_URL = "Give an https:// URL with a host name."
BAD_PORT = "The URL's port must be a number from 1 to 65535."


class UnsafeDestination(ValueError):
    """A URL the hub will not deliver to; the message says why, for a person."""


class UnreachableDestination(ValueError):
    """A URL whose host does not resolve or does not accept connections."""


def well_formed(url: str, settings: Settings) -> None:
    """Refuses (UnsafeDestination) a URL whose scheme, host or port is not allowed, without
    resolving or connecting: what can be said of the text alone."""
    _parsed(url, settings)


async def checked_url(url: str, settings: Settings) -> str:
    """The URL, once its scheme, host and every address it resolves to are allowed."""
    parts = _parsed(url, settings)
    for address in await _addresses(parts):
        if not settings.webhooks_allow_private and not address.is_global:
            raise UnsafeDestination(
                f"{parts.hostname} resolves to {address}, a private or reserved address: "
                "the hub delivers to public addresses only."
            )
    return url


def _parsed(url: str, settings: Settings) -> SplitResult:
    try:
        parts = urlsplit(url.strip())
    except ValueError as error:  # an unclosed IPv6 bracket
        raise UnsafeDestination(NOT_A_URL) from error
    allowed = ("https", "http") if settings.webhooks_allow_private else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise UnsafeDestination(NOT_A_URL)
    _port(parts)
    if parts.hostname.lower() == (urlsplit(settings.base_url).hostname or "").lower():
        raise UnsafeDestination("The hub does not deliver webhooks to itself.")
    return parts


async def _addresses(parts: SplitResult) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    loop = asyncio.get_running_loop()
    try:
        found = await loop.getaddrinfo(parts.hostname, _port(parts), type=socket.SOCK_STREAM)
    except UnicodeError as error:  # a label the IDNA codec refuses: empty, or over 63
        raise UnsafeDestination(f"{parts.hostname} is not a valid host name.") from error
    except socket.gaierror as error:
        raise UnreachableDestination(
            f"The host {parts.hostname} could not be resolved ({error.strerror})."
        ) from error
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


def _port(parts: SplitResult) -> int:
    """The URL's port, or its scheme's; UnsafeDestination for one outside 1-65535."""
    try:
        port = parts.port
    except ValueError as error:  # not a number, or past 65535
        raise UnsafeDestination(BAD_PORT) from error
    if port is None:
        return 443 if parts.scheme == "https" else 80
    if port == 0:
        raise UnsafeDestination(BAD_PORT)
    return port


async def require_reachable(url: str) -> None:
    """Opens (and closes) a connection to the URL's host and port: a subscription to a URL
    nothing listens on is refused at once rather than failing every delivery later."""
    parts = urlsplit(url.strip())
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(parts.hostname, _port(parts)), CONNECT_TIMEOUT_SECONDS
        )
    except (OSError, TimeoutError) as error:
        reason = "timed out" if isinstance(error, TimeoutError) else error.strerror or str(error)
        raise UnreachableDestination(
            f"Could not connect to {parts.hostname} port {_port(parts)}: {reason}."
        ) from error
    writer.close()
    await writer.wait_closed()
