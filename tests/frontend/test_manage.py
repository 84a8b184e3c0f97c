"""The "Manage" menu and its landing page: shown to admins and to the contacts of host
organizations, each seeing what they may run; a member is refused, a stranger is sent to sign in."""

from __future__ import annotations

import httpx

from hub.interfaces.graphql.node import to_global_id
from hub.interfaces.runtime import Runtime
from tests.convenings.factories import create_contact, create_convening, create_member
from tests.factories import create_admin, create_organization
from tests.frontend.over_http import plain, sign_in_over_http

MANAGE_LINK = '<a href="/manage"'


async def test_an_admin_finds_every_section_of_the_back_office(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    admin = await create_admin(session)
    hosted = await create_convening(session, title="January strategy session")
    await session.commit()

    await sign_in_over_http(http, runtime, admin)
    page = await http.get("/manage")

    assert page.status_code == 200
    assert MANAGE_LINK in page.text
    for section in (
        "/manage/directory",
        "/manage/import",
        "/manage/guests",
        "/manage/convenings",
        "/manage/series",
        "/manage/committee",
        "/manage/operations",
        "/admins",
    ):
        assert f'href="{section}"' in page.text
    # An admin manages every convening: its attendees, messages and door are a click away.
    assert "January strategy session" in plain(page.text)
    convening_id = to_global_id("Convening", hosted.id)
    for link in ("attendees", "messages", "checkin"):
        assert f'href="/convenings/{convening_id}/{link}"' in page.text


async def test_a_host_contact_sees_only_the_convenings_their_organization_hosts(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    scope = await create_organization(session, name="SCOPE")
    contact = await create_contact(session, scope)
    await create_convening(session, hosts=[scope], title="Hosted by SCOPE")
    await create_convening(session, title="Hosted by someone else")
    await session.commit()

    await sign_in_over_http(http, runtime, contact)
    page = await http.get("/manage")

    assert page.status_code == 200
    text = plain(page.text)
    assert "Hosted by SCOPE" in text
    assert "Hosted by someone else" not in text
    assert 'href="/manage/directory"' not in page.text  # the alliance's sections are for admins
    assert MANAGE_LINK in (await http.get("/convenings")).text


async def test_a_member_without_a_role_gets_no_menu_and_is_refused(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    member = await create_member(session)
    await create_convening(session)
    await session.commit()

    await sign_in_over_http(http, runtime, member)

    assert MANAGE_LINK not in (await http.get("/convenings")).text
    refused = await http.get("/manage")
    assert refused.status_code == 403
    assert "You may not see or do this." in plain(refused.text)


async def test_a_signed_out_visitor_is_asked_to_sign_in(http: httpx.AsyncClient):
    page = await http.get("/manage")

    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=/manage"
    assert MANAGE_LINK not in (await http.get("/convenings")).text
