"""Secret ballot receipts: after voting, a voter holds a code; after the close, that code (and
only it) shows that their ballot was counted as cast.

The code never reaches the database. Two values derived from it travel inside the vote's seal
(hub/domains/governance/ballot_box.py): a lookup hash and a key. At the close, when the seals are
opened to count, each one leaves a row (lookup hash, choice sealed under the code's key) in
`ballot_receipts`, written in lookup-hash order, with no seat, person or time beside it; then
the seals are erased. A copy of the database, with HUB_SECRET_KEY or without, reads no choice
from these rows, and their order, places and ids follow the hashes, not the seats or the
moments of voting. Whoever holds a code derives both values again and opens their own row.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from hub.access.auth.viewer import Viewer
from hub.domains.governance.proposals import visible_proposal
from hub.infrastructure.models import BallotReceipt
from hub.infrastructure.models.governance import Ballot, VoteChoice

RECEIPT_BYTES = 32
CODE_BYTES = 15  # 120 random bits: 24 letters and digits of base32
NONCE_BYTES = 12
CODE_GROUP = 4
CHOICES = tuple(VoteChoice)
LOOKUP_PURPOSE = b"coalition-hub/ballot-receipts/lookup/v1:"
KEY_PURPOSE = b"coalition-hub/ballot-receipts/key/v1:"


@dataclass(frozen=True)
class Receipt:
    """What the seal carries of a code: neither value gives back the code or the other."""

    lookup: bytes
    key: bytes


@dataclass(frozen=True)
class ReceiptCheck:
    ballot_closed: bool
    counted: bool
    choice: VoteChoice | None = None


def new_code() -> str:
    """A fresh code, grouped for reading aloud: ABCD-EFGH-…"""
    letters = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode()
    return "-".join(letters[i : i + CODE_GROUP] for i in range(0, len(letters), CODE_GROUP))


def receipt_for(proposal_id: int, code: str) -> Receipt:
    """The lookup hash and key of a code on a proposal (HKDF-SHA256: the code is random)."""
    typed = re.sub(r"[^A-Z2-7]", "", code.upper()).encode()
    place = str(proposal_id).encode()
    return Receipt(_derive(typed, LOOKUP_PURPOSE + place), _derive(typed, KEY_PURPOSE + place))


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=RECEIPT_BYTES, salt=None, info=purpose).derive(
        secret
    )


async def write_counted(
    session: AsyncSession, proposal_id: int, counted: Sequence[tuple[VoteChoice, Receipt]]
) -> None:
    """The counted ballots' receipts, added in lookup-hash order so that no row's place says
    which seat or moment it came from."""
    rows = [
        BallotReceipt(
            proposal_id=proposal_id,
            receipt_hash=receipt.lookup,
            sealed_choice=_seal(receipt, proposal_id, choice),
        )
        for choice, receipt in sorted(counted, key=lambda pair: pair[1].lookup)
    ]
    for row in rows:  # one at a time: a batched insert need not keep the list's order
        session.add(row)
        await session.flush()


def _seal(receipt: Receipt, proposal_id: int, choice: VoteChoice) -> bytes:
    nonce = secrets.token_bytes(NONCE_BYTES)
    plain = bytes([CHOICES.index(choice)])
    return nonce + AESGCM(receipt.key).encrypt(nonce, plain, _bound_to(proposal_id, receipt))


def _bound_to(proposal_id: int, receipt: Receipt) -> bytes:
    return f"{proposal_id}:".encode() + receipt.lookup


async def check(session: AsyncSession, viewer: Viewer, proposal_id: int, code: str) -> ReceiptCheck:
    """Whether the ballot behind `code` was counted, and as what: told to whoever holds the
    code (a wrong code is simply not counted). Before the close nothing is counted yet."""
    proposal = await visible_proposal(session, viewer, proposal_id)
    if proposal.ballot is not Ballot.SECRET or proposal.closed_at is None:
        return ReceiptCheck(ballot_closed=proposal.closed_at is not None, counted=False)
    receipt = receipt_for(proposal.id, code)
    sealed = await session.scalar(
        select(BallotReceipt.sealed_choice).where(
            BallotReceipt.proposal_id == proposal.id,
            BallotReceipt.receipt_hash == receipt.lookup,
        )
    )
    choice = None if sealed is None else _open(receipt, proposal.id, sealed)
    return ReceiptCheck(ballot_closed=True, counted=choice is not None, choice=choice)


def _open(receipt: Receipt, proposal_id: int, sealed: bytes) -> VoteChoice | None:
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    try:
        plain = AESGCM(receipt.key).decrypt(nonce, body, _bound_to(proposal_id, receipt))
    except InvalidTag:
        return None
    return CHOICES[plain[0]]
