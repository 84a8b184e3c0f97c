"""The compiled read path: a validated query becomes ONE SQL statement that builds the whole
`{"data": ...}` answer, whose bytes go to the client unchanged (issue 10), on PostgreSQL and
on SQLite alike (issue 15).

Read it in this order:
- declarations.py  the words each domain's `mapping.py` uses: tables, columns, relations
- registry.py      the domains' mappings, gathered
- planner.py       document -> Plan (cached per document and operation: cache.py), or the
                   reason it falls back to strawberry (NotCompiled)
- plan.py          what a plan holds
- bindings.py      what a request adds: the viewer's rules and the arguments, as bind values
- builder.py       plan + bindings -> the statement, the walk both dialects share (built once
                   per plan and request shape)
- postgres.py      its PostgreSQL words: json_build_object, json_agg, grouped lists
- postgres_json.py global ids, datetimes and cursors written in SQL exactly as Python does
- sqlite.py        its SQLite words: json_object, json_group_array over ordered subqueries
- sqlite_json.py   global ids, datetimes and cursors as Python functions on the connection
- viewers.py       who asks: facts remembered per token, read again by the data statement
- executor.py      the entry from /graphql: guards, scopes, budget, one statement, the answer
                   (run straight on asyncpg or aiosqlite through hub/infrastructure/driver.py)
- tested_with.py   the library versions it is tested with, and the private parts it uses

On SQLite the budget's charge is an INSERT whose RETURNING clause is the answer (SQLite runs
no INSERT inside a SELECT), so a request is one statement there too. SQLite's parser has a
fixed depth: a query nested deeper than about three connections within each other is refused
by it, and requests of that shape take the normal path (executor.TOO_DEEP).
`HUB_COMPILED_READS_SQLITE=0` keeps SQLite on the normal path.
"""
