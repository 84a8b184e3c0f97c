"""The language switch on every page: a cookie that outlives the session."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from hub.interfaces.web.pages.i18n import LANGUAGE_COOKIE, LANGUAGES

ONE_YEAR = 365 * 24 * 3600


async def switch_language(request: Request) -> Response:
    language = request.query_params.get("lang", "")
    target = request.query_params.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = RedirectResponse(target, status_code=303)
    if language in LANGUAGES:
        set_language_cookie(response, language)
    return response


def set_language_cookie(response: Response, language: str) -> None:
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=ONE_YEAR, samesite="lax")
