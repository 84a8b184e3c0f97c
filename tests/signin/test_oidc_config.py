"""OpenID Connect providers from the environment: any number, each complete or the hub does
not start, with one line that names what is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.infrastructure.config import ConfigurationError, OidcProvider, Settings
from tests.infrastructure.served import free_port, newcomer_env
from tests.test_cli import GOOD_SECRET, hub_in, one_line

pytestmark = pytest.mark.database_independent

ACME = {
    "HUB_OIDC_ACME_ISSUER": "https://id.acme.org/",
    "HUB_OIDC_ACME_CLIENT_ID": "hub",
    "HUB_OIDC_ACME_CLIENT_SECRET": "s3cret",
    "HUB_OIDC_ACME_LABEL": "Acme",
}


def google(**more: str) -> dict[str, str]:
    names = {"ISSUER": "https://accounts.google.com", "CLIENT_ID": "g", "CLIENT_SECRET": "gs"}
    return {f"HUB_OIDC_GOOGLE_{key}": value for key, value in names.items()} | {
        "HUB_OIDC_GOOGLE_LABEL": "Google",
        **more,
    }


def test_providers_are_read_in_the_order_named() -> None:
    env = {"HUB_OIDC_PROVIDERS": "acme, Google", **ACME, **google()}
    env["HUB_OIDC_GOOGLE_DOMAINS"] = "@Scope.org, example.org"
    env["HUB_OIDC_GOOGLE_CREATE_PEOPLE"] = "1"
    assert Settings.from_env(env).oidc_providers == (
        OidcProvider("acme", "https://id.acme.org", "hub", "s3cret", "Acme"),
        OidcProvider(
            "google",
            "https://accounts.google.com",
            "g",
            "gs",
            "Google",
            domains=frozenset({"scope.org", "example.org"}),
            create_people=True,
        ),
    )
    assert Settings.from_env({}).oidc_providers == ()
    assert "s3cret" not in repr(Settings.from_env({"HUB_OIDC_PROVIDERS": "acme", **ACME}))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"HUB_OIDC_PROVIDERS": "acme", **ACME, "HUB_OIDC_ACME_CLIENT_SECRET": ""},
            "HUB_OIDC_PROVIDERS names 'acme', but HUB_OIDC_ACME_CLIENT_SECRET is not set",
        ),
        (
            {"HUB_OIDC_PROVIDERS": "google"},
            "HUB_OIDC_PROVIDERS names 'google', but HUB_OIDC_GOOGLE_ISSUER, "
            "HUB_OIDC_GOOGLE_CLIENT_ID, HUB_OIDC_GOOGLE_CLIENT_SECRET, HUB_OIDC_GOOGLE_LABEL "
            "are not set",
        ),
        ({"HUB_OIDC_PROVIDERS": "acme acme", **ACME}, "HUB_OIDC_PROVIDERS names acme twice"),
        (
            {"HUB_OIDC_PROVIDERS": "my-idp"},
            "HUB_OIDC_PROVIDERS: 'my-idp' is not a provider name: use up to 30 letters and "
            "digits, starting with a letter (such as google or acme)",
        ),
        (
            {"HUB_OIDC_PROVIDERS": "acme", **ACME, "HUB_OIDC_ACME_ISSUER": "http://id.acme.org"},
            "HUB_OIDC_ACME_ISSUER must be the provider's https URL (such as "
            "https://accounts.google.com), not 'http://id.acme.org'",
        ),
        (
            {"HUB_OIDC_PROVIDERS": "google", **google(HUB_OIDC_GOOGLE_DOMAINS="a@scope.org")},
            "HUB_OIDC_GOOGLE_DOMAINS: not an email domain: a@scope.org (use scope.org, not an "
            "address or a URL)",
        ),
        (
            {"HUB_OIDC_PROVIDERS": "google", **google(HUB_OIDC_GOOGLE_CREATE_PEOPLE="yes")},
            "HUB_OIDC_GOOGLE_CREATE_PEOPLE is set without HUB_OIDC_GOOGLE_DOMAINS: name the "
            "domains whose people this provider may add to the hub",
        ),
    ],
)
def test_an_incomplete_or_wrong_provider_is_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env(env)
    assert str(refused.value) == message


def test_a_local_issuer_may_speak_plain_http() -> None:
    env = {"HUB_OIDC_PROVIDERS": "acme", **ACME, "HUB_OIDC_ACME_ISSUER": "http://127.0.0.1:9400"}
    (acme,) = Settings.from_env(env).oidc_providers
    assert acme.metadata_url == "http://127.0.0.1:9400/.well-known/openid-configuration"


def test_serve_stops_at_start_up_with_one_line(tmp_path: Path) -> None:
    env = newcomer_env(HUB_SECRET_KEY=GOOD_SECRET, HUB_OIDC_PROVIDERS="acme")
    refused = hub_in(env, "serve", "--port", str(free_port()), cwd=tmp_path)
    assert refused.returncode == 2
    assert one_line(refused) == (
        "Error: HUB_OIDC_PROVIDERS names 'acme', but HUB_OIDC_ACME_ISSUER, "
        "HUB_OIDC_ACME_CLIENT_ID, HUB_OIDC_ACME_CLIENT_SECRET, HUB_OIDC_ACME_LABEL are not set"
    )
