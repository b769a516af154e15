"""Statistics for the database's query planner, and PostgreSQL's visibility map.

Without statistics SQLite chose the call's index over a reviewer's own (queue_by_authority)
and scanned every application of the call: 30–40 ms a query at 50,000 applications
instead of 5–13 ms (bench/bench_lists.py); PostgreSQL, right after a bulk import and before
its autovacuum had analysed the table, counted a reviewer's queue in 64 ms. SQLite gathers
statistics only when told (`ANALYZE`, ~70 ms for the whole database at 50,000
applications), so the task worker does it when it starts and every hour. On PostgreSQL it
runs `VACUUM (ANALYZE)`: besides the statistics, a vacuum marks the pages whose rows every
transaction sees, and only then does PostgreSQL answer from an index alone (the office's
list at 10,000 applications: its sort 13–18 → 4 ms, its count 8–11 → 1.4 ms). Autovacuum
does the same on its own schedule; this makes it so after an import or a restart, within
the hour. SKIP_LOCKED: several workers start together and one vacuum of a table is enough.
`PRAGMA optimize` on closing each SQLite connection, SQLite's advice, was tried and
dropped: it analysed the empty tables (which keep no statistics) again on every close,
55 ms a request.
"""

from django.db import connection

EVERY_SECONDS = 3600


def gather_statistics() -> None:
    """Outside a transaction (PostgreSQL's VACUUM refuses to run inside one)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM (ANALYZE, SKIP_LOCKED)")
        else:
            cursor.execute("ANALYZE")
