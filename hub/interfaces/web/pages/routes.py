"""The pages' routes, and the static files they use."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from hub.infrastructure.shipped import FRONTEND
from hub.interfaces.web.pages import (
    checkin,
    committee_office,
    convenings,
    credentials,
    decisions,
    directory,
    guests,
    hosting,
    language,
    manage,
    manage_convenings,
    manage_directory,
    manage_guests,
    me,
    operations,
    people_import,
    profile,
    projector,
    proposals,
    proxies,
    signin,
)
from hub.interfaces.web.pages.oidc import oidc_routes

GET, POST = ["GET"], ["POST"]


async def home(request: Request) -> Response:
    return RedirectResponse("/convenings", status_code=303)


def page_routes() -> list[BaseRoute]:
    return [
        Route("/", home, methods=GET),
        Route("/language", language.switch_language, methods=GET),
        Route("/signin", signin.signin_form, methods=GET),
        Route("/signin", signin.signin_request, methods=POST),
        Route("/signin/link", signin.link_form, methods=GET),
        Route("/signin/link", signin.link_consume, methods=POST),
        Route("/signout", signin.signout, methods=POST),
        *oidc_routes(),
        Route("/directory", directory.directory, methods=GET),
        Route("/me", me.my_page, methods=GET),
        Route("/me/feed", me.make_feed, methods=POST),
        Route("/me/language", me.save_language, methods=POST),
        Route("/me/tokens", credentials.make_token, methods=POST),
        Route("/me/tokens/{id}/revoke", credentials.revoke_token, methods=POST),
        Route("/me/sessions/{id}/end", credentials.end_session, methods=POST),
        Route("/me/signout-everywhere", credentials.sign_out_everywhere, methods=POST),
        *manage.routes(),
        *people_import.routes(),
        *manage_directory.routes(),
        Route("/admins", credentials.admins_page, methods=GET),
        Route("/admins/grant", credentials.grant_admin, methods=POST),
        Route("/admins/revoke", credentials.revoke_admin, methods=POST),
        Route("/admins/signout-everywhere", credentials.sign_someone_out, methods=POST),
        Route("/convenings", convenings.convening_list, methods=GET),
        Route("/convenings/{id}", convenings.convening_page, methods=GET),
        Route("/convenings/{id}/rsvp", convenings.answer, methods=POST),
        Route("/convenings/{id}/withdraw", convenings.withdraw, methods=POST),
        Route("/convenings/{id}/checkin", checkin.checkin_page, methods=GET),
        Route("/convenings/{id}/checkin", checkin.checkin, methods=POST),
        *hosting.routes(),
        Route("/convenings/{id}/projector", projector.projector_page, methods=GET),
        Route("/convenings/{id}/projector/live", projector.projector_live, methods=GET),
        Route("/convenings/{id}/proxy", proxies.proxy_page, methods=GET),
        Route("/convenings/{id}/proxy", proxies.give_proxy, methods=POST),
        Route("/convenings/{id}/proxy/revoke", proxies.revoke_proxy, methods=POST),
        *operations.routes(),
        Route("/decisions", decisions.decision_register, methods=GET),
        Route("/decisions.csv", decisions.decision_register_csv, methods=GET),
        Route("/decisions/actions/update", decisions.update_action, methods=POST),
        Route("/decisions/{id}/actions", decisions.add_action, methods=POST),
        *committee_office.routes(),
        *manage_convenings.routes(),
        Route("/proposals", proposals.proposal_list, methods=GET),
        Route("/proposals/{id}", proposals.proposal_page, methods=GET),
        Route("/proposals/{id}/vote", proposals.vote, methods=POST),
        Route("/proposals/{id}/receipt", proposals.check_receipt, methods=POST),
        Route("/proposals/{id}/comments", proposals.comment, methods=POST),
        Route("/proposals/{id}/comments/edit", proposals.edit_comment, methods=POST),
        Route("/proposals/{id}/comments/withdraw", proposals.withdraw_comment, methods=POST),
        Route("/proposals/{id}/comments/hide", proposals.hide_comment, methods=POST),
        Route("/proposals/{id}/amendments", proposals.propose_amendment, methods=POST),
        Route("/proposals/{id}/amendments/decide", proposals.decide_amendment, methods=POST),
        *profile.routes(),
        *guests.routes(),
        *manage_guests.routes(),
        Mount("/static", StaticFiles(directory=FRONTEND / "static"), name="static"),
    ]
