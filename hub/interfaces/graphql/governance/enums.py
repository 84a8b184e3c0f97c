"""The governance enums as the API names them; descriptions carry the rules."""

import enum

import strawberry

from hub.domains.governance.errors import GovernanceErrorCode
from hub.infrastructure.models.governance import (
    AmendmentStatus,
    Ballot,
    CommentStatus,
    GovernanceAction,
    ProposalStatus,
    VoteChoice,
    VoterRole,
    VotingRule,
)

strawberry.enum(
    ProposalStatus,
    description=(
        "Where a proposal stands: DRAFT -> DISCUSSION -> VOTING -> ADOPTED or REJECTED; a DRAFT "
        "or DISCUSSION proposal may be WITHDRAWN. DRAFTs are seen by admins and committee "
        "members; DISCUSSION, VOTING and WITHDRAWN also by signed-in people of member "
        "organizations; ADOPTED and REJECTED by everyone."
    ),
)
strawberry.enum(
    VotingRule,
    description=(
        "How the votes decide, once quorum is met (without quorum a proposal is REJECTED). "
        "ABSTAIN counts toward quorum but never toward the majority. "
        "MAJORITY: adopted with more YES than NO (a tie is rejected). "
        "TWO_THIRDS: adopted with at least one YES and YES at least two thirds of YES + NO "
        "(exactly two thirds is enough). "
        "CONSENSUS: adopted with at least one YES and no BLOCK; BLOCK is accepted under "
        "CONSENSUS only."
    ),
)
strawberry.enum(
    Ballot,
    description=(
        "RECORDED: admins and committee members see which seat chose what while voting is open "
        "(and signed-in people of member organizations after it closes). SECRET: nobody ever "
        "sees which seat chose what; while voting is open only which seats have voted shows, "
        "and the counts appear when voting closes."
    ),
)
strawberry.enum(VoteChoice, description="A seat's vote.")
strawberry.enum(VoterRole, description="Who cast a seat's vote: its holder, alternate or proxy.")
strawberry.enum(GovernanceAction, description="What happened, in the committee's audit trail.")
strawberry.enum(GovernanceErrorCode)
strawberry.enum(
    CommentStatus,
    description=(
        "VISIBLE; WITHDRAWN by its author; HIDDEN by an admin, with a reason. A withdrawn or "
        "hidden comment stays in its thread, its text seen by admins only."
    ),
)
strawberry.enum(
    AmendmentStatus,
    description="PENDING until the proposal's sponsors, its author or an admin decide it.",
)


@strawberry.enum(description="The result of a closed vote.")
class ProposalOutcome(enum.StrEnum):
    ADOPTED = "ADOPTED"
    REJECTED = "REJECTED"
