"""`hub serve --demo`, the README's first command, is a working website on its own: it says
where the website and GraphiQL are, GraphiQL loads nothing from elsewhere, and signing in works
with the link it prints."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from hub.demo.directory import ADMIN_EMAIL
from tests.infrastructure.served import Console, free_port, newcomer_env, running

pytestmark = pytest.mark.database_independent

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")


class AssetLinks(HTMLParser):
    """The addresses a page makes the browser load: scripts, stylesheets, images, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "img") and values.get("src"):
            self.urls.append(str(values["src"]))
        if tag == "link" and values.get("href"):
            self.urls.append(str(values["href"]))


def asset_urls(html: str) -> list[str]:
    parser = AssetLinks()
    parser.feed(html)
    return parser.urls


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo")


@pytest.fixture(scope="module")
def demo(demo_folder: Path) -> Iterator[tuple[Console, str, str]]:
    """The demo served as a newcomer starts it; its console and the two addresses it gave."""
    command = [sys.executable, "-m", "hub", "serve", "--demo", "--port", str(free_port())]
    with running(command, cwd=demo_folder, env=newcomer_env()) as console:
        website = console.wait_for(r"The website: (\S+)$", timeout=120).group(1)
        graphiql = console.wait_for(r"GraphiQL: +(\S+)$").group(1)
        console.wait_for("Uvicorn running on")
        yield console, website, graphiql


def test_the_addresses_it_prints_are_the_website_and_graphiql(demo):
    _, website, graphiql = demo

    assert website == f"http://127.0.0.1:{urlsplit(website).port}/"
    assert graphiql == urljoin(website, "/graphql")
    home = httpx.get(website, follow_redirects=True, timeout=10)
    assert home.status_code == 200
    assert "<h1>Upcoming convenings</h1>" in home.text


@pytest.mark.parametrize("page", ["website", "graphiql"])
def test_every_asset_comes_from_the_hub_itself(demo, page):
    _, website, graphiql = demo
    html = httpx.get(
        website if page == "website" else graphiql,
        headers={"Accept": "text/html"},
        follow_redirects=True,
        timeout=10,
    ).text
    urls = asset_urls(html)

    assert urls, html
    for url in urls:
        if url.startswith("data:"):
            continue  # inline: loads nothing
        assert_on_the_hub(url, website)
        asset = httpx.get(urljoin(website, url), timeout=10)
        assert asset.status_code == 200, url
        if url.endswith(".css"):
            for inner in CSS_URL.findall(asset.text):
                assert inner.startswith("data:") or not urlsplit(inner).netloc, (url, inner)


def test_graphiql_loads_graphiql_from_the_hub(demo):
    _, _, graphiql = demo
    html = httpx.get(graphiql, headers={"Accept": "text/html"}, timeout=10).text

    scripts = [Path(urlsplit(url).path).name for url in asset_urls(html)]
    assert {"graphiql.min.js", "graphiql.min.css", "react.production.min.js"} <= set(scripts)


def assert_on_the_hub(url: str, website: str) -> None:
    parts, hub = urlsplit(url), urlsplit(website)
    assert not parts.netloc or parts.netloc == hub.netloc, url


def test_a_sign_in_link_is_printed_on_the_console_and_signs_in(demo):
    console, website, _ = demo
    with httpx.Client(base_url=website, timeout=10) as browser:
        form = browser.get("/signin").text
        asked = browser.post(
            "/signin", data={"email": ADMIN_EMAIL, "csrf_token": CSRF.search(form).group(1)}
        )
        link = console.wait_for(r"(http\S+/signin/link\?token=\S+)", timeout=30).group(1)
        confirm = browser.get(link).text
        used = browser.post(
            "/signin/link",
            data={
                "token": re.search(r'name="token" value="([^"]+)"', confirm).group(1),
                "csrf_token": CSRF.search(confirm).group(1),
            },
        )
        me = browser.get("/me")

    assert asked.status_code == 200
    assert link.startswith(urljoin(website, "/signin/link?token="))
    assert used.status_code == 303
    assert me.status_code == 200
    assert f"<p>{ADMIN_EMAIL}</p>" in me.text


def test_links_name_hub_base_url_when_it_is_set(tmp_path):
    env = newcomer_env(
        HUB_SECRET_KEY="s" * 48,
        HUB_BASE_URL="http://hub.example.org:9999",
        HUB_DELIVER_IN_PROCESS="1",
    )
    hub = [sys.executable, "-m", "hub"]
    subprocess.run([*hub, "migrate"], cwd=tmp_path, env=env, check=True)
    subprocess.run(
        [*hub, "admin", "add", ADMIN_EMAIL, "--name", "Ana"], cwd=tmp_path, env=env, check=True
    )
    port = free_port()

    with running([*hub, "serve", "--port", str(port)], cwd=tmp_path, env=env) as console:
        website = console.wait_for(r"The website: (\S+)$").group(1)
        console.wait_for("Uvicorn running on")
        with httpx.Client(base_url=website, timeout=10) as browser:
            form = browser.get("/signin").text
            token = CSRF.search(form).group(1)
            browser.post("/signin", data={"email": ADMIN_EMAIL, "csrf_token": token})
        link = console.wait_for(r"(http\S+/signin/link\?token=\S+)", timeout=30).group(1)

    assert website == f"http://127.0.0.1:{port}/"
    assert link.startswith("http://hub.example.org:9999/signin/link?token=")


def test_a_token_from_hub_token_works_on_the_demo_whatever_its_port(demo, demo_folder):
    _, _, graphiql = demo
    minted = subprocess.run(
        [sys.executable, "-m", "hub", "token", ADMIN_EMAIL],
        cwd=demo_folder,
        env=newcomer_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    answer = httpx.post(
        graphiql,
        json={"query": "{ viewer { email isAdmin } }"},
        headers={"Authorization": f"Bearer {minted}"},
        timeout=10,
    )

    assert answer.json() == {"data": {"viewer": {"email": ADMIN_EMAIL, "isAdmin": True}}}
