"""`GET /convenings/{id}/attendees.csv`: the attendee list for admins and host contacts, with
the email and phone the planners reach each person at.

A script sends its bearer token; a signed-in browser (the attendee page's download button)
is known by its page session instead. Written as hub.interfaces.web.spreadsheet writes every CSV:
safe to open in a spreadsheet."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from hub.access.auth.tokens import InvalidToken
from hub.access.auth.viewer import Viewer, load_person_viewer
from hub.access.permissions import Forbidden, NotSignedIn
from hub.common.errors import NotFound
from hub.domains.convenings.attendees import Attendee, attendees
from hub.interfaces.graphql.node import InvalidGlobalId, pk_of
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.database_choice import authenticate_reader, reading_database, session_on
from hub.interfaces.web.graphql_endpoint import unauthenticated
from hub.interfaces.web.pages.session import read_session
from hub.interfaces.web.spreadsheet import spreadsheet_csv

HEADER = [
    "person",
    "organization",
    "status",
    "waitlist_position",
    "interpretation_language",
    "accessibility",
    "accessibility_note",
    "childcare_count",
    "dietary",
    "checked_in_at",
    "email",
    "phone",
]


async def attendees_csv(request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    try:
        convening_id = pk_of(request.path_params["id"], "Convening")
    except InvalidGlobalId:
        return PlainTextResponse("No such convening.", status_code=404)
    database = await reading_database(request)
    async with session_on(database, runtime) as session:
        try:
            viewer = await _viewer(request, session, runtime)
            convening, rows = await attendees(session, viewer, convening_id)
        except InvalidToken as error:
            return unauthenticated(str(error))
        except NotFound:
            if not viewer.is_person:
                return unauthenticated("Sign in to export an attendee list.")
            return PlainTextResponse("No such convening is visible to you.", status_code=404)
        except NotSignedIn as error:
            return unauthenticated(str(error))
        except Forbidden as error:
            return PlainTextResponse(str(error), status_code=403)
    filename = f"attendees-{convening.id}.csv"
    return Response(
        spreadsheet_csv(HEADER, [_row(a) for a in rows]),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _viewer(request: Request, session: AsyncSession, runtime: Runtime) -> Viewer:
    """The bearer token's viewer; without a token, the signed-in browser's."""
    viewer = await authenticate_reader(request, session, runtime)
    if viewer.is_person or "authorization" in request.headers:
        return viewer
    person_id = (await read_session(request)).person_id
    if person_id is None:
        return viewer
    return await load_person_viewer(session, person_id) or viewer


def _row(a: Attendee) -> list[str | int]:
    return [
        a.person,
        a.organization or "",
        a.status.value,
        a.waitlist_position or "",
        a.interpretation_language or "",
        ";".join(a.accessibility),
        a.accessibility_note,
        a.childcare_count,
        a.dietary,
        a.checked_in_at.isoformat() if a.checked_in_at else "",
        a.email,
        a.phone,
    ]
