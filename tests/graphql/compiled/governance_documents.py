"""The committee's documents for the differential corpus: its pages as the frontend and peers
send them (frontend/graphql/committeeRoster.graphql, proposals.graphql, proposal.graphql),
less what does not compile yet, and the same pages whole, which fall back on purpose. (Below
a connection's rows, votes' seats' organizations nest deeper than SQLite's parser takes: the
pages' proposals read them, as the proposal page does, under `node`.)"""

from __future__ import annotations

from pathlib import Path

FRONTEND_DOCUMENTS = Path(__file__).resolve().parents[3] / "frontend" / "graphql"

SEAT = """id active organization { id name slug } holder { id name formerMember email }
    alternate { id name }"""

GOVERNANCE = {
    "committee": f"{{ __typename committee {{ __typename {SEAT} }} }}",
    "committee roster": f"{{ committeeRoster {{ {SEAT} }} }}",
    "proposals with sponsors and recorded votes": """
        { proposals(first: 20) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
            edges { cursor node { __typename id title summary body votingRule quorum ballot
              votingOpensAt votingClosesAt createdAt updatedAt
              sponsors { id name } originConvening { id title startsAt } meeting { id }
              votes { __typename id choice reason castAs seat { id active }
                castBy { name formerMember } proposal { title ballot } } } } } }
    """,
    "proposal pages": """
        query ($first: Int, $after: String) { proposals(first: $first, after: $after) {
            edges { cursor node { title votes { choice seat { id } } } }
            pageInfo { hasNextPage endCursor } } }
    """,
    "committee nodes": """
        query ($id: ID!) { node(id: $id) { __typename id
          ... on CommitteeSeat { active organization { name } holder { name } alternate { name } }
          ... on Proposal { title ballot sponsors { name }
                            votes { choice reason castAs seat { organization { name } } } }
          ... on Vote { choice reason castAs seat { active organization { name } }
                        castBy { name } proposal { title ballot } } } }
    """,
    # As the proposal form sends it (read from the frontend, not copied).
    "proposal choices": (FRONTEND_DOCUMENTS / "proposalChoices.graphql").read_text(),
    "proposals changed since": """
        query ($since: DateTime!, $after: String) {
          proposals(updatedSince: $since, first: 3, after: $after) { totalCount
            edges { cursor node { id title updatedAt sponsors { name } } }
            pageInfo { hasNextPage endCursor } } }
    """,
    # These fall back, on purpose: the coverage test lists them.
    "proposals page (status)": """
        { proposals(first: 100) { pageInfo { hasNextPage endCursor }
            edges { node { id title summary status votingClosesAt } } } }
    """,
}

FALLS_BACK_ON_PURPOSE = ("proposals page (status)",)
