"""What every page handler works with: the reader's session, language and zone; running
documents as the reader; forms checked for their CSRF token; rendering and redirecting."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from hub.interfaces.runtime import Runtime
from hub.interfaces.web.pages.i18n import reader_language, reader_zone
from hub.interfaces.web.pages.messages import error_messages
from hub.interfaces.web.pages.runner import PageRefused, run_document
from hub.interfaces.web.pages.session import PageSession, read_session, write_session
from hub.interfaces.web.pages.templates import render_template

CSRF_FIELD = "csrf_token"
# The small script sends this header: it gets the page answered directly, not redirected.
FETCH_HEADER = "x-requested-with"


class CsrfRefused(Exception):
    pass


@dataclass
class Page:
    request: Request
    session: PageSession
    language: str
    # The zone the reader's browser is in, when it said (see i18n.reader_zone).
    reader_zone: ZoneInfo | None

    @classmethod
    async def open(cls, request: Request) -> Page:
        return cls(
            request, await read_session(request), reader_language(request), reader_zone(request)
        )

    @property
    def runtime(self) -> Runtime:
        return self.request.app.state.runtime  # type: ignore[no-any-return]

    @property
    def signed_in(self) -> bool:
        return self.session.person_id is not None

    @property
    def is_fetch(self) -> bool:
        return self.request.headers.get(FETCH_HEADER) == "fetch"

    async def query(self, name: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        return await run_document(self.runtime, self.session.person_id, name, variables)

    async def form(self, *, max_part_size: int = 1024 * 1024) -> FormData:
        """The posted form, refused unless it carries this session's CSRF token. A field may
        hold `max_part_size` bytes (Starlette's default: 1 MiB)."""
        form = await self.request.form(max_part_size=max_part_size)
        token = str(form.get(CSRF_FIELD) or "")
        if not secrets.compare_digest(token, self.session.csrf):
            raise CsrfRefused()
        return form

    async def render(self, template: str, status_code: int = 200, **values: Any) -> Response:
        context = {
            "page": self,
            "path": self.request.url.path,
            "full_path": _full_path(self.request),
            "csrf_token": self.session.csrf,
            "signed_in": self.signed_in,
            "manage_menu": await self._shows_manage_menu(),
            "status": values.pop("status", None) or self.session.take_flash(),
            "errors": values.pop("errors", {}),
            "error_messages": error_messages(),
            # The reader's own things read in their zone (the hub's when unknown), the
            # committee's voting windows in the committee's zone.
            "zone": self.reader_zone or ZoneInfo(self.runtime.settings.time_zone),
            "committee_zone": self.runtime.settings.time_zone,
            "reader_zone": self.reader_zone,
            **values,
        }
        html = render_template(self.language, template, context)
        response = HTMLResponse(html, status_code=status_code)
        await write_session(self.request, response, self.session)
        return response

    async def _shows_manage_menu(self) -> bool:
        """The "Manage" menu is for admins and the contacts of organizations (who manage the
        convenings their organization hosts); the pages behind it are the schema's to refuse."""
        if not self.signed_in:
            return False
        viewer = (await self.query("manageMenu"))["viewer"]
        if viewer is None:
            return False
        roles = {affiliation["role"] for affiliation in viewer["affiliations"]}
        return bool(viewer["isAdmin"]) or "CONTACT" in roles

    async def redirect(self, url: str, status: str | None = None) -> Response:
        if status is not None:
            self.session.set_flash(status)
        response = RedirectResponse(url, status_code=303)
        await write_session(self.request, response, self.session)
        return response


def _full_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


Handler = Callable[[Page], Awaitable[Response]]


def page_endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Turns the API's refusals into pages: sign in, not found, not allowed."""

    async def endpoint(request: Request) -> Response:
        page = await Page.open(request)
        try:
            return await handler(page)
        except PageRefused as refusal:
            return await _refusal_page(page, refusal.code)
        except CsrfRefused:
            return await page.render("refused.html", 403, reason="csrf")

    endpoint.__name__ = handler.__name__
    return endpoint


async def _refusal_page(page: Page, code: str) -> Response:
    if code == "UNAUTHENTICATED":
        return await page.redirect(f"/signin?next={quote(_full_path(page.request))}")
    if code == "FORBIDDEN":
        return await page.render("refused.html", 403, reason="forbidden")
    if code in ("NOT_FOUND", "BAD_USER_INPUT"):
        return await page.render("refused.html", 404, reason="not_found")
    return await page.render("refused.html", 500, reason="unexpected")
