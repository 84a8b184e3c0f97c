"""Plans, kept per (document text, operation name): a repeated query costs a dictionary lookup,
not a parse, a validation and a walk. Refusals are kept too, so a query that falls back is not
planned again. A plan holds for every viewer: what differs by viewer (row rules, refused
fields) is decided when a request is bound to it (bindings.py)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from graphql import GraphQLSchema

from hub.interfaces.graphql.compiled.plan import NotCompiled, Plan
from hub.interfaces.graphql.compiled.planner import plan_document

PlanKey = tuple[str, str | None]


@dataclass(frozen=True)
class Fallback:
    """A query the normal path answers, and why. The reason is kept, never the exception that
    told it: re-raising one cached exception grows its traceback by every raise and keeps
    each request's frames alive."""

    reason: str


class PlanCache:
    def __init__(self, schema: GraphQLSchema, maxsize: int = 512) -> None:
        self.schema = schema
        self.maxsize = maxsize
        self._plans: OrderedDict[PlanKey, Plan | Fallback] = OrderedDict()

    def plan(self, text: str, operation_name: str | None) -> Plan | Fallback:
        """The cached plan, or the cached reason it falls back."""
        key = (text, operation_name)
        found = self._plans.get(key)
        if found is None:
            found = self._planned(text, operation_name)
            self._plans[key] = found
            if len(self._plans) > self.maxsize:
                self._plans.popitem(last=False)
        else:
            self._plans.move_to_end(key)
        return found

    def _planned(self, text: str, operation_name: str | None) -> Plan | Fallback:
        try:
            return plan_document(self.schema, text, operation_name)
        except NotCompiled as refusal:
            return Fallback(str(refusal))
