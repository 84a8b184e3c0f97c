"""`POST /oauth/token`: the OAuth 2.0 client-credentials grant for API clients."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from hub.access.auth.oauth import TokenHttpRequest, load_claimed_client, token_response
from hub.interfaces.runtime import Runtime


async def oauth_token(request: Request) -> JSONResponse:
    runtime: Runtime = request.app.state.runtime
    form = await request.form()
    token_request = TokenHttpRequest(
        method=request.method,
        url=str(request.url),
        headers=request.headers,  # unchanged: see hub/access/auth/oauth.py
        form={name: value for name, value in form.items() if isinstance(value, str)},
    )
    async with runtime.sessions() as session:
        claimed = await load_claimed_client(session, token_request)
    answer = await token_response(
        token_request, claimed, runtime.signer, runtime.settings.client_token_lifetime_seconds
    )
    return JSONResponse(answer.body, status_code=answer.status_code, headers=dict(answer.headers))
