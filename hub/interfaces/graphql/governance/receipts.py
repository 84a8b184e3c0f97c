"""Secret ballot receipts as the API shows them: `ballotReceipt(proposalId, code)` (thin over
hub/domains/governance/receipts.py). The code itself is shown once, in `castVote`'s payload."""

from __future__ import annotations

import strawberry

from hub.common.errors import InputError
from hub.domains.governance import ballot_box, receipts, voting
from hub.domains.governance.errors import GovernanceErrorCode as Code
from hub.infrastructure.models.governance import Ballot
from hub.interfaces.graphql.context import Context
from hub.interfaces.graphql.governance.enums import VoteChoice
from hub.interfaces.graphql.governance.loaders import OutcomeByProposalIdLoader, ProposalByIdLoader
from hub.interfaces.graphql.mutation import input_pk

Info = strawberry.Info[Context, None]
CODE_LIMIT = 64


@strawberry.type(
    description=(
        "What a secret ballot's receipt code shows: whether the ballot has closed, whether a "
        "ballot with this code was counted, and the choice counted. Only the code's holder "
        "learns the choice: the hub keeps no link from a seat to its code."
    )
)
class BallotReceiptCheck:
    ballot_closed: bool
    counted: bool = strawberry.field(
        description="True when the ballot closed and counted this code's vote (a vote later "
        "changed by its seat is not counted: its new code is)."
    )
    choice: VoteChoice | None = strawberry.field(  # type: ignore[valid-type]
        description="The choice counted for this code; null when not counted."
    )


@strawberry.type
class ReceiptQuery:
    @strawberry.field(
        description=(
            "Checks a secret ballot's receipt code once voting has closed (a window past its "
            "close reads as closed). Null when the "
            "proposal is unknown to the viewer. Anyone may ask: the code is the secret."
        )
    )
    async def ballot_receipt(
        self, info: Info, proposal_id: strawberry.ID, code: str
    ) -> BallotReceiptCheck | None:
        context = info.context
        try:
            pk = input_pk(proposal_id, "Proposal", "proposalId", Code.UNKNOWN_PROPOSAL)
            row = await context.loader(ProposalByIdLoader).load(pk)
            if row is None:
                return None
            outcomes = context.loader(OutcomeByProposalIdLoader)
            reading = await outcomes.reading(pk, voting.Stored.of(row))
            if reading.computed and row.ballot is not Ballot.SECRET:
                found = receipts.ReceiptCheck(ballot_closed=True, counted=False)
            elif reading.computed:
                # Read past its close, before the close writes the receipts: the code's seal
                # tells what the close will count for it. Nothing is written.
                choice = await voting.read_receipt(
                    context.session,
                    pk,
                    code[:CODE_LIMIT],
                    ballot_key=ballot_box.key_for(context.settings),
                )
                found = receipts.ReceiptCheck(True, choice is not None, choice)
            else:
                found = await receipts.check(context.session, context.viewer, pk, code[:CODE_LIMIT])
        except InputError:
            return None
        return BallotReceiptCheck(
            ballot_closed=found.ballot_closed, counted=found.counted, choice=found.choice
        )
