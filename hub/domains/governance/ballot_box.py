"""Secret ballots: each seat's choice sealed on its own vote, under a key that comes only from
the environment, and erased when the ballot closes.

Why sealed on the vote rather than kept in a table of its own: choices kept apart from their
seats betray them by the order they were written in (SQLite's rowids, PostgreSQL's ctids and
the xmin naming the transaction that wrote both rows). A sealed choice sits openly beside its
seat and says nothing without the key: every seal has the same length (one byte of choice
and the voter's receipt under a random nonce), so equal choices do not look alike, and a seal
is bound to its proposal and seat, so it cannot be moved to another. Without a key in the
environment there is no secret ballot: a key kept in the database would open every seal for
whoever copies it.
"""

from __future__ import annotations

import functools
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from hub.common.errors import InputError
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.domains.governance.receipts import RECEIPT_BYTES, Receipt
from hub.infrastructure.config import Settings
from hub.infrastructure.models.governance import VoteChoice

# The derived key serves secret ballots only: learning it says nothing of the token signing key.
KEY_PURPOSE = b"coalition-hub/secret-ballots/v1"
NONCE_BYTES = 12
CHOICE_CODES = (VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN, VoteChoice.BLOCK)


def key_for(settings: Settings) -> bytes | None:
    """The sealing key of this process: from HUB_SECRET_KEY or, in demo mode without it, the
    key the demo's processes hold; never from the key the hub may keep in its database."""
    return ballot_key(settings.secret_key or settings.demo_ballot_key)


@functools.lru_cache(maxsize=4)
def ballot_key(environment_secret: str | None) -> bytes | None:
    """The sealing key, derived (HKDF-SHA256) from a secret given by the environment; None
    without one."""
    if not environment_secret:
        return None
    derivation = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=KEY_PURPOSE)
    return derivation.derive(environment_secret.encode())


def require_key(key: bytes | None, field: str | None) -> bytes:
    if key is None:
        raise InputError(
            field,
            Code.SECRET_BALLOT_KEY_MISSING,
            "Secret ballots need HUB_SECRET_KEY set in the hub's environment: a key kept in "
            "the database would let anyone with a copy of it read every seat's choice.",
        )
    return key


def seal(key: bytes, proposal_id: int, seat_id: int, choice: VoteChoice, receipt: Receipt) -> bytes:
    """The choice and the voter's receipt (see hub/domains/governance/receipts.py), sealed together:
    the vote row holds nothing new in clear, and a changed vote replaces its receipt."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = bytes([CHOICE_CODES.index(choice)]) + receipt.lookup + receipt.key
    return nonce + AESGCM(key).encrypt(nonce, plain, _bound_to(proposal_id, seat_id))


def unseal(key: bytes, proposal_id: int, seat_id: int, sealed: bytes) -> VoteChoice:
    """The sealed choice; SECRET_BALLOT_KEY_CHANGED when this key did not seal it."""
    return open_seal(key, proposal_id, seat_id, sealed)[0]


def open_seal(
    key: bytes, proposal_id: int, seat_id: int, sealed: bytes
) -> tuple[VoteChoice, Receipt | None]:
    """The sealed choice and its receipt (None for seals made before receipts existed)."""
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        plain = AESGCM(key).decrypt(nonce, body, _bound_to(proposal_id, seat_id))
    except InvalidTag as error:
        raise InputError(
            "proposalId",
            Code.SECRET_BALLOT_KEY_CHANGED,
            "This secret ballot was sealed under another HUB_SECRET_KEY: restore that key to "
            "count it.",
        ) from error
    receipt = None
    if len(plain) == 1 + 2 * RECEIPT_BYTES:
        receipt = Receipt(lookup=plain[1 : 1 + RECEIPT_BYTES], key=plain[1 + RECEIPT_BYTES :])
    return CHOICE_CODES[plain[0]], receipt


def _bound_to(proposal_id: int, seat_id: int) -> bytes:
    return f"{proposal_id}:{seat_id}".encode()
