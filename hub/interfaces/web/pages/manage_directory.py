"""The admins' directory back office under /manage: organizations and people, searched with
accents and case folded, created, edited, archived, removed and merged, and a CSV of what the
admin sees. Every read and write is a document run as the viewer: the schema refuses anyone
but an admin (each page's document reads `admins`, an admins-only field)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.datastructures import FormData
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from hub.infrastructure.search import MAX_SEARCH_LENGTH
from hub.interfaces.web.pages.messages import N_, error_messages, field_errors
from hub.interfaces.web.pages.page import Page, page_endpoint
from hub.interfaces.web.pages.runner import PageRefused
from hub.interfaces.web.spreadsheet import spreadsheet_csv

KINDS = ("MEMBER", "STRATEGIC_PARTNER", "ALLY", "PEER")
ANCHOR_ROLES = ("REGIONAL_ANCHOR", "STATE_ANCHOR")
SECTORS = (
    "COMMUNITY_ORGANIZING",
    "LABOR",
    "FAITH",
    "HEALTH_AND_HUMAN_SERVICES",
    "CIVIL_RIGHTS",
    "ADVOCACY",
    "OTHER",
)
ROLES = ("CONTACT", "STAFF", "LEADER", "MEMBER")
LANGUAGES = ("EN", "ES")
CSV_HEADER = ("name", "email", "phone", "language", "organization", "role", "title")

ORGANIZATION_SAVED = N_("The organization is saved.")
ORGANIZATION_ARCHIVED = N_("The organization is archived: it left the lists.")
PERSON_SAVED = N_("The person is saved.")
PERSON_REMOVED = N_("The person is removed: what they answered names a former member.")
PEOPLE_MERGED = N_("The two records are one now.")
AFFILIATION_SAVED = N_("The affiliation is saved.")
AFFILIATION_ENDED = N_("The affiliation has ended.")

# The directory's codes in words (the shared ones come from hub/interfaces/web/pages/messages.py).
DIRECTORY_MESSAGES = {
    "INVALID": N_("Check this value: it is not in a form the hub takes."),
    "INVALID_CHARACTERS": N_("Use letters, digits and punctuation on one line."),
    "DUPLICATE_EMAIL": N_("Someone in the hub already has this email."),
    "DUPLICATE_SLUG": N_("Another organization already has this short name."),
    "INVALID_SLUG": N_("Use lower-case letters, digits and single hyphens."),
    "INVALID_STATE": N_("Enter a two-letter state code, such as CA or NY."),
    "ANCHOR_ROLE_ONLY_FOR_MEMBERS": N_("Only member organizations can be anchors."),
    "ALREADY_AFFILIATED": N_("This person is already in that organization."),
    "ALREADY_REMOVED": N_("This person was removed already."),
    "ALREADY_ARCHIVED": N_("This organization is archived already."),
    "SAME_PERSON": N_("Choose another record than this one."),
    "UNKNOWN_AFFILIATION": N_("That affiliation no longer exists."),
    "SEARCH_TOO_LONG": N_("Search with fewer letters."),
}


def _messages() -> dict[str, str]:
    return {**error_messages(), **DIRECTORY_MESSAGES}


def _text(form: FormData, name: str) -> str:
    return str(form.get(name) or "").strip()


def _search(page: Page) -> str:
    return (page.request.query_params.get("q") or "").strip()[:MAX_SEARCH_LENGTH]


def _require_signed_in(page: Page) -> None:
    if not page.signed_in:
        raise PageRefused("UNAUTHENTICATED")


async def _render(page: Page, template: str, status_code: int = 200, **values: Any) -> Response:
    return await page.render(template, status_code, error_messages=_messages(), **values)


# --- the directory --------------------------------------------------------------------------


@page_endpoint
async def directory_page(page: Page) -> Response:
    _require_signed_in(page)
    search = _search(page)
    variables = {"search": search or None, "after": page.request.query_params.get("after")}
    data = await page.query("manageDirectory", variables)
    return await _render(
        page,
        "manage_directory.html",
        q=search,
        organizations=[e["node"] for e in data["organizations"]["edges"]],
        organization_count=data["organizations"]["totalCount"],
        people=data["people"],
        admin_count=len(data["admins"]),
    )


@page_endpoint
async def directory_csv(page: Page) -> Response:
    _require_signed_in(page)
    search = _search(page)
    rows = [row async for row in _export_rows(page, search or None)]
    return Response(
        spreadsheet_csv(CSV_HEADER, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="directory.csv"'},
    )


async def _export_rows(page: Page, search: str | None) -> Any:
    after = None
    while True:
        people = (await page.query("manageDirectoryExport", {"search": search, "after": after}))[
            "people"
        ]
        for edge in people["edges"]:
            for row in _person_rows(edge["node"]):
                yield row
        if not people["pageInfo"]["hasNextPage"]:
            return
        after = people["pageInfo"]["endCursor"]


def _person_rows(person: dict[str, Any]) -> Iterator[list[str]]:
    """One row per affiliation (one without organization for someone in none), with the
    contact details the schema gave this viewer (null ones empty)."""
    own = [person["name"], person["email"] or "", person["phone"] or ""]
    own.append((person["preferredLanguage"] or "").lower())
    for affiliation in person["affiliations"] or [None]:
        if affiliation is None:
            yield [*own, "", "", ""]
        else:
            organization = affiliation["organization"]["name"]
            yield [*own, organization, affiliation["role"], affiliation["title"] or ""]


# --- organizations --------------------------------------------------------------------------

ORGANIZATION_FIELDS = ("name", "kind", "anchorRole", "sector", "region", "counties", "state")


def _organization_input(form: FormData) -> dict[str, Any]:
    counties = [c.strip() for c in _text(form, "counties").split(",") if c.strip()]
    return {
        "name": _text(form, "name"),
        "kind": _text(form, "kind") if _text(form, "kind") in KINDS else "MEMBER",
        "anchorRole": _text(form, "anchorRole")
        if _text(form, "anchorRole") in ANCHOR_ROLES
        else None,
        "sector": _text(form, "sector") if _text(form, "sector") in SECTORS else "OTHER",
        "region": _text(form, "region") or None,
        "counties": counties,
        "state": _text(form, "state") or None,
    }


async def _organization_form(
    page: Page, organization: dict[str, Any] | None, status_code: int = 200, **values: Any
) -> Response:
    return await _render(
        page,
        "manage_organization.html",
        status_code,
        organization=organization,
        kinds=KINDS,
        anchor_roles=ANCHOR_ROLES,
        sectors=SECTORS,
        **values,
    )


@page_endpoint
async def new_organization(page: Page) -> Response:
    _require_signed_in(page)
    await page.query("manageDirectory", {"search": "", "after": None})
    return await _organization_form(page, None, typed={"kind": "MEMBER", "sector": "OTHER"})


@page_endpoint
async def create_organization(page: Page) -> Response:
    form = await page.form()
    given = _organization_input(form)
    payload = (await page.query("createOrganizationForm", {"input": given}))["createOrganization"]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        return await _organization_form(page, None, 422, errors=errors, typed=_typed(given))
    target = f"/manage/organizations/{payload['organization']['id']}"
    return await page.redirect(target, status=ORGANIZATION_SAVED)


@page_endpoint
async def organization_page(page: Page) -> Response:
    _require_signed_in(page)
    organization = await _organization(page)
    return await _organization_form(page, organization, typed=_typed(organization))


@page_endpoint
async def update_organization(page: Page) -> Response:
    form = await page.form()
    given = {"id": page.request.path_params["id"], **_organization_input(form)}
    payload = (await page.query("updateOrganizationForm", {"input": given}))["updateOrganization"]
    if payload["errors"]:
        organization = await _organization(page)
        errors = field_errors(payload["errors"])
        return await _organization_form(page, organization, 422, errors=errors, typed=_typed(given))
    target = f"/manage/organizations/{given['id']}"
    return await page.redirect(target, status=ORGANIZATION_SAVED)


@page_endpoint
async def archive_organization(page: Page) -> Response:
    await page.form()
    organization_id = page.request.path_params["id"]
    payload = (await page.query("archiveOrganization", {"id": organization_id}))[
        "archiveOrganization"
    ]
    if payload["errors"]:
        organization = await _organization(page)
        errors = field_errors(payload["errors"])
        return await _organization_form(
            page,
            organization,
            422,
            errors={"archive": errors.get("id", "")},
            typed=_typed(organization),
        )
    return await page.redirect("/manage/directory", status=ORGANIZATION_ARCHIVED)


async def _organization(page: Page) -> dict[str, Any]:
    data = await page.query("manageOrganization", {"id": page.request.path_params["id"]})
    if not data["node"] or "name" not in data["node"]:
        raise PageRefused("NOT_FOUND")
    return data["node"]  # type: ignore[no-any-return]


def _typed(values: dict[str, Any]) -> dict[str, str]:
    """What the form's fields show: the record, or what was typed."""
    typed = {k: ("" if v is None else v) for k, v in values.items() if k != "affiliations"}
    if isinstance(values.get("counties"), list):
        typed["counties"] = ", ".join(values["counties"])
    return typed


# --- people ---------------------------------------------------------------------------------


def _person_input(form: FormData) -> dict[str, Any]:
    language = _text(form, "preferredLanguage")
    return {
        "name": _text(form, "name"),
        "email": _text(form, "email"),
        "phone": _text(form, "phone"),
        "preferredLanguage": language if language in LANGUAGES else "EN",
    }


@page_endpoint
async def new_person(page: Page) -> Response:
    _require_signed_in(page)
    await page.query("manageDirectory", {"search": "", "after": None})
    return await _render(
        page, "manage_person.html", person=None, languages=LANGUAGES, typed={}, roles=ROLES
    )


@page_endpoint
async def create_person(page: Page) -> Response:
    form = await page.form()
    given = _person_input(form)
    variables = {"input": {**given, "phone": given["phone"] or None}}
    payload = (await page.query("createPersonForm", variables))["createPerson"]
    if payload["errors"]:
        return await _render(
            page,
            "manage_person.html",
            422,
            person=None,
            languages=LANGUAGES,
            roles=ROLES,
            typed=given,
            errors=field_errors(payload["errors"]),
        )
    return await page.redirect(f"/manage/people/{payload['person']['id']}", status=PERSON_SAVED)


@page_endpoint
async def person_page(page: Page) -> Response:
    _require_signed_in(page)
    return await _person_form(page)


async def _person_form(page: Page, status_code: int = 200, **values: Any) -> Response:
    data = await page.query("managePerson", {"id": page.request.path_params["id"]})
    person = data["node"]
    if not person or "name" not in person or person["formerMember"]:
        raise PageRefused("NOT_FOUND")
    values.setdefault("typed", _typed(person))
    return await _render(
        page,
        "manage_person.html",
        status_code,
        person=person,
        organizations=[e["node"] for e in data["organizations"]["edges"]],
        languages=LANGUAGES,
        roles=ROLES,
        admin_count=len(data["admins"]),
        **values,
    )


@page_endpoint
async def update_person(page: Page) -> Response:
    form = await page.form()
    given = {"id": page.request.path_params["id"], **_person_input(form)}
    payload = (await page.query("updatePerson", {"input": given}))["updatePerson"]
    if payload["errors"]:
        errors = field_errors(payload["errors"])
        return await _person_form(page, 422, errors=errors, typed=given, error_form="person")
    return await page.redirect(f"/manage/people/{given['id']}", status=PERSON_SAVED)


@page_endpoint
async def remove_person(page: Page) -> Response:
    await page.form()
    payload = (await page.query("removePerson", {"id": page.request.path_params["id"]}))[
        "removePerson"
    ]
    if payload["errors"]:
        errors = {"": field_errors(payload["errors"]).get("id", "")}
        return await _person_form(page, 422, errors=errors, error_form="remove")
    return await page.redirect("/manage/directory", status=PERSON_REMOVED)


@page_endpoint
async def add_affiliation(page: Page) -> Response:
    form = await page.form()
    person_id = page.request.path_params["id"]
    role = _text(form, "role")
    given = {
        "personId": person_id,
        "organizationId": _text(form, "organizationId") or "-",
        "role": role if role in ROLES else "MEMBER",
        "title": _text(form, "title") or None,
    }
    payload = (await page.query("addAffiliationForm", {"input": given}))["addAffiliation"]
    return await _affiliation_done(page, payload, "add", AFFILIATION_SAVED)


@page_endpoint
async def update_affiliation(page: Page) -> Response:
    form = await page.form()
    role = _text(form, "role")
    given = {"id": _text(form, "affiliationId") or "-", "role": role if role in ROLES else None}
    payload = (await page.query("updateAffiliation", {"input": given}))["updateAffiliation"]
    return await _affiliation_done(page, payload, f"change-{given['id']}", AFFILIATION_SAVED)


@page_endpoint
async def end_affiliation(page: Page) -> Response:
    form = await page.form()
    affiliation_id = _text(form, "affiliationId") or "-"
    payload = (await page.query("endAffiliation", {"id": affiliation_id}))["endAffiliation"]
    return await _affiliation_done(page, payload, f"change-{affiliation_id}", AFFILIATION_ENDED)


async def _affiliation_done(page: Page, payload: dict[str, Any], where: str, done: str) -> Response:
    if payload["errors"]:
        errors = {"": payload["errors"][0]["code"]}
        return await _person_form(page, 422, errors=errors, error_form=where)
    return await page.redirect(f"/manage/people/{page.request.path_params['id']}", status=done)


# --- merging --------------------------------------------------------------------------------


@page_endpoint
async def merge_page(page: Page) -> Response:
    _require_signed_in(page)
    return await _merge_form(page, _search(page))


async def _merge_form(page: Page, search: str, status_code: int = 200, **values: Any) -> Response:
    person_id = page.request.path_params["id"]
    data = await page.query("mergeCandidates", {"id": person_id, "search": search or None})
    person = data["node"]
    if not person or "name" not in person or person["formerMember"]:
        raise PageRefused("NOT_FOUND")
    candidates = [e["node"] for e in data["people"]["edges"] if e["node"]["id"] != person["id"]]
    return await _render(
        page,
        "manage_merge.html",
        status_code,
        person=person,
        q=search,
        candidates=candidates if search else [],
        **values,
    )


@page_endpoint
async def merge_people(page: Page) -> Response:
    form = await page.form()
    survivor = page.request.path_params["id"]
    duplicate = _text(form, "duplicate")
    if not duplicate:
        return await _merge_form(page, _text(form, "q"), 422, errors={"": "UNKNOWN_PERSON"})
    variables = {"survivor": survivor, "duplicate": duplicate}
    payload = (await page.query("mergePeople", variables))["mergePeople"]
    if payload["errors"]:
        errors = {"": payload["errors"][0]["code"]}
        return await _merge_form(page, _text(form, "q"), 422, errors=errors)
    return await page.redirect(f"/manage/people/{survivor}", status=PEOPLE_MERGED)


def routes() -> list[BaseRoute]:
    get, post = ["GET"], ["POST"]
    return [
        Route("/manage/directory", directory_page, methods=get),
        Route("/manage/directory.csv", directory_csv, methods=get),
        Route("/manage/organizations/new", new_organization, methods=get),
        Route("/manage/organizations/new", create_organization, methods=post),
        Route("/manage/organizations/{id}", organization_page, methods=get),
        Route("/manage/organizations/{id}", update_organization, methods=post),
        Route("/manage/organizations/{id}/archive", archive_organization, methods=post),
        Route("/manage/people/new", new_person, methods=get),
        Route("/manage/people/new", create_person, methods=post),
        Route("/manage/people/{id}", person_page, methods=get),
        Route("/manage/people/{id}", update_person, methods=post),
        Route("/manage/people/{id}/remove", remove_person, methods=post),
        Route("/manage/people/{id}/affiliations", add_affiliation, methods=post),
        Route("/manage/people/{id}/affiliations/update", update_affiliation, methods=post),
        Route("/manage/people/{id}/affiliations/end", end_affiliation, methods=post),
        Route("/manage/people/{id}/merge", merge_page, methods=get),
        Route("/manage/people/{id}/merge", merge_people, methods=post),
    ]
