"""Security headers over HTTP: pages may run the hub's own script and styles and nothing
inline, no site may frame anything, no type is guessed, no address leaves as a referrer."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from hub.infrastructure.models.convenings import Visibility
from tests.convenings.factories import create_convening
from tests.graphql.convenings.documents import gid

TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates"
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
NOTHING_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
ALWAYS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def security_headers(response) -> dict[str, str]:
    names = ("content-security-policy", *ALWAYS)
    return {name: response.headers.get(name, "") for name in names}


@pytest.mark.parametrize("path", ["/convenings", "/proposals", "/signin", "/convenings/nope"])
async def test_pages_allow_only_the_hubs_own_script_and_styles(http, path):
    response = await http.get(path)

    assert response.headers["content-type"].startswith("text/html")
    assert security_headers(response) == {"content-security-policy": PAGE_POLICY, **ALWAYS}


async def test_a_convenings_page_and_every_other_answer_carry_them(session, http, gql):
    convening = await create_convening(session, visibility=Visibility.PUBLIC)
    await session.commit()
    convening_id = gid("Convening", convening.id)

    page = await http.get(f"/convenings/{convening_id}")
    others = [
        await http.get("/healthz"),
        await http.post("/graphql", json={"query": "{ __typename }"}),
        await http.get(f"/calendar/convenings/{convening_id}.ics"),
        await http.get(f"/convenings/{convening_id}/attendees.csv"),
        await http.get("/static/hub.js"),
        await http.get("/no/such/thing"),
    ]

    assert security_headers(page) == {"content-security-policy": PAGE_POLICY, **ALWAYS}
    assert [r.status_code for r in others] == [200, 200, 200, 401, 200, 404]
    for response in others:
        assert security_headers(response) == {
            "content-security-policy": NOTHING_POLICY,
            **ALWAYS,
        }, response.url


async def test_graphiql_may_run_its_own_inline_scripts_by_hash_and_no_other(http):
    response = await http.get("/graphql", headers={"Accept": "text/html"})

    assert response.status_code == 200
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text, re.DOTALL)
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    ]
    assert hashes
    policy = response.headers["content-security-policy"]
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert script_src == " ".join(["script-src", "'self'", *hashes])
    assert "frame-ancestors 'none'" in policy
    assert {k: response.headers[k] for k in ALWAYS} == ALWAYS


def test_no_template_carries_inline_script_or_style():
    # What the page policy would refuse: kept out of the templates
    inline = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=|\sstyle=|javascript:|<style")
    offenders = {
        path.name: inline.findall(path.read_text())
        for path in TEMPLATES.rglob("*.html")
        if inline.search(path.read_text())
    }
    assert offenders == {}
