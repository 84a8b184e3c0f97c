"""The admins' operations pages under /manage: the outbox (retry a failed message), email
suppressions (lift one, with a reason), API clients (add: the secret shown once; revoke),
webhook subscriptions, and the audit trails. Every read and write is a document run as the
reader: the schema decides who may (a member is refused, an anonymous reader signs in)."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.interfaces.web.pages.messages import N_, error_messages, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused

GET, POST = ["GET"], ["POST"]

RETRIED = N_("The message is queued again: the worker sends it in a moment.")
LIFTED = N_("The suppression is lifted: the hub mails this address again.")
REVOKED = N_("The client is revoked: its tokens no longer work.")
SUBSCRIBED = N_("The subscription is added.")
UNSUBSCRIBED = N_("The subscription is deleted: nothing more is delivered to it.")

# The operations' error codes in words (added to the site's own for these pages).
MESSAGES = {
    "UNKNOWN_MESSAGE": N_("That message no longer exists."),
    "ALREADY_QUEUED": N_("This message is queued already."),
    "BEING_SENT": N_("This message is being sent right now: wait for the outcome."),
    "ALREADY_SENT": N_("This message was delivered already."),
    "SUPPRESSED": N_("Its address is suppressed: lift the suppression first."),
    "NOT_SUPPRESSED": N_("This address is not suppressed: the hub mails it already."),
    "REASON_REQUIRED": N_("Say why the address may be mailed again."),
    "REASON_TOO_LONG": N_("Keep the reason under 500 characters."),
    "NAME_REQUIRED": N_("Name the client."),
    "NAME_TOO_LONG": N_("Keep the name under 200 characters."),
    "UNKNOWN_ORGANIZATION": N_("Choose the organization the client acts for."),
    "SCOPE_REQUIRED": N_("Choose at least one scope."),
    "UNKNOWN_SCOPE": N_("Choose scopes from the list."),
    "UNKNOWN_CLIENT": N_("Choose an API client that is not revoked."),
    "ALREADY_REVOKED": N_("This client was revoked already."),
    "DUPLICATE_REQUEST": N_("This form was sent already: it was done once, not twice."),
    "UNSAFE_URL": N_("Give an https:// URL on a public address."),
    "UNREACHABLE_URL": N_("Nothing answers at this URL: check it and try again."),
    "URL_TOO_LONG": N_("Keep the URL under 500 characters."),
    "EVENT_TYPE_REQUIRED": N_("Choose at least one event."),
    "TOO_MANY_SUBSCRIPTIONS": N_("This client has as many subscriptions as it may have."),
    "UNKNOWN_SUBSCRIPTION": N_("That subscription no longer exists."),
}


async def _render(page: Page, template: str, status_code: int = 200, **values: Any) -> Response:
    messages = {**error_messages(), **MESSAGES}
    return await page.render(template, status_code, error_messages=messages, **values)


def _arg(page: Page, name: str) -> str | None:
    return page.request.query_params.get(name) or None


def _path_id(page: Page) -> str:
    return str(page.request.path_params["id"])


def _request_key() -> str:
    """A hidden field per rendered form: the same form sent twice writes once."""
    return secrets.token_urlsafe(18)


# --- the index ---------------------------------------------------------------------------


@page_endpoint
async def operations_page(page: Page) -> Response:
    data = await page.query("opsIndex")
    return await _render(page, "manage_operations.html", counts=data)


# --- the outbox --------------------------------------------------------------------------


@page_endpoint
async def outbox_page(page: Page) -> Response:
    return await _render_outbox(page)


async def _render_outbox(page: Page, status_code: int = 200, **values: Any) -> Response:
    filters = {"status": _arg(page, "status"), "channel": _arg(page, "channel")}
    data = await page.query("opsOutbox", {**filters, "after": _arg(page, "after")})
    return await _render(
        page, "manage_outbox.html", status_code, data=data, filters=filters, **values
    )


@page_endpoint
async def retry_message(page: Page) -> Response:
    await page.form()
    message_id = _path_id(page)
    payload = (await page.query("opsRetryOutboxMessage", {"id": message_id}))["retryOutboxMessage"]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        return await _render_outbox(page, 422, errors=errors, error_form=message_id)
    query = page.request.url.query  # back to the list as it was filtered
    return await page.redirect("/manage/outbox" + (f"?{query}" if query else ""), status=RETRIED)


# --- suppressions ------------------------------------------------------------------------


@page_endpoint
async def suppressions_page(page: Page) -> Response:
    return await _render_suppressions(page)


async def _render_suppressions(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("opsSuppressions", {"after": _arg(page, "after")})
    return await _render(page, "manage_suppressions.html", status_code, data=data, **values)


@page_endpoint
async def lift_suppression(page: Page) -> Response:
    form = await page.form()
    email, reason = _text(form, "email"), _text(form, "reason")
    variables = {"email": email, "reason": reason}
    payload = (await page.query("opsLiftSuppression", variables))["liftSuppression"]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        typed = {"reason": reason}
        return await _render_suppressions(page, 422, errors=errors, error_form=email, typed=typed)
    return await page.redirect("/manage/suppressions", status=LIFTED)


def _text(form: FormData, name: str) -> str:
    return str(form.get(name) or "")


# --- API clients -------------------------------------------------------------------------


@page_endpoint
async def api_clients_page(page: Page) -> Response:
    return await _render_clients(page)


async def _render_clients(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("opsApiClients", {"after": _arg(page, "after")})
    values.setdefault("typed", {})
    return await _render(
        page,
        "manage_api_clients.html",
        status_code,
        data=data,
        request_key=_request_key(),
        **values,
    )


@page_endpoint
async def create_api_client(page: Page) -> Response:
    form = await page.form()
    typed = {
        "name": _text(form, "name"),
        "organization": _text(form, "organization"),
        "scopes": [str(s) for s in form.getlist("scopes")],
    }
    given = {**typed, "requestKey": _text(form, "request_key") or None}
    payload = (await page.query("opsCreateApiClient", {"input": given}))["createApiClient"]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        return await _render_clients(page, 422, errors=errors, typed=typed)
    shown = await _render(
        page, "manage_api_client_created.html", client=payload["client"], secret=payload["secret"]
    )
    return _kept_nowhere(shown)


def _kept_nowhere(response: Response) -> Response:
    """A page showing a secret: no cache (the browser's, a proxy's) keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response


@page_endpoint
async def confirm_revoke(page: Page) -> Response:
    client = (await page.query("opsApiClient", {"id": _path_id(page)}))["node"]
    if not client:
        raise PageRefused("NOT_FOUND")
    return await _render(page, "manage_api_client_revoke.html", client=client)


@page_endpoint
async def revoke_api_client(page: Page) -> Response:
    await page.form()
    payload = (await page.query("opsRevokeApiClient", {"id": _path_id(page)}))["revokeApiClient"]
    if payload["errors"]:
        return await _render_clients(page, 422, errors=field_errors(payload["errors"]))
    return await page.redirect("/manage/api-clients", status=REVOKED)


# --- webhook subscriptions ---------------------------------------------------------------


@page_endpoint
async def webhooks_page(page: Page) -> Response:
    return await _render_webhooks(page)


async def _render_webhooks(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("opsWebhooks")
    values.setdefault("typed", {})
    return await _render(
        page, "manage_webhooks.html", status_code, data=data, request_key=_request_key(), **values
    )


@page_endpoint
async def create_webhook(page: Page) -> Response:
    form = await page.form()
    typed = {
        "client": _text(form, "client"),
        "url": _text(form, "url"),
        "eventTypes": [str(e) for e in form.getlist("eventTypes")],
    }
    given = {**typed, "requestKey": _text(form, "request_key") or None}
    payload = (await page.query("opsCreateWebhookSubscription", {"input": given}))[
        "createWebhookSubscription"
    ]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        return await _render_webhooks(page, 422, errors=errors, typed=typed)
    shown = await _render_webhooks(
        page, created=payload["subscription"], secret=payload["secret"], status=SUBSCRIBED
    )
    return _kept_nowhere(shown)


@page_endpoint
async def delete_webhook(page: Page) -> Response:
    await page.form()
    variables = {"id": _path_id(page)}
    payload = (await page.query("opsDeleteWebhookSubscription", variables))[
        "deleteWebhookSubscription"
    ]
    if payload["errors"]:
        return await _render_webhooks(page, 422, errors=field_errors(payload["errors"]))
    return await page.redirect("/manage/webhooks", status=UNSUBSCRIBED)


# --- the audit trails --------------------------------------------------------------------


@page_endpoint
async def audit_page(page: Page) -> Response:
    trail = "committee" if _arg(page, "trail") == "committee" else "admins"
    if not page.signed_in:
        # The committee's trail shows a signed-out reader no row: offer to sign in.
        raise PageRefused("UNAUTHENTICATED")
    variables = {"action": _arg(page, "action"), "after": _arg(page, "after")}
    name = "opsGovernanceEvents" if trail == "committee" else "opsAuditEvents"
    data = await page.query(name, variables)
    return await _render(
        page, "manage_audit.html", data=data, trail=trail, action=variables["action"]
    )


def routes() -> list[BaseRoute]:
    return [
        Route("/manage/operations", operations_page, methods=GET),
        Route("/manage/outbox", outbox_page, methods=GET),
        Route("/manage/outbox/{id}/retry", retry_message, methods=POST),
        Route("/manage/suppressions", suppressions_page, methods=GET),
        Route("/manage/suppressions/lift", lift_suppression, methods=POST),
        Route("/manage/api-clients", api_clients_page, methods=GET),
        Route("/manage/api-clients", create_api_client, methods=POST),
        Route("/manage/api-clients/{id}/revoke", confirm_revoke, methods=GET),
        Route("/manage/api-clients/{id}/revoke", revoke_api_client, methods=POST),
        Route("/manage/webhooks", webhooks_page, methods=GET),
        Route("/manage/webhooks", create_webhook, methods=POST),
        Route("/manage/webhooks/{id}/delete", delete_webhook, methods=POST),
        Route("/manage/audit", audit_page, methods=GET),
    ]
