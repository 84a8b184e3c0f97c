"""GraphiQL at /graphql loads everything from the hub: the very files strawberry's page takes
from a CDN, vendored under frontend/static/graphiql and checked by the page's integrity hashes."""

from __future__ import annotations

import base64
import hashlib
import re

from strawberry.http.ides import get_graphql_ide_html

from hub.infrastructure.shipped import FRONTEND

ASSET = re.compile(r'(?:src|href)="([^"]+)"\s+integrity="(sha384-[^"]+)"')


def _integrity(body: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(body).digest()).decode()


def _assets(html: str) -> list[tuple[str, str]]:
    return ASSET.findall(html)


async def test_the_graphiql_page_names_only_the_hubs_own_files(http):
    page = await http.get("/graphql", headers={"Accept": "text/html"})

    assets = _assets(page.text)
    assert page.status_code == 200
    assert len(assets) == 7
    for url, integrity in assets:
        assert url.startswith("/static/graphiql/"), url
        served = await http.get(url)
        assert served.status_code == 200, url
        assert _integrity(served.content) == integrity, url


def test_every_file_strawberrys_page_loads_is_vendored_unchanged():
    upstream = _assets(get_graphql_ide_html(graphql_ide="graphiql"))

    assert len(upstream) == 7
    for url, integrity in upstream:
        vendored = FRONTEND / "static" / "graphiql" / url.removeprefix("https://unpkg.com/")
        assert vendored.is_file(), f"vendor {url} (see frontend/static/graphiql/README.md)"
        assert _integrity(vendored.read_bytes()) == integrity, url
