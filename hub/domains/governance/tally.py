"""The outcome of a vote: pure functions over the choices cast, with no database and no clock.

The rules, as the schema documents them:
- Quorum counts the seats that voted; ABSTAIN counts toward quorum but not toward the majority.
  The threshold is `ceil(quorum * seats eligible)`, computed exactly (the quorum is a decimal of
  at most three places), so 0.5 of 5 seats is 3 and 0.6 of 5 seats is 3.
- Without quorum the proposal is REJECTED, whatever the rule.
- MAJORITY: more YES than NO.
- TWO_THIRDS: at least one YES, and YES at least two thirds of YES + NO.
- CONSENSUS: at least one YES and no BLOCK.
A BLOCK is only accepted under CONSENSUS; elsewhere the tally would count it with NO.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal

from hub.infrastructure.models.governance import ProposalStatus, VoteChoice, VotingRule


@dataclass(frozen=True)
class Counts:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    block: int = 0

    @classmethod
    def of(cls, choices: Iterable[VoteChoice]) -> Counts:
        counted = Counter(choices)
        return cls(
            yes=counted[VoteChoice.YES],
            no=counted[VoteChoice.NO],
            abstain=counted[VoteChoice.ABSTAIN],
            block=counted[VoteChoice.BLOCK],
        )

    @property
    def seats_voted(self) -> int:
        return self.yes + self.no + self.abstain + self.block


@dataclass(frozen=True)
class Result:
    """What closing a vote stores on the proposal, once."""

    seats_eligible: int
    seats_voted: int
    yes: int
    no: int
    abstain: int
    block: int
    quorum_threshold: int
    quorum_met: bool
    outcome: str

    def as_json(self) -> dict[str, int | bool | str]:
        return asdict(self)

    @classmethod
    def from_json(cls, stored: dict[str, int | bool | str]) -> Result:
        return cls(**stored)  # type: ignore[arg-type]


def quorum_threshold(quorum: float | Decimal, seats_eligible: int) -> int:
    """The seats that must vote: the quorum share of the eligible seats, rounded up."""
    exact = Decimal(str(quorum)) * seats_eligible
    return math.ceil(exact)


def rule_passes(rule: VotingRule, counts: Counts) -> bool:
    against = counts.no + (counts.block if rule is not VotingRule.CONSENSUS else 0)
    if rule is VotingRule.MAJORITY:
        return counts.yes > against
    if rule is VotingRule.TWO_THIRDS:
        return counts.yes >= 1 and 3 * counts.yes >= 2 * (counts.yes + against)
    return counts.yes >= 1 and counts.block == 0


def decide(
    rule: VotingRule, quorum: float | Decimal, seats_eligible: int, choices: Iterable[VoteChoice]
) -> Result:
    counts = Counts.of(choices)
    threshold = quorum_threshold(quorum, seats_eligible)
    quorum_met = counts.seats_voted >= threshold
    adopted = quorum_met and rule_passes(rule, counts)
    outcome = ProposalStatus.ADOPTED if adopted else ProposalStatus.REJECTED
    return Result(
        seats_eligible=seats_eligible,
        seats_voted=counts.seats_voted,
        yes=counts.yes,
        no=counts.no,
        abstain=counts.abstain,
        block=counts.block,
        quorum_threshold=threshold,
        quorum_met=quorum_met,
        outcome=outcome.value,
    )
