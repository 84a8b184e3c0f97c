"""Bearer tokens: short JWTs signed with the hub's secret (joserfc, Authlib's JOSE layer)."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, JoseError
from joserfc.jwk import OctKey

from hub.common.ids import database_id
from hub.common.text import is_storable_text

AUDIENCE = "coalition-hub"
ALGORITHM = "HS256"
# Tokens whose signature this process has checked, oldest forgotten first.
MAX_REMEMBERED_TOKENS = 10_000
SIGNED_PERSON_TOKENS_REFUSED = (
    "This kind of token is no longer accepted: make a personal access token on your page, /me."
)


class InvalidToken(Exception):
    """A token that is malformed, forged, expired or meant for someone else."""


@dataclass(frozen=True)
class TokenClaims:
    subject: str
    scopes: frozenset[str]
    expires_at: int
    # When it was issued: a person's token names their id and, through this, only the person
    # who had that id then (see hub/access/auth/viewer.py).
    issued_at: int | None = None

    @property
    def person_id(self) -> int | None:
        kind, _, value = self.subject.partition(":")
        return database_id(value) if kind == "person" else None

    @property
    def personal_token_hash(self) -> str | None:
        kind, _, value = self.subject.partition(":")
        return value if kind == "pat" else None

    @property
    def client_id(self) -> str | None:
        kind, _, value = self.subject.partition(":")
        return value if kind == "client" and value and is_storable_text(value) else None


class TokenSigner:
    def __init__(
        self,
        secret: str,
        issuer: str,
        also_accepted: frozenset[str] = frozenset(),
        accept_person_tokens: bool = False,
    ) -> None:
        self._key = OctKey.import_key(secret)
        # People's tokens are personal access tokens now; signed ones only in a transition.
        self._accept_person_tokens = accept_person_tokens
        self._issuer = issuer
        self._accepted_issuers = sorted({issuer, *also_accepted})
        self._verified: OrderedDict[str, TokenClaims] = OrderedDict()

    def issue(
        self, subject: str, lifetime_seconds: int, scopes: frozenset[str] = frozenset()
    ) -> str:
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": self._issuer,
            "aud": AUDIENCE,
            "sub": subject,
            "iat": now,
            "exp": now + lifetime_seconds,
        }
        if scopes:
            claims["scope"] = " ".join(sorted(scopes))
        return jwt.encode({"alg": ALGORITHM}, claims, self._key)

    def verify(self, token: str) -> TokenClaims:
        """The token's claims, or InvalidToken saying why. A token whose signature was checked
        before is only checked for expiry again (a signature does not change; revocations
        and deleted people are the database's to say, on every request)."""
        known = self._verified.get(token)
        if known is not None and known.person_id is not None and not self._accept_person_tokens:
            raise InvalidToken(SIGNED_PERSON_TOKENS_REFUSED)
        if known is not None:
            if known.expires_at < int(time.time()):
                raise InvalidToken("The token has expired; ask for a new one.")
            return known
        claims = self._verified_now(token)
        if claims.person_id is not None and not self._accept_person_tokens:
            raise InvalidToken(SIGNED_PERSON_TOKENS_REFUSED)
        self._verified[token] = claims
        if len(self._verified) > MAX_REMEMBERED_TOKENS:
            self._verified.popitem(last=False)
        return claims

    def _verified_now(self, token: str) -> TokenClaims:
        try:
            decoded = jwt.decode(token, self._key, algorithms=[ALGORITHM])
            self._registry().validate(decoded.claims)
        except ExpiredTokenError as error:
            raise InvalidToken("The token has expired; ask for a new one.") from error
        except (JoseError, ValueError) as error:
            raise InvalidToken("The token is not valid for this hub.") from error
        claims = decoded.claims
        return TokenClaims(
            subject=str(claims["sub"]),
            scopes=frozenset(str(claims.get("scope", "")).split()),
            expires_at=int(claims["exp"]),
            issued_at=int(claims["iat"]) if "iat" in claims else None,
        )

    def _registry(self) -> jwt.JWTClaimsRegistry:
        return jwt.JWTClaimsRegistry(
            iss={"essential": True, "values": self._accepted_issuers},
            aud={"essential": True, "value": AUDIENCE},
            sub={"essential": True},
            exp={"essential": True},
        )
