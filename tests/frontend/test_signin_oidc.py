"""Signing in through an OpenID Connect provider in a browser: the button on the sign-in
page, the provider's own form (oidc-provider-mock, a real server), and back, signed in, on
the page the person came from. No JavaScript of the hub's is needed on the way."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator

import pytest
from playwright.async_api import Browser, expect

from hub.app import create_app
from hub.infrastructure.config import OidcProvider, Settings
from hub.interfaces.runtime import Runtime
from tests.factories import create_person
from tests.frontend.conftest import new_page, phone_context_args, screenshot
from tests.frontend.flows import arrange
from tests.frontend.server import HubServer
from tests.frontend.test_accessibility import assert_accessible
from tests.infrastructure.oidc_provider import mock_provider, remember_at_mock
from tests.infrastructure.served import free_port


@pytest.fixture(scope="module")
def mock_issuer() -> Iterator[str]:
    with mock_provider() as issuer:
        yield issuer


@pytest.fixture(scope="module")
async def oidc_hub(
    runtime: Runtime, settings: Settings, mock_issuer: str
) -> AsyncIterator[HubServer]:
    """The hub served on a port it knows beforehand: the provider sends browsers back to
    its base URL. (On the suite's database, whose runtime must be up first.)"""
    port = free_port()
    provider = OidcProvider("acme", mock_issuer, "hub-client", "hub-secret", "Acme ID")
    configured = dataclasses.replace(
        settings, base_url=f"http://127.0.0.1:{port}", oidc_providers=(provider,)
    )
    app = create_app(configured)
    async with app.router.lifespan_context(app):
        server = await HubServer(app, port=port).start()
        yield server
        await server.stop()


@pytest.mark.parametrize("javascript", [True, False])
async def test_the_providers_button_signs_in_and_returns_to_the_page(
    javascript: bool,
    chromium: Browser,
    oidc_hub: HubServer,
    mock_issuer: str,
    runtime: Runtime,
) -> None:
    # Given a person whose address the provider has verified
    await arrange(runtime, lambda s: create_person(s, name="Rosa Parra", email="rosa@scope.org"))
    identity = {"email": "rosa@scope.org", "email_verified": True, "name": "Rosa"}
    await remember_at_mock(mock_issuer, {"sub": "rosa-sub", **identity})
    context = await chromium.new_context(
        base_url=oidc_hub.url, java_script_enabled=javascript, **phone_context_args()
    )
    page = await new_page(context)
    try:
        # When, reading the proposals, they sign in with the provider's button
        await page.goto("/proposals")
        await page.get_by_role("link", name="Sign in").click()
        await page.get_by_role("link", name="Sign in with Acme ID").click()
        await page.get_by_placeholder("sub").first.fill("rosa-sub")
        await page.get_by_role("button", name="Authorize").click()
        # Then they are back on the proposals, signed in
        await expect(page).to_have_url(f"{oidc_hub.url}/proposals")
        await expect(page.locator("#status")).to_have_text("You are signed in.")
        await expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
        await screenshot(page, f"signin-oidc-{'js' if javascript else 'nojs'}")
        await page.get_by_role("link", name="My page").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Rosa Parra")
    finally:
        await context.close()


async def test_the_buttons_and_a_refusal_pass_axe(
    chromium: Browser, oidc_hub: HubServer, mock_issuer: str
) -> None:
    # Given someone the hub does not know, whose address the provider has verified
    await remember_at_mock(
        mock_issuer, {"sub": "stranger", "email": "stranger@scope.org", "email_verified": True}
    )
    context = await chromium.new_context(base_url=oidc_hub.url, **phone_context_args())
    page = await new_page(context)
    try:
        await page.goto("/signin")
        await assert_accessible(page, "/signin with a provider")
        # When they sign in through the provider, they see why they may not
        await page.get_by_role("link", name="Sign in with Acme ID").click()
        await page.get_by_placeholder("sub").first.fill("stranger")
        await page.get_by_role("button", name="Authorize").click()
        await expect(page.get_by_role("alert")).to_contain_text(
            "No one in the alliance has the address stranger@scope.org."
        )
        await assert_accessible(page, "the refusal")
        await page.goto("/me")
        await expect(page.get_by_label("Email address")).to_be_visible()
    finally:
        await context.close()
