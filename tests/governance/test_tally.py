"""The outcome rules, each with hand-computed numbers."""

from __future__ import annotations

import pytest

from hub.domains.governance.tally import decide, quorum_threshold
from hub.infrastructure.models.governance import VoteChoice, VotingRule

Y, N, A, B = VoteChoice.YES, VoteChoice.NO, VoteChoice.ABSTAIN, VoteChoice.BLOCK
MAJORITY, TWO_THIRDS, CONSENSUS = VotingRule.MAJORITY, VotingRule.TWO_THIRDS, VotingRule.CONSENSUS


@pytest.mark.parametrize(
    ("quorum", "eligible", "threshold"),
    [
        (0.5, 5, 3),  # 2.5 rounds up
        (0.5, 4, 2),  # exactly 2
        (0.6, 5, 3),  # exactly 3, not 3.0000000000000004 rounded up to 4
        (0.667, 3, 3),  # 2.001 rounds up
        (0.333, 3, 1),  # 0.999 rounds up
        (1, 7, 7),
        (0.001, 1, 1),
    ],
)
def test_the_quorum_threshold_rounds_up_exactly(quorum, eligible, threshold):
    assert quorum_threshold(quorum, eligible) == threshold


def test_quorum_exactly_at_the_threshold_is_met():
    # 5 eligible at 0.5: 3 must vote; 3 did, one of them abstaining
    result = decide(MAJORITY, 0.5, 5, [Y, Y, A])

    assert (result.seats_voted, result.quorum_threshold, result.quorum_met) == (3, 3, True)
    assert result.outcome == "ADOPTED"


def test_one_below_the_threshold_is_rejected_whatever_the_votes():
    result = decide(MAJORITY, 0.5, 5, [Y, Y])

    assert (result.seats_voted, result.quorum_threshold, result.quorum_met) == (2, 3, False)
    assert result.outcome == "REJECTED"


def test_a_majority_tie_is_rejected():
    result = decide(MAJORITY, 0.5, 4, [Y, Y, N, N])

    assert (result.yes, result.no, result.quorum_met) == (2, 2, True)
    assert result.outcome == "REJECTED"


def test_abstentions_count_toward_quorum_not_toward_the_majority():
    result = decide(MAJORITY, 0.5, 6, [Y, N, A, A, A])

    assert result.as_json() == {
        "seats_eligible": 6,
        "seats_voted": 5,
        "yes": 1,
        "no": 1,
        "abstain": 3,
        "block": 0,
        "quorum_threshold": 3,
        "quorum_met": True,
        "outcome": "REJECTED",
    }
    assert decide(MAJORITY, 0.5, 6, [Y, Y, N, A, A]).outcome == "ADOPTED"


def test_all_abstaining_meets_quorum_but_adopts_nothing():
    for rule in (MAJORITY, TWO_THIRDS, CONSENSUS):
        result = decide(rule, 1, 3, [A, A, A])
        assert (result.quorum_met, result.abstain, result.outcome) == (True, 3, "REJECTED")


def test_two_thirds_at_exactly_two_thirds_is_adopted():
    result = decide(TWO_THIRDS, 0.5, 6, [Y, Y, N, A])

    assert (result.yes, result.no) == (2, 1)
    assert result.outcome == "ADOPTED"


def test_two_thirds_just_below_is_rejected():
    # 3 of 5 is 60%
    assert decide(TWO_THIRDS, 0.5, 5, [Y, Y, Y, N, N]).outcome == "REJECTED"


def test_two_thirds_needs_at_least_one_yes():
    assert decide(TWO_THIRDS, 0.5, 2, [A, A]).outcome == "REJECTED"


def test_one_block_stops_consensus():
    result = decide(CONSENSUS, 0.5, 4, [Y, Y, Y, B])

    assert (result.yes, result.block, result.quorum_met) == (3, 1, True)
    assert result.outcome == "REJECTED"


def test_consensus_adopts_with_yes_and_no_block_even_with_a_no():
    assert decide(CONSENSUS, 0.5, 4, [Y, N, A]).outcome == "ADOPTED"


def test_nobody_voting_is_rejected_without_quorum():
    result = decide(CONSENSUS, 0.5, 4, [])

    assert (result.seats_voted, result.quorum_met, result.outcome) == (0, False, "REJECTED")
