"""core/sqlite: a connection leaves the query planner statistics for the tables it used."""

import sqlite3

import pytest
from django.db import connection

from keyprojects.core.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own pragma")


def statistics(path):
    with sqlite3.connect(path) as db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
            return set()
        return {row[0] for row in db.execute("SELECT DISTINCT tbl FROM sqlite_stat1")}


def test_closing_gathers_statistics_for_the_tables_the_connection_used(tmp_path, django_db_blocker):
    path = tmp_path / "planner.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY, owner INTEGER, kind TEXT)")
        db.execute("CREATE INDEX thing_owner ON thing (owner, kind)")
        db.executemany(
            "INSERT INTO thing (owner, kind) VALUES (?, ?)",
            [(n % 50, "ab"[n % 2]) for n in range(5000)],
        )
        db.execute("CREATE TABLE untouched (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("CREATE INDEX untouched_name ON untouched (name)")
    settings = {**connection.settings_dict, "NAME": str(path), "TEST": {}}
    settings["OPTIONS"] = {}
    wrapper = DatabaseWrapper(settings, alias="planner")
    with django_db_blocker.unblock():  # its own file, not the suite's database
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM thing WHERE owner = 7 AND kind = 'b'")
            assert cursor.fetchone() == (100,)
        assert statistics(path) == set()

        wrapper.close()

    assert statistics(path) == {"thing"}
