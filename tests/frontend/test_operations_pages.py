"""The admins' operations pages in a browser: an admin retries a failed message, lifts a
suppression (its reason required), adds an API client (the secret read once, then used for a
token), subscribes and unsubscribes a webhook, revokes the client (its token refused), and
reads all of it in the audit trail; on a phone and a desktop, in English and Spanish, axe
clean, with screenshots. A member is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page
from sqlalchemy import select
from starlette.applications import Starlette

from hub.delivery.email.suppressions import suppress
from hub.infrastructure.models import ApiClient, AuditEvent, EmailSuppression, OutboxMessage
from hub.infrastructure.models.directory import OrganizationKind
from hub.infrastructure.models.outbox import OutboxStatus
from hub.interfaces.runtime import Runtime
from tests.auth.peers import ask_for_token, https_client
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.frontend.backoffice import operations_steps as steps
from tests.frontend.conftest import DESKTOP, new_page, phone_context_args, screenshot
from tests.frontend.flows import SPANISH, arrange, reads_spanish, sign_in
from tests.frontend.server import HubServer
from tests.frontend.test_accessibility import assert_accessible
from tests.infrastructure.webhook_receiver import (
    WebhookReceiver,
    private_app,
    private_settings,
    receiver,
)
from tests.outbox.factories import create_message

__all__ = ["private_app", "private_settings", "receiver"]

PUBLIC = "{ organizations(first: 1) { totalCount } }"


@pytest.fixture(scope="module")
async def private_server(private_app: Starlette) -> AsyncIterator[HubServer]:
    """The hub served on 127.0.0.1 by an app that may deliver webhooks to 127.0.0.1 (the
    receiver): the same database as the tests'."""
    server = await HubServer(private_app).start()
    yield server
    await server.stop()


@pytest.fixture
async def screens(chromium: Browser, private_server: HubServer) -> AsyncIterator[dict[str, Page]]:
    """A phone and a desktop, in English, on the private hub."""
    phone = await chromium.new_context(base_url=private_server.url, **phone_context_args())
    desktop = await chromium.new_context(
        base_url=private_server.url, viewport=DESKTOP, locale="en-US"
    )
    yield {"phone": await new_page(phone), "desktop": await new_page(desktop)}
    await phone.close()
    await desktop.close()


async def the_world(runtime: Runtime):
    async def given(session):
        admin = await create_admin(session, name="Ana Admin", email="ana@example.org")
        await create_organization(
            session, name="Florida Peer", kind=OrganizationKind.PEER, state="FL"
        )
        ines = await create_person(session, name="Inés", email="ines@example.org")
        await create_message(session, ines, OutboxStatus.FAILED)
        await suppress(session, "bounced@example.org", "bounce", "550 no such user")
        return admin

    return await arrange(runtime, given)


async def rows(runtime: Runtime, statement):
    async with runtime.sessions() as session:
        found = list((await session.execute(statement)).all())
        await session.rollback()
        return [tuple(row) for row in found]


def status_of(address: str):
    """The outbox's messages to the address (not the sign-in links of the test's admin)."""
    return (
        select(OutboxMessage.status)
        .where(OutboxMessage.recipient_address == address, OutboxMessage.kind == "signin_link")
        .where(OutboxMessage.dedupe_key.like("test:%"))
    )


async def token_answer(app: Starlette, client_id: str, secret: str):
    async with https_client(app) as http:
        return await ask_for_token(http, client_id, secret)


async def test_an_admin_runs_the_operations_pages(
    screens: dict[str, Page], runtime: Runtime, private_app: Starlette, receiver: WebhookReceiver
) -> None:
    page = screens["phone"]
    admin = await the_world(runtime)
    await sign_in(page, runtime, admin)

    # From the Manage menu to the index, which counts the failed message; a retry, once
    await page.goto("/convenings")
    await steps.open_operations_from_the_menu(page)
    assert await steps.failed_messages_count(page) == 1
    await assert_accessible(page, "/manage/operations")
    await screenshot(page, "manage-operations-phone")
    await steps.open_from_operations(page, "Outbox")
    status = await steps.retry_failed_message(page, "ines@example.org")
    assert status == "The message is queued again: the worker sends it in a moment."
    assert await rows(runtime, status_of("ines@example.org")) == [(OutboxStatus.PENDING,)]
    assert (
        await page.get_by_role("button", name="Retry the message to ines@example.org").count() == 0
    )
    await page.goto("/manage/outbox")
    await assert_accessible(page, "/manage/outbox")
    await screenshot(page, "manage-outbox-phone")

    # A lift without a reason says so beside the field, and lifts nothing; with one, it lifts
    await steps.lift_suppression(page, "bounced@example.org", "")
    error = page.locator("#lift-1-reason-error")
    assert await error.inner_text() == "Say why the address may be mailed again."
    assert (
        await page.get_by_label("Why bounced@example.org may be mailed again").get_attribute(
            "aria-invalid"
        )
        == "true"
    )
    await assert_accessible(page, "/manage/suppressions with an error")
    await screenshot(page, "manage-suppressions-error-phone")
    assert len(await rows(runtime, select(EmailSuppression.email))) == 1
    await steps.lift_suppression(page, "bounced@example.org", "The mailbox was fixed")
    assert await steps.status_text(page) == (
        "The suppression is lifted: the hub mails this address again."
    )
    assert await rows(runtime, select(EmailSuppression.email)) == []

    # An API client: a form's errors first, then the secret shown once and working
    await page.goto("/manage/api-clients")
    await page.get_by_role("button", name="Add the client").click()
    assert await page.locator("#client-name-error").inner_text() == "Name the client."
    assert await page.locator("#client-organization-error").inner_text() == (
        "Choose the organization the client acts for."
    )
    assert await page.locator("#client-scopes-error").inner_text() == "Choose at least one scope."
    await assert_accessible(page, "/manage/api-clients with errors")
    await screenshot(page, "manage-api-clients-errors-phone")
    assert await rows(runtime, select(ApiClient.id)) == []
    client_id, secret = await steps.add_api_client(page, "Florida sync", "Florida Peer")
    await assert_accessible(page, "the API client's secret")
    await screenshot(page, "manage-api-client-created-phone")
    token = await token_answer(private_app, client_id, secret)
    assert token.status_code == 200, token.text
    await page.goto("/manage/api-clients")
    assert secret not in await page.content()
    assert client_id in await page.content()

    # A webhook subscription for that client: the signing secret once, then deleted
    signing = await steps.add_webhook(page, "Florida sync", receiver.url, ["PROPOSAL_ADOPTED"])
    assert signing.startswith("whsec_")
    await assert_accessible(page, "/manage/webhooks with a new secret")
    await screenshot(page, "manage-webhooks-phone")
    await page.goto("/manage/webhooks")
    assert signing not in await page.content()
    assert receiver.url in await page.content()
    status = await steps.delete_webhook(page, receiver.url)
    assert status == "The subscription is deleted: nothing more is delivered to it."
    assert receiver.url not in await page.locator("main").inner_text()

    # Revoked (after a confirmation), the client's token is refused
    access = token.json()["access_token"]
    async with https_client(private_app) as http:
        before = await http.post("/graphql", json={"query": PUBLIC}, headers=_bearer(access))
        await page.goto("/manage/api-clients")
        await page.get_by_role("link", name="Revoke Florida sync").click()
        await assert_accessible(page, "the revoke confirmation")
        await screenshot(page, "manage-api-client-revoke-phone")
        status = await steps.revoke_api_client(page, "Florida sync")
        after = await http.post("/graphql", json={"query": PUBLIC}, headers=_bearer(access))
    assert status == "The client is revoked: its tokens no longer work."
    assert before.status_code == 200
    assert after.status_code == 401
    assert (await token_answer(private_app, client_id, secret)).status_code != 200

    # The audit trail tells all of it, newest first, and keeps one kind when asked
    assert await steps.audit_actions(page) == [
        "API_CLIENT_REVOKED",
        "WEBHOOK_SUBSCRIPTION_DELETED",
        "WEBHOOK_SUBSCRIPTION_CREATED",
        "API_CLIENT_CREATED",
        "EMAIL_SUPPRESSION_LIFTED",
        "OUTBOX_MESSAGE_RETRIED",
    ]
    assert await steps.audit_actions(page, kind="EMAIL_SUPPRESSION_LIFTED") == [
        "EMAIL_SUPPRESSION_LIFTED"
    ]
    assert "The mailbox was fixed" in await page.locator("main").inner_text()
    await assert_accessible(page, "/manage/audit")
    await screenshot(page, "manage-audit-phone")
    assert await steps.audit_actions(page, committee=True) == []
    await assert_accessible(page, "/manage/audit?trail=committee")
    trail = await rows(runtime, select(AuditEvent.actor_id))
    assert trail == [(admin.id,)] * 6

    # Every page on a desktop
    desktop = screens["desktop"]
    await sign_in(desktop, runtime, admin)
    for name, path in steps.PAGES.items():
        await desktop.goto(path)
        await assert_accessible(desktop, f"{path} on a desktop")
        await screenshot(desktop, f"manage-{name}-desktop")


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_operations_pages_in_spanish(phone_es: Page, runtime: Runtime) -> None:
    admin = await the_world(runtime)
    await reads_spanish(runtime, admin)
    await sign_in(phone_es, runtime, admin, **SPANISH)
    # (axe reads every page in Spanish in test_accessibility.py)
    for name, path in steps.PAGES.items():
        await phone_es.goto(path)
        await screenshot(phone_es, f"manage-{name}-phone-es")
    assert await phone_es.get_by_role("heading", level=1).inner_text() == "Registro de auditoría"

    # The forms' errors in Spanish, beside their fields
    await phone_es.goto("/manage/api-clients")
    await phone_es.get_by_role("button", name="Añadir el cliente").click()
    assert await phone_es.locator("#client-name-error").inner_text() == (
        "Ponga un nombre al cliente."
    )
    await assert_accessible(phone_es, "/manage/api-clients with errors in Spanish")
    await phone_es.goto("/manage/suppressions")
    await phone_es.get_by_role("button", name="Levantar la supresión").click()
    assert await phone_es.locator("#lift-1-reason-error").inner_text() == (
        "Diga por qué se puede volver a escribir a la dirección."
    )
    await assert_accessible(phone_es, "/manage/suppressions with an error in Spanish")
    await screenshot(phone_es, "manage-suppressions-error-phone-es")
    await phone_es.goto("/manage/webhooks")
    await phone_es.get_by_role("button", name="Añadir la suscripción").click()
    assert await phone_es.locator("#webhook-eventTypes-error").inner_text() == (
        "Elija al menos un evento."
    )
    await assert_accessible(phone_es, "/manage/webhooks with errors in Spanish")


async def test_a_member_is_refused_every_operations_page(phone: Page, runtime: Runtime) -> None:
    async def given(session):
        member = await create_person(session)
        await affiliate(session, member, await create_organization(session))
        await create_message(session, member, OutboxStatus.FAILED)
        return member

    member = await arrange(runtime, given)
    await sign_in(phone, runtime, member)
    for path in steps.PAGES.values():
        answer = await phone.goto(path)
        assert answer is not None and answer.status == 403, path
        await phone.get_by_role("heading", name="Not available").wait_for()
    await screenshot(phone, "manage-operations-refused-member-phone")
    assert await rows(runtime, status_of(member.email)) == [(OutboxStatus.FAILED,)]
