"""Pages over plain HTTP, through the ASGI app, for what needs no browser: signing in by the
emailed link with the page session's cookie, and reading a page's text."""

from __future__ import annotations

import html
import re

import httpx

from hub.infrastructure.models import Person
from hub.interfaces.runtime import Runtime
from tests.frontend.flows import TEST_BASE_URL, sign_in_links

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: httpx.Response) -> str:
    found = CSRF.search(page.text)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


async def ask_for_link_over_http(http: httpx.AsyncClient, email: str) -> httpx.Response:
    form = await http.get("/signin")
    return await http.post("/signin", data={"email": email, "csrf_token": csrf_of(form)})


async def sign_in_over_http(http: httpx.AsyncClient, runtime: Runtime, person: Person) -> None:
    """Asks for a link, opens the newest one the outbox holds and presses its button; the
    client keeps the page session's cookie."""
    await ask_for_link_over_http(http, person.email)
    link = (await sign_in_links(runtime, person.email))[-1].removeprefix(TEST_BASE_URL)
    opened = await http.get(link)
    token = link.split("token=")[1]
    answer = await http.post("/signin/link", data={"token": token, "csrf_token": csrf_of(opened)})
    assert answer.status_code == 303, answer.text


def definition(page: httpx.Response, term: str) -> list[str]:
    """The texts of the <dd> elements that follow the <dt> naming `term`, tags removed."""
    found = re.search(rf"<dt>{re.escape(term)}</dt>((?:\s*<dd>.*?</dd>)+)", page.text, re.S)
    assert found, f"no <dt>{term}</dt> on the page"
    return [plain(text) for text in re.findall(r"<dd>(.*?)</dd>", found.group(1), re.S)]


def plain(fragment: str) -> str:
    # Only ASCII white space is collapsed: the narrow no-break space before "PM" stays.
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment))
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


async def read(
    http: httpx.AsyncClient, url: str, *, language: str | None = None, zone: str | None = None
) -> httpx.Response:
    """GETs a page as a reader whose language switch and browser zone are these (None: the
    reader never chose one, or their browser never said)."""
    for name, value in (("hub_lang", language), ("hub_tz", zone)):
        http.cookies.delete(name)
        if value is not None:
            http.cookies.set(name, value, domain="hub.test")
    return await http.get(url)
