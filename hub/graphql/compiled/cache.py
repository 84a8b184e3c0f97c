"""Plans, kept per (document text, operation name): a repeated query costs a dictionary lookup,
not a parse, a validation and a walk. Refusals are kept too, so a query that falls back is not
planned again. A plan holds for every viewer: what differs by viewer (row rules, refused
fields) is decided when a request is bound to it (bindings.py)."""

from __future__ import annotations

from collections import OrderedDict

from graphql import GraphQLSchema

from hub.graphql.compiled.plan import NotCompiled, Plan
from hub.graphql.compiled.planner import plan_document

PlanKey = tuple[str, str | None]


class PlanCache:
    def __init__(self, schema: GraphQLSchema, maxsize: int = 512) -> None:
        self.schema = schema
        self.maxsize = maxsize
        self._plans: OrderedDict[PlanKey, Plan | NotCompiled] = OrderedDict()

    def plan(self, text: str, operation_name: str | None) -> Plan:
        """The cached plan, or NotCompiled (cached as well) with the reason."""
        key = (text, operation_name)
        found = self._plans.get(key)
        if found is None:
            found = self._planned(text, operation_name)
            self._plans[key] = found
            if len(self._plans) > self.maxsize:
                self._plans.popitem(last=False)
        else:
            self._plans.move_to_end(key)
        if isinstance(found, NotCompiled):
            raise found
        return found

    def _planned(self, text: str, operation_name: str | None) -> Plan | NotCompiled:
        try:
            return plan_document(self.schema, text, operation_name)
        except NotCompiled as reason:
            return reason
