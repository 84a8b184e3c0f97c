"""The committee's documents, for every role: the same answer on both paths, and, for the roles
it compiles for, given by the compiled path in one statement (besides the viewer's lookup the
first time a token is seen), on PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from hub.interfaces.graphql.node import from_global_id
from tests.graphql.compiled.corpus import variable_sets
from tests.graphql.compiled.differential import ROLES, Directory, Hub, builds_json
from tests.graphql.compiled.governance_documents import FALLS_BACK_ON_PURPOSE, GOVERNANCE

# Who each document compiles for: proposals' rows for those who may not see VOTING depend on
# outcomes counted in Python; the roster is the admins'.
SEES_VOTING = {"member", "committee", "admin"}
COMPILES_FOR = {
    "committee": set(ROLES),
    "committee roster": {"admin"},
    "proposals with sponsors and recorded votes": SEES_VOTING,
    "proposal pages": SEES_VOTING,
    "committee nodes": SEES_VOTING,
    "proposal choices": set(ROLES),
    "proposals changed since": SEES_VOTING,
}


def compiles_for(name: str, role: str, variables: dict[str, Any]) -> bool:
    if name == "committee nodes" and role not in SEES_VOTING:
        # A seat, or any other type's node, compiles for everyone; proposals and votes
        # (which read their proposal) do not.
        return from_global_id(variables["id"])[0] not in ("Proposal", "Vote")
    return role in COMPILES_FOR.get(name, set())


async def test_the_committees_documents_answer_alike_in_one_statement(
    directory: Directory, compiled_hub: Hub, normal_hub: Hub
):
    mismatches, not_one_statement, compiled_unexpectedly = [], [], []
    for name, text in GOVERNANCE.items():
        for variables in variable_sets(text, directory.ids, directory.slugs) or []:
            for role in ROLES:
                token = directory.tokens[role]
                await compiled_hub.ask(text, variables, token)  # the viewer's lookup, once
                fast = await compiled_hub.ask(text, variables, token)
                normal = await normal_hub.ask(text, variables, token)
                if (fast.status, fast.body) != (normal.status, normal.body):
                    mismatches.append((name, role, variables, fast.body, normal.body))
                expected = compiles_for(name, role, variables)
                if expected and not (len(fast.statements) == 1 and fast.compiled):
                    not_one_statement.append((name, role, variables, fast.statements))
                if not expected and any(builds_json(s) for s in fast.statements):
                    compiled_unexpectedly.append((name, role, variables))

    assert mismatches == []
    assert not_one_statement == []
    assert compiled_unexpectedly == []
    assert set(COMPILES_FOR) == set(GOVERNANCE) - set(FALLS_BACK_ON_PURPOSE)
