"""Races for the invariant tests: each job runs in its own thread, on its own database
connection, all released at once. Meaningful on PostgreSQL (row locks, concurrent
transactions); SQLite takes one write lock for the whole database, so writers never overlap.
"""

import threading

from django.db import connection, transaction

TIMEOUT = 60  # seconds; a deadlock or a hung thread fails the test instead of hanging it
on_postgresql = connection.vendor == "postgresql"


def race(*jobs) -> list:
    """Run the jobs (functions of no argument) at once; returns, in order, each job's value
    or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=TIMEOUT)
            outcomes[index] = job()
        except BaseException as error:  # the test decides which exceptions were expected
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a job did not finish"
    return outcomes


def write_in_transaction(write, hold=0.5):
    """A job that writes, then keeps its transaction open a moment before committing, so a
    racing writer meets the uncommitted row (PostgreSQL makes it wait, then decide)."""
    import time

    def job():
        with transaction.atomic():
            result = write()
            time.sleep(hold)
        return result

    return job
