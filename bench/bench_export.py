"""Export 10,000 applications to XLSX (issue 7: under 3 s, a fixed number of queries).

    .venv/bin/python bench/bench_export.py [--rows 10000] [--repeat 3]

On SQLite always, and on PostgreSQL when DATABASE_URL is set (a throw-away database is
created on that server and dropped afterwards; the database DATABASE_URL names is not
touched). Each run gets the reference data, one open call and `--rows` applications, all
recommended or past the formal check (so all on the office's list of recommended
applications, 形式审查总览), built with bulk_create as bench/_data.py builds them.

Measured, each `--repeat` times after one warm-up:
- the background export as the worker runs it (documents.exports.build: the list, its flags,
  the XLSX written to a temporary file and stored);
- the same export asked for over HTTP through Django's test client, with the direct-export
  threshold raised above the row count, so the file comes back in the response (session,
  authentication, permission check, count, write, audit event).
Time is wall-clock, with the process's CPU time beside it (the part that does not depend
on what else runs on the machine); queries are counted with CaptureQueriesContext. The
figures are printed, never asserted (tests/documents/test_list_exports.py asserts the query counts).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server
from _server import table

TARGET_S = 3.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    print(f"load average before: {_server.load_average()} ({os.cpu_count()} cores)")
    backends = ["sqlite"]
    if os.environ.get("DATABASE_URL"):
        parts = urlsplit(os.environ["DATABASE_URL"])
        _server.PG_SERVER = f"{parts.scheme}://{parts.netloc}"
        backends.append("postgresql")
    else:
        print("DATABASE_URL not set: PostgreSQL skipped")
    results = {}
    for backend in backends:
        print(f"\n== {backend}, {args.rows:,} applications")
        with _server.throwaway_env(backend, "export") as env:
            passed = [f"--rows={args.rows}", f"--repeat={args.repeat}"]
            results[backend] = _server.run_child(Path(__file__), env, passed)
    rows = [
        [f"{name} · {backend}", *figures(measured), verdict(measured[0])]
        for backend, result in results.items()
        for name, measured in result.items()
    ]
    print(f"\n== Summary (target < {TARGET_S:.0f} s)")
    print(table(["measure", "median s", "max s", "CPU s", "queries", "< 3 s"], rows))
    print(f"\nload average after: {_server.load_average()}")


def figures(measured):
    median, slowest, cpu, queries = measured
    return [f"{median:.2f}", f"{slowest:.2f}", f"{cpu:.2f}", queries]


def verdict(seconds):
    return "yes" if seconds < TARGET_S else "NO"


# --- The child: one backend ------------------------------------------------------------------


def child(args):
    import django

    django.setup()
    _server.quiet_logs()
    import _data
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _data.load_reference()
    call, office = build(args.rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{connection.vendor}: set-up {time.perf_counter() - started:.1f} s")
    result = {
        "background export (worker)": measure(lambda: background(call, office), args.repeat),
        "export over HTTP (direct)": measure(over_http(call, office), args.repeat),
    }
    print(
        table(
            ["measure", "median s", "max s", "CPU s", "queries"],
            [[name, *figures(measured)] for name, measured in result.items()],
        )
    )
    _server.write_result(result)


def build(n):
    """One open call, `n` applications on the office's list, and the office."""
    import _data

    from keyprojects.applications.workflow import Status

    call = _data.open_call()
    office, _reviewer = _data.staff_accounts()
    users = _data.organisations_with_users(max(1, n // 2), seats=_data.county_seats())
    statuses = [Status.RECOMMENDED, Status.CHECK_PASSED]
    _data.applications_at_stages(call, users, n, office=office, statuses=statuses)
    return call, office


def measure(run, repeat):
    """(median s, slowest s, median CPU s, queries of the last run) over `repeat` runs after
    a warm-up. CPU time is this process's: what the export costs when other work shares
    the machine's cores."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = run()
    times, cpu, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started, used = time.perf_counter(), time.process_time()
            rows = run()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
        queries = len(captured.captured_queries)
    print(f"  {rows:,} rows written")
    return statistics.median(times), max(times), statistics.median(cpu), queries


def background(call, office):
    import datetime as dt

    from keyprojects.core.clock import now
    from keyprojects.documents import exports
    from keyprojects.documents.models import ListExport

    export = ListExport.objects.create(
        listing="selection_overview",
        title=f"形式审查项目-{call.title}",
        params=[["call", call.slug]],
        requested_by=office,
        rows=call.applications.count(),
        expires_at=now() + dt.timedelta(days=7),
    )
    export = ListExport.objects.select_related("requested_by").get(pk=export.pk)
    return exports.build(export).done


def over_http(call, office):
    """A function that asks for the export as the list's button does, signed in once."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    settings.EXPORT_DIRECT_MAX_ROWS = 10**9
    settings.SECOND_FACTOR_ROLES = []  # the bench signs in with force_login
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(office)
    url = reverse("documents:start_export", args=["selection_overview"])
    rows = call.applications.count()

    def run():
        response = client.post(f"{url}?call={call.slug}")
        assert response.status_code == 200, response.status_code
        assert sum(len(chunk) for chunk in response.streaming_content) > 0
        return rows

    return run


if __name__ == "__main__":
    main()
