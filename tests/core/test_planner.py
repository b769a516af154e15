"""core/planner: the query planner gets its statistics from the worker."""

from django.db import connection

from keyprojects.core import planner

from .. import factories


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


def test_the_planner_gets_statistics_of_the_applications(call, applicant):
    factories.make_application(call, applicant, attach=False)
    assert not analysed("applications_application")

    planner.gather_statistics()

    assert analysed("applications_application")
