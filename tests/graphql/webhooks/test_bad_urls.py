"""Webhook URLs with bad ports or host names are payload errors that say why, never a 500."""

from __future__ import annotations

import pytest

from tests.graphql.webhooks.test_subscriptions import subscription_count
from tests.webhooks.subscribing import SUBSCRIBE, peer_with_token

BAD_PORT = "The URL's port must be a number from 1 to 65535."
NOT_A_URL = "Give an https:// URL with a host name."
BAD_URLS = {
    "a port past 65535": ("https://example.org:99999/hook", BAD_PORT),
    "a port that is no number": ("https://example.org:https/hook", BAD_PORT),
    "port zero": ("https://example.org:0/hook", BAD_PORT),
    "a negative port": ("https://example.org:-1/hook", BAD_PORT),
    "an unclosed IPv6 address": ("https://[::1/hook", NOT_A_URL),
    "no host": ("https://:443/hook", NOT_A_URL),
    "a host label over 63 characters": (
        f"https://{'a' * 64}.example.org/hook",
        f"{'a' * 64}.example.org is not a valid host name.",
    ),
    "an empty host label": (
        "https://a..example.org/hook",
        "a..example.org is not a valid host name.",
    ),
}


@pytest.mark.parametrize("url,message", BAD_URLS.values(), ids=BAD_URLS.keys())
async def test_a_bad_port_or_host_is_a_payload_error(session, app, gql, url, message):
    token = await peer_with_token(app, session)

    body = await gql(
        SUBSCRIBE, {"input": {"url": url, "eventTypes": ["CONVENING_CREATED"]}}, token=token
    )

    assert "errors" not in body, body
    assert body["data"]["createWebhookSubscription"] == {
        "subscription": None,
        "secret": None,
        "errors": [{"field": "url", "code": "UNSAFE_URL", "message": message}],
    }
    assert await subscription_count(gql.runtime) == 0
