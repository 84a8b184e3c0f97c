"""The compiled read path: a validated query becomes ONE PostgreSQL statement that builds the
whole `{"data": ...}` answer, whose bytes go to the client unchanged (issue 10).

Read it in this order:
- declarations.py  the words each domain's `mapping.py` uses: tables, columns, relations
- registry.py      the domains' mappings, gathered
- planner.py       document -> Plan (cached per document and operation: cache.py), or the
                   reason it falls back to strawberry (NotCompiled)
- plan.py          what a plan holds
- bindings.py      what a request adds: the viewer's rules and the arguments, as bind values
- postgres.py      plan + bindings -> the statement (built once per plan and request shape)
- postgres_json.py global ids, datetimes and cursors written in SQL exactly as Python does
- viewers.py       who asks: facts remembered per token, read again by the data statement
- executor.py      the entry from /graphql: guards, scopes, budget, one statement, the answer
                   (run straight on asyncpg through hub/driver.py)
- tested_with.py   the library versions it is tested with, and the private parts it uses

Only PostgreSQL compiles: SQLite has no base64 for global ids and cursors, so on SQLite every
query takes the normal path (documented in the README).
"""
