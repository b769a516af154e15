"""Statistics for the database's query planner.

Without them SQLite chose the call's index over a reviewer's own (queue_by_authority) and
scanned every application of the call: 30–40 ms a query at 50,000 applications instead of
5–13 ms (bench/bench_lists.py); PostgreSQL, right after a bulk import and before its
autovacuum had analysed the table, counted a reviewer's queue in 64 ms. SQLite gathers
statistics only when told (`ANALYZE`, ~70 ms for the whole database at 50,000
applications), so the task worker does it when it starts and every hour, on PostgreSQL
too (where autovacuum also does it, on its own schedule). `PRAGMA optimize` on closing
each connection, SQLite's advice, was tried and dropped: it analysed the empty tables
(which keep no statistics) again on every close, 55 ms a request.
"""

from django.db import connection

EVERY_SECONDS = 3600


def gather_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
