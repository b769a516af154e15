"""Django's SQLite backend, plus SQLite's advice for short-lived connections: `PRAGMA
optimize` before closing, so the query planner has statistics (sqlite_stat1) for the
tables the connection used once they are missing or stale. Without them SQLite chose the
call's index over a reviewer's own (queue_by_authority) and scanned every application of
the call: 30–40 ms a query at 50,000 applications instead of 5–13 ms
(bench/bench_lists.py). Usually a no-op: SQLite analyses a table again only when it has
indexes without statistics or has grown 25-fold since, and analysing the whole database at
50,000 applications takes ~70 ms. No `analysis_limit`: sampled statistics (limit 1000) put
~1,000 rows behind every key of every index, and the planner chose as badly as without.
"""

import contextlib

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self):
        if self.connection is not None and not self.in_atomic_block:
            # Statistics are an optimisation: never fail a request for them.
            with contextlib.suppress(base.Database.Error):
                self.connection.execute("PRAGMA optimize")
        super()._close()
