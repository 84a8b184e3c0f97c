"""The import page's forms over plain HTTP: who is refused (a member, a signed-out visitor),
what each bad file gets (its error next to the file field, nothing written), a preview whose
carried file was altered, a double-submitted import (written once, the second says nothing
changed), and the route's body limit, which takes a 5,000-row file."""

from __future__ import annotations

import base64
import re

import httpx
import pytest

from hub.domains.directory.import_file import MAX_BYTES
from hub.interfaces.runtime import Runtime
from hub.interfaces.web.pages.people_import import BODY_LIMITS
from tests.convenings.factories import create_member
from tests.directory.people_files import create_organizations, csv_text, people_rows
from tests.factories import create_admin, create_organization
from tests.frontend.over_http import csrf_of, plain, sign_in_over_http
from tests.graphql.directory.test_people_import import directory, table_counts

CSV = "name,email,organization\r\nAna Ruiz,ana@scope.org,SCOPE\r\nBo,not-an-email,\r\n"


async def upload(http: httpx.AsyncClient, content: bytes, name: str = "people.csv"):
    form = await http.get("/manage/import")
    files = {"file": (name, content, "text/csv")}
    return await http.post(
        "/manage/import/preview", data={"csrf_token": csrf_of(form)}, files=files
    )


def hidden(page: httpx.Response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page.text)
    assert found, f"no hidden field {name}"
    return found.group(1)


async def confirm(http: httpx.AsyncClient, preview: httpx.Response, **changed: str):
    fields = {name: hidden(preview, name) for name in ("csrf_token", "content", "previewToken")}
    return await http.post(
        "/manage/import", files={k: (None, v) for k, v in (fields | changed).items()}
    )


@pytest.fixture
async def admin_signed_in(session, http: httpx.AsyncClient, runtime: Runtime):
    admin = await create_admin(session, email="staff@alliance.org")
    await create_organization(session, name="SCOPE")
    await session.commit()
    await sign_in_over_http(http, runtime, admin)
    return admin


async def test_a_previewed_file_imports_once_when_submitted_twice(
    session, http: httpx.AsyncClient, admin_signed_in
):
    preview = await upload(http, CSV.encode())
    assert preview.status_code == 200
    assert "Import 1 valid row" in plain(preview.text)
    assert "The email is not a valid address." in plain(preview.text)

    first = await confirm(http, preview)
    people = await directory(session)
    second = await confirm(http, preview)

    assert first.status_code == second.status_code == 200
    assert "The import is done." in plain(first.text)
    assert "Nothing changed: every valid row already matches the directory." in plain(second.text)
    assert [p[0] for p in people] == ["ana@scope.org", "staff@alliance.org"]
    assert await directory(session) == people


BAD_FILES = {
    "no file": (None, "Choose a CSV file."),
    "empty": (b"", "The file is empty."),
    "not text": (b"\x81\x8d\x8f\x90\x9d", "This is not a CSV file"),
    "no header": (b"ana@x.org,Ana\r\n", "The first line must name the columns"),
    "wrong columns": (b"first,last\r\nAna,Ruiz\r\n", "The file needs a name column"),
    "too large": (b"name,email\n" + b"x" * MAX_BYTES, "The file is too large"),
}


@pytest.mark.parametrize("case", BAD_FILES)
async def test_a_bad_file_shows_its_error_by_the_field_and_writes_nothing(
    session, http: httpx.AsyncClient, admin_signed_in, case
):
    counts = await table_counts(session)
    content, message = BAD_FILES[case]
    if content is None:
        form = await http.get("/manage/import")
        answer = await http.post(
            "/manage/import/preview",
            files={"csrf_token": (None, csrf_of(form)), "file": ("", b"", "text/csv")},
        )
    else:
        answer = await upload(http, content)
    assert answer.status_code == 422
    assert 'id="file-error"' in answer.text
    assert 'aria-describedby="file-error"' in answer.text
    assert message in plain(answer.text)
    assert await table_counts(session) == counts


async def test_an_altered_preview_is_refused_and_writes_nothing(
    session, http: httpx.AsyncClient, admin_signed_in
):
    preview = await upload(http, CSV.encode())
    people = await directory(session)
    altered = base64.b64encode(CSV.replace("Ana Ruiz", "Eve").encode()).decode()
    for changed in ({"content": altered}, {"content": "%%%"}, {"previewToken": "1.x"}):
        answer = await confirm(http, preview, **changed)
        assert answer.status_code == 422
        assert "This is not the file that was previewed." in plain(answer.text)
    assert await directory(session) == people


async def test_the_route_takes_a_5000_row_file_and_its_preview(
    session, http: httpx.AsyncClient, admin_signed_in
):
    organizations = await create_organizations(session)
    await session.commit()
    csv = csv_text(people_rows(5_000, [o.name for o in organizations]))
    assert len(csv.encode()) < MAX_BYTES < BODY_LIMITS["/manage/import/preview"]
    preview = await upload(http, csv.encode())
    assert preview.status_code == 200
    assert "Import 5000 valid rows" in plain(preview.text)
    imported = await confirm(http, preview)
    assert imported.status_code == 200
    assert re.search(r'data-count="create">5000<', imported.text)


async def test_a_member_is_refused_and_nothing_changes(
    session, http: httpx.AsyncClient, runtime: Runtime
):
    member = await create_member(session)
    await session.commit()
    await sign_in_over_http(http, runtime, member)
    assert (await http.get("/manage/import")).status_code == 403
    counts = await table_counts(session)
    form = await http.get("/convenings")
    answer = await http.post(
        "/manage/import/preview",
        data={"csrf_token": csrf_of(form)},
        files={"file": ("people.csv", CSV.encode(), "text/csv")},
    )
    assert answer.status_code == 403
    assert "You may not see or do this." in plain(answer.text)
    content = base64.b64encode(CSV.encode()).decode()
    fields = {"csrf_token": csrf_of(form), "content": content, "previewToken": "1.x"}
    answer = await http.post("/manage/import", data=fields)
    assert answer.status_code == 403
    assert await table_counts(session) == counts


async def test_a_signed_out_visitor_is_asked_to_sign_in(http: httpx.AsyncClient):
    page = await http.get("/manage/import")
    assert page.status_code == 303
    assert page.headers["location"] == "/signin?next=/manage/import"


async def test_a_preview_through_the_page_writes_nothing(
    session, http: httpx.AsyncClient, admin_signed_in
):
    await http.get("/manage/import")  # the signed-in session's first page, outside the count
    counts, people = await table_counts(session), await directory(session)
    preview = await upload(http, CSV.encode())
    assert preview.status_code == 200
    assert await table_counts(session) == counts
    assert await directory(session) == people
