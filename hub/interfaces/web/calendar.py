"""Calendar files: `GET /calendar/convenings/{id}.ics` (one convening, as the caller may see
it) and `GET /calendar/feeds/{token}.ics` (a subscribable feed, no sign-in: the token is the
key)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from hub.access.auth.tokens import InvalidToken
from hub.delivery.calendar.documents import convening_calendar
from hub.delivery.calendar.events import Publisher
from hub.delivery.calendar.facts import ConveningFacts
from hub.delivery.calendar.ids import convening_pk
from hub.delivery.feeds.contents import (
    UNRENDERABLE,
    feed_convenings,
    feed_document,
    feed_language,
    feed_name,
    visible_convening,
)
from hub.delivery.feeds.tokens import feed_by_token
from hub.infrastructure.models import Convening
from hub.infrastructure.models.base import utcnow
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.database_choice import authenticate_reader, read_found
from hub.interfaces.web.graphql_endpoint import unauthenticated
from hub.interfaces.web.pages.i18n import reader_language

CALENDAR_TYPE = "text/calendar; charset=utf-8"
UNWRITABLE_DATES = "This convening's dates cannot be written as a calendar file."
NOT_FOUND = "No such calendar is visible to you."
# A feed's convenings, its name and its language.
FeedContents = tuple[list[Convening], str, str]


async def convening_ics(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    convening_id = convening_pk(request.path_params["id"])
    if convening_id is None:
        return PlainTextResponse(NOT_FOUND, status_code=404)

    async def read(session: AsyncSession) -> Convening | None:
        viewer = await authenticate_reader(request, session, runtime)
        return await visible_convening(session, viewer, convening_id)

    try:
        convening = await read_found(request, read)
    except InvalidToken as error:
        return unauthenticated(str(error))
    if convening is None:
        return PlainTextResponse(NOT_FOUND, status_code=404)
    publisher = Publisher.of(runtime.settings)
    try:
        facts = ConveningFacts.from_model(convening)
        body = convening_calendar(
            facts, publisher, stamp=utcnow(), language=reader_language(request)
        )
    except UNRENDERABLE:
        # Dates out of any calendar's range, as old or restored data may hold: the admin
        # repairs the convening; until then its file is refused, not a server error.
        return PlainTextResponse(UNWRITABLE_DATES, status_code=422)
    disposition = f'attachment; filename="convening-{convening.id}.ics"'
    return Response(body, media_type=CALENDAR_TYPE, headers={"Content-Disposition": disposition})


async def feed_ics(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    now = utcnow()

    async def read(session: AsyncSession) -> FeedContents | None:
        feed = await feed_by_token(session, request.path_params["token"])
        if feed is None:
            return None
        convenings = await feed_convenings(session, feed, now=now)
        return convenings, await feed_name(session, feed), await feed_language(session, feed)

    found = await read_found(request, read)
    if found is None:
        return PlainTextResponse(NOT_FOUND, status_code=404)
    convenings, name, language = found
    publisher = Publisher.of(runtime.settings)
    body = feed_document(convenings, publisher, name=name, stamp=now, language=language)
    # The URL is a secret: keep it out of shared caches.
    return Response(
        body, media_type=CALENDAR_TYPE, headers={"Cache-Control": "private, max-age=300"}
    )
