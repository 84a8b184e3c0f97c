"""A mixed workload for wrk: the reference reads (Q1, Q2, Q3) and the proposal list in equal
shares, and RSVPs (a write each) in RSVP_SHARE of the requests, from one Lua script.

wrk counts non-2xx answers; GraphQL errors come back as 200, so the script also counts answers
carrying a non-empty top-level or payload `errors` list, and writes one JSON line at the end.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from load import LoadResult, wrk_counts
from queries import REFERENCE_QUERIES, _global_id

RSVP_SHARE = 0.05
RESULT_MARK = "MIXED_RESULT "
PROPOSAL_LIST = """{ proposals(first: 50) { edges { node { id title status createdAt } } } }"""
RSVP = """mutation($convening: ID!, $status: RsvpAnswer!) {
  rsvp(input: {conveningId: $convening, status: $status}) { rsvp { status } errors { code } } }"""
RSVP_BODIES = 200  # distinct (convening, answer) pairs the script picks from

LUA_TEMPLATE = """local reads = {{ {reads} }}
local writes = {{ {writes} }}
local threads = {{}}
local next_id = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
{headers}

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  graphql_errors = 0
  writes_sent = 0
  math.randomseed(os.time() * 1000 + id)
end

function request()
  if math.random() < {rsvp_share} then
    writes_sent = writes_sent + 1
    return wrk.format(nil, nil, nil, writes[math.random(#writes)])
  end
  return wrk.format(nil, nil, nil, reads[math.random(#reads)])
end

function response(status, headers, body)
  if string.find(body, '"errors"%s*:%s*%[%s*{{') then
    graphql_errors = graphql_errors + 1
  end
end

function done(summary, latency, requests)
  local errors, writes_total = 0, 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("graphql_errors")
    writes_total = writes_total + thread:get("writes_sent")
  end
  io.write(string.format(
    '{mark}{{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,' ..
    '"non_2xx":%d,"timeouts":%d,"socket_errors":%d,"graphql_errors":%d,"writes":%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write, errors, writes_total))
end
"""


@dataclass(frozen=True)
class MixedResult:
    load: LoadResult
    graphql_errors: int
    writes: int

    @property
    def errors(self) -> int:
        return self.load.errors + self.graphql_errors


def read_bodies() -> list[bytes]:
    bodies = [json.dumps(query.hub_body).encode() for query in REFERENCE_QUERIES]
    return [*bodies, json.dumps({"query": PROPOSAL_LIST}).encode()]


def rsvp_bodies(convenings: int, seed: int = 18) -> list[bytes]:
    chosen = random.Random(seed)
    return [
        json.dumps(
            {
                "query": RSVP,
                "variables": {
                    "convening": _global_id(f"Convening:{chosen.randint(1, convenings)}"),
                    "status": chosen.choice(["GOING", "MAYBE", "NOT_GOING"]),
                },
            }
        ).encode()
        for _ in range(RSVP_BODIES)
    ]


def write_script(path: Path, reads: list[bytes], writes: list[bytes], token: str) -> Path:
    path.write_text(
        LUA_TEMPLATE.format(
            reads=", ".join(_long_string(body) for body in reads),
            writes=", ".join(_long_string(body) for body in writes),
            headers=f'wrk.headers["Authorization"] = "Bearer {token}"',
            rsvp_share=RSVP_SHARE,
            mark=RESULT_MARK,
        )
    )
    return path


def _long_string(body: bytes) -> str:
    return f"[==[{body.decode()}]==]"


def drive(url: str, script: Path, seconds: int) -> MixedResult:
    """wrk at CONCURRENCY connections for `seconds`, bounded by wrk's own clock."""
    counts = wrk_counts(url, script, seconds, RESULT_MARK)
    graphql_errors, writes = counts.pop("graphql_errors"), counts.pop("writes")
    return MixedResult(LoadResult(**counts), graphql_errors, writes)
