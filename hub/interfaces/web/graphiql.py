"""GraphiQL served whole by the hub. Strawberry's page loads React and GraphiQL from a CDN;
the very same files are vendored under frontend/static/graphiql at the CDN's paths (the page's
integrity hashes check them), so GraphiQL works offline and loads nothing from elsewhere."""

from __future__ import annotations

CDN = "https://unpkg.com/"
VENDORED = "/static/graphiql/"


def offline_graphiql(page: str) -> str:
    if CDN not in page:
        raise RuntimeError("strawberry's GraphiQL page no longer loads from the expected CDN")
    return page.replace(CDN, VENDORED)
