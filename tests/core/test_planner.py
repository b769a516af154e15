"""core/planner: the query planner gets its statistics from the worker, and on PostgreSQL
the visibility map that lets it answer from an index alone."""

import pytest
from django.db import connection

from keyprojects.core import planner

from .. import factories

# VACUUM cannot run inside the transaction a test normally runs in.
pytestmark = pytest.mark.django_db(transaction=True)


def analysed(table) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT 1 FROM pg_stats WHERE tablename = %s", [table])
        return cursor.fetchone() is not None


def all_visible_pages(table) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_the_planner_gets_statistics_of_the_applications(call, applicant):
    factories.make_application(call, applicant, attach=False)
    assert not analysed("applications_application")

    planner.gather_statistics()

    assert analysed("applications_application")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's visibility map")
def test_postgresql_pages_are_marked_visible_for_index_only_scans(call, applicant):
    factories.make_application(call, applicant, attach=False)
    assert all_visible_pages("applications_application") == 0

    planner.gather_statistics()

    assert all_visible_pages("applications_application") > 0
