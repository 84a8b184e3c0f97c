"""The operations pages over plain HTTP (JavaScript off): every page answers an admin; a
member is refused every page and every form, an anonymous reader is sent to sign in, and
nothing changes; a form submitted twice writes once; a form's errors come back beside
their fields with a 422, nothing written."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import func, select

from hub.delivery.email.suppressions import suppress
from hub.infrastructure.models import (
    ApiClient,
    AuditEvent,
    EmailSuppression,
    GovernanceEvent,
    OutboxMessage,
    RequestKey,
)
from hub.infrastructure.models.governance import GovernanceAction
from hub.infrastructure.models.outbox import OutboxStatus
from hub.interfaces.graphql.node import to_global_id
from tests.auth.peers import register_peer
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.frontend.over_http import csrf_of, sign_in_over_http
from tests.outbox.factories import create_message

PAGES = [
    "/manage/operations",
    "/manage/outbox",
    "/manage/outbox?status=FAILED&channel=EMAIL",
    "/manage/suppressions",
    "/manage/api-clients",
    "/manage/webhooks",
    "/manage/audit",
]
# The committee's trail is the committee's and the admins' (governanceEvents' rows).
COMMITTEE_TRAIL = "/manage/audit?trail=committee"
REQUEST_KEY = re.compile(r'name="request_key" value="([^"]+)"')


@pytest.fixture
async def browser(app) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://hub.test") as client:
        yield client


async def world(session):
    admin = await create_admin(session)
    member = await create_person(session)
    await affiliate(session, member, await create_organization(session))
    failed = await create_message(session, member, OutboxStatus.FAILED)
    await suppress(session, "bounced@example.org", "bounce")
    session.add(GovernanceEvent(action=GovernanceAction.SEAT_ASSIGNED, detail="Seat for Florida"))
    await session.commit()
    registered = await register_peer(session)
    return admin, member, failed, registered


async def state(runtime) -> tuple:
    async with runtime.sessions() as session:
        counts = [
            await session.scalar(select(func.count()).select_from(model))
            for model in (ApiClient, AuditEvent, EmailSuppression, RequestKey)
        ]
        outbox = (await session.execute(select(OutboxMessage.status))).all()
        revoked = (await session.execute(select(ApiClient.revoked_at))).all()
        return tuple(counts), [tuple(r) for r in outbox], [tuple(r) for r in revoked]


def forms(failed, registered) -> dict[str, dict[str, str]]:
    """Every form of the pages, filled in as the admin would."""
    message = to_global_id("OutboxMessage", failed.id)
    client = to_global_id("ApiClient", registered.client.id)
    organization = to_global_id("Organization", registered.client.organization_id)
    return {
        f"/manage/outbox/{message}/retry": {},
        "/manage/suppressions/lift": {"email": "bounced@example.org", "reason": "Fixed"},
        "/manage/api-clients": {
            "name": "Sync",
            "organization": organization,
            "scopes": "peer:read",
            "request_key": "k1",
        },
        f"/manage/api-clients/{client}/revoke": {},
        "/manage/webhooks": {
            "client": client,
            "url": "https://x.example/h",
            "eventTypes": "CONVENING_CREATED",
        },
        f"/manage/webhooks/{to_global_id('WebhookSubscription', 1)}/delete": {},
    }


async def test_an_admin_reads_every_page(session, runtime, browser):
    admin, _, _, _ = await world(session)
    await sign_in_over_http(browser, runtime, admin)

    for path in [*PAGES, COMMITTEE_TRAIL]:
        answer = await browser.get(path)
        assert answer.status_code == 200, (path, answer.text)
    assert "Seat for Florida" in (await browser.get(COMMITTEE_TRAIL)).text
    assert "1 failed message" in (await browser.get("/manage/operations")).text


async def test_a_member_is_refused_every_page_and_form_and_nothing_changes(
    session, runtime, browser
):
    _, member, failed, registered = await world(session)
    await sign_in_over_http(browser, runtime, member)
    before = await state(runtime)
    csrf = csrf_of(await browser.get("/me"))

    for path in PAGES:
        answer = await browser.get(path)
        assert answer.status_code == 403, path
        assert "You may not see or do this." in answer.text
    committee = await browser.get(COMMITTEE_TRAIL)
    assert committee.status_code == 200
    assert "Seat for Florida" not in committee.text
    assert "No entry." in committee.text
    revoke = f"/manage/api-clients/{to_global_id('ApiClient', registered.client.id)}/revoke"
    assert (await browser.get(revoke)).status_code == 404
    for action, fields in forms(failed, registered).items():
        answer = await browser.post(action, data={**fields, "csrf_token": csrf})
        assert answer.status_code in (403, 404), action
    assert await state(runtime) == before


async def test_an_anonymous_reader_is_sent_to_sign_in_and_nothing_changes(
    session, runtime, browser
):
    _, _, failed, registered = await world(session)
    before = await state(runtime)
    csrf = csrf_of(await browser.get("/signin"))

    for path in [*PAGES, COMMITTEE_TRAIL]:
        answer = await browser.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/signin?next=/manage/")
    for action, fields in forms(failed, registered).items():
        answer = await browser.post(action, data={**fields, "csrf_token": csrf})
        assert answer.status_code == 303, action
        assert answer.headers["location"].startswith("/signin?next=")
    assert await state(runtime) == before


async def test_a_form_without_its_csrf_token_is_refused(session, runtime, browser):
    admin, _, failed, registered = await world(session)
    await sign_in_over_http(browser, runtime, admin)
    before = await state(runtime)

    for action, fields in forms(failed, registered).items():
        answer = await browser.post(action, data=fields)
        assert answer.status_code == 403, action
    assert await state(runtime) == before


async def test_the_client_form_sent_twice_adds_one_client(session, runtime, browser):
    admin, _, _, registered = await world(session)
    await sign_in_over_http(browser, runtime, admin)
    form = await browser.get("/manage/api-clients")
    organization = to_global_id("Organization", registered.client.organization_id)
    fields = {
        "csrf_token": csrf_of(form),
        "request_key": REQUEST_KEY.search(form.text).group(1),
        "name": "Florida CRM",
        "organization": organization,
        "scopes": "peer:read",
    }

    first = await browser.post("/manage/api-clients", data=fields)
    second = await browser.post("/manage/api-clients", data=fields)

    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    assert 'id="client-secret"' in first.text
    assert second.status_code == 422
    assert "This form was sent already: it was done once, not twice." in second.text
    assert 'id="client-secret"' not in second.text
    async with runtime.sessions() as fresh:
        names = list(await fresh.scalars(select(ApiClient.name).order_by(ApiClient.id)))
    assert names == ["Florida Peer sync", "Florida CRM"]


async def test_bad_input_comes_back_beside_its_field_and_writes_nothing(session, runtime, browser):
    admin, _, _, registered = await world(session)
    await sign_in_over_http(browser, runtime, admin)
    csrf = csrf_of(await browser.get("/manage/api-clients"))
    before = await state(runtime)

    client = await browser.post(
        "/manage/api-clients",
        data={"csrf_token": csrf, "name": "x" * 201, "organization": "nope", "scopes": "root"},
    )
    lift = await browser.post(
        "/manage/suppressions/lift",
        data={"csrf_token": csrf, "email": "bounced@example.org", "reason": " "},
    )
    hook = await browser.post(
        "/manage/webhooks",
        data={
            "csrf_token": csrf,
            "client": to_global_id("ApiClient", registered.client.id),
            "url": "ftp://nowhere",
            "eventTypes": "CONVENING_CREATED",
        },
    )

    assert client.status_code == 422
    assert 'id="client-name-error">Keep the name under 200 characters.' in client.text
    assert 'id="client-organization-error">Choose the organization the client acts for.' in (
        client.text
    )
    assert 'id="client-scopes-error">Choose scopes from the list.' in client.text
    assert "x" * 201 in client.text  # what was typed stays in the field
    assert lift.status_code == 422
    assert 'id="lift-1-reason-error">Say why the address may be mailed again.' in lift.text
    assert hook.status_code == 422
    assert 'id="webhook-url-error">Give an https:// URL on a public address.' in hook.text
    assert await state(runtime) == before


async def test_a_retry_or_a_lift_sent_twice_is_done_once_and_says_so(session, runtime, browser):
    admin, _, failed, _ = await world(session)
    await sign_in_over_http(browser, runtime, admin)
    outbox = await browser.get("/manage/outbox?status=FAILED")
    csrf = csrf_of(outbox)
    retry = f"/manage/outbox/{to_global_id('OutboxMessage', failed.id)}/retry?status=FAILED"
    lift = {"csrf_token": csrf, "email": "bounced@example.org", "reason": "Fixed"}

    retried = [await browser.post(retry, data={"csrf_token": csrf}) for _ in range(2)]
    lifted = [await browser.post("/manage/suppressions/lift", data=lift) for _ in range(2)]

    assert [r.status_code for r in retried] == [303, 422]
    assert retried[0].headers["location"] == "/manage/outbox?status=FAILED"
    assert "This message is queued already." in retried[1].text
    assert [r.status_code for r in lifted] == [303, 422]
    assert "This address is not suppressed: the hub mails it already." in lifted[1].text
    async with runtime.sessions() as fresh:
        actions = list(await fresh.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["OUTBOX_MESSAGE_RETRIED", "EMAIL_SUPPRESSION_LIFTED"]
