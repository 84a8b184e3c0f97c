"""The directory back office over plain HTTP through the ASGI app: an admin searches, creates,
edits, archives, removes and merges, and downloads the CSV; a member and an anonymous reader
are refused every page and change nothing."""

from __future__ import annotations

import csv
import io

import httpx
from sqlalchemy import func, select

from hub.infrastructure.models import Affiliation, Organization, Person
from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_member
from tests.factories import affiliate, create_admin, create_organization, create_person
from tests.frontend.over_http import csrf_of, plain, sign_in_over_http


async def _post(http: httpx.AsyncClient, form_url: str, action: str, **data: str) -> httpx.Response:
    page = await http.get(form_url)
    assert page.status_code == 200, page.text
    return await http.post(action, data={"csrf_token": csrf_of(page), **data})


async def test_an_admin_keeps_the_directory_from_the_browser(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    admin = await create_admin(session, name="Ada Admin", email="ada@example.org")
    await create_person(session, name="María González", email="maria@example.org")
    await session.commit()
    await sign_in_over_http(http, runtime, admin)

    found = await http.get("/manage/directory", params={"q": "ma go"})
    created = await _post(
        http,
        "/manage/organizations/new",
        "/manage/organizations/new",
        name="Unión Álvarez",
        kind="MEMBER",
        sector="LABOR",
        region="Bay Area",
        counties="Alameda, Contra Costa",
    )
    org_url = created.headers["location"]
    bad = await _post(http, org_url, org_url, name="", kind="PEER", state="XX")
    person = await _post(
        http,
        "/manage/people/new",
        "/manage/people/new",
        name="Luis Muñoz",
        email="luis@example.org",
    )
    person_url = person.headers["location"]
    named = select(Organization).where(Organization.name == "Unión Álvarez")
    organization = await session.scalar(named)
    await session.commit()  # SQLite: the app's writers wait for this read to end
    added = await _post(
        http,
        person_url,
        f"{person_url}/affiliations",
        organizationId=to_global_id("Organization", organization.id),
        role="CONTACT",
    )
    searched = await http.get("/manage/directory", params={"q": "ALVAREZ"})
    exported = await http.get("/manage/directory.csv")

    assert "María González" in plain(found.text)
    assert created.status_code == 303 and org_url.startswith("/manage/organizations/")
    assert bad.status_code == 422
    assert 'id="name-error"' in bad.text and 'id="state-error"' in bad.text
    assert person.status_code == 303 and added.status_code == 303
    assert "Unión Álvarez" in plain(searched.text)
    assert exported.status_code == 200
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert {(r["name"], r["email"], r["organization"], r["role"]) for r in rows} == {
        ("Ada Admin", "ada@example.org", "", ""),
        ("Luis Muñoz", "luis@example.org", "Unión Álvarez", "CONTACT"),
        ("María González", "maria@example.org", "", ""),
    }
    await session.commit()
    assert (
        await session.scalar(select(Organization.region).where(Organization.id == organization.id))
        == "Bay Area"
    )


async def test_members_and_strangers_are_refused_every_directory_page(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    await create_admin(session)
    member = await create_member(session)
    other = await create_person(session, name="Other")
    organization = await create_organization(session)
    await affiliate(session, other, organization)
    await session.commit()
    person_id = to_global_id("Person", other.id)
    org_id = to_global_id("Organization", organization.id)
    pages = [
        "/manage/directory",
        "/manage/directory.csv",
        "/manage/organizations/new",
        f"/manage/organizations/{org_id}",
        "/manage/people/new",
        f"/manage/people/{person_id}",
        f"/manage/people/{person_id}/merge",
    ]

    for url in pages:
        anonymous = await http.get(url)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/signin")
    await sign_in_over_http(http, runtime, member)
    for url in pages:
        refused = await http.get(url)
        assert refused.status_code == 403, url
    csrf = csrf_of(await http.get("/me"))
    posts = [
        (f"/manage/people/{person_id}/remove", {}),
        (f"/manage/people/{person_id}", {"name": "Changed", "email": "x@example.org"}),
        (f"/manage/organizations/{org_id}/archive", {}),
        ("/manage/people/new", {"name": "New", "email": "new@example.org"}),
    ]
    for url, data in posts:
        refused = await http.post(url, data={"csrf_token": csrf, **data})
        assert refused.status_code == 403, url

    await session.commit()
    assert await session.scalar(select(func.count()).select_from(Person)) == 3
    assert await session.scalar(select(Person.name).where(Person.id == other.id)) == "Other"
    assert await session.scalar(select(Organization.archived_at)) is None
    assert await session.scalar(select(func.count()).select_from(Affiliation)) == 2


async def test_a_double_submitted_form_writes_once(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    admin = await create_admin(session)
    await session.commit()
    await sign_in_over_http(http, runtime, admin)
    forms = [
        ("/manage/organizations/new", {"name": "SCOPE", "kind": "MEMBER"}, "slug-error"),
        ("/manage/people/new", {"name": "Luis", "email": "luis@example.org"}, "email-error"),
    ]

    for url, data, error in forms:
        csrf = csrf_of(await http.get(url))
        first = await http.post(url, data={"csrf_token": csrf, **data})
        second = await http.post(url, data={"csrf_token": csrf, **data})
        assert first.status_code == 303, url
        assert second.status_code == 422 and f'id="{error}"' in second.text, url

    await session.commit()
    assert await session.scalar(select(func.count()).select_from(Organization)) == 1
    assert await session.scalar(select(func.count()).select_from(Person)) == 2
