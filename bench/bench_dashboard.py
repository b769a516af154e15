"""Time the statistics dashboard's aggregations at 50,000 applications, SQLite and PostgreSQL.

    .venv/bin/python bench/bench_dashboard.py [--applications 50000]
        [--backends sqlite,postgresql] [--repeat 7]

For each backend a throw-away database (a SQLite file in a temporary directory; a PostgreSQL
database created on 127.0.0.1 and dropped afterwards) is migrated and gets the reference
data, three calls (2019–2021) and `--applications` applications built with bulk_create:
organisations on every county-level seat of Jiangsu plus provincial SOEs, two applications
per organisation, statuses spread as a year's would be (drafts, withdrawn, submitted,
returned, not recommended, recommended, formal check failed or passed, selected, not
selected), routed as orgs.routing routes them, random categories and investments. Then
`ANALYZE`, as a running database would have its statistics.

Each figure of keyprojects.stats.queries is timed `--repeat` times (after one warm-up run)
for the province (the office) and for 南京市's area (a city reviewer), unfiltered and for one
call; then the whole dashboard page, the public yearly summary and one XLSX export through
Django's test client. The median and the slowest run are printed in ms; the target
(performance issue) is under 300 ms per aggregation. Nothing fails on timing.
"""

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_SERVER = os.environ.get("KEYPROJECTS_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
TARGET_MS = 300

# Share of applications per status, as a call's would stand after the decisions.
STATUS_SHARES = {
    "draft": 0.10,
    "withdrawn": 0.02,
    "submitted": 0.22,
    "returned": 0.03,
    "not_recommended": 0.08,
    "recommended": 0.25,
    "check_failed": 0.05,
    "check_passed": 0.04,
    "selected": 0.02,
    "not_selected": 0.19,
}


# --- The parent: one child process per backend, each on its own throw-away database --------


def _pg_admin(sql):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def throwaway(backend):
    var_dir = Path(tempfile.mkdtemp(prefix="kp-bench-dashboard-"))
    env = {**os.environ, "KEYPROJECTS_VAR_DIR": str(var_dir), "BENCH_RESULT": str(var_dir / "r")}
    env.pop("DATABASE_URL", None)
    database = None
    if backend == "postgresql":
        database = f"kp_bench_dashboard_{os.getpid()}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{database}"')
        _pg_admin(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{database}"
    try:
        yield env
    finally:
        if database:
            with contextlib.suppress(Exception):
                _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(var_dir, ignore_errors=True)


def load_average():
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def parent(args):
    print(f"load average before: {load_average()} ({os.cpu_count()} cores)")
    results = {}
    for backend in args.backends.split(","):
        print(f"\n== {backend}: {args.applications:,} applications")
        try:
            context = throwaway(backend)
            env = context.__enter__()
        except Exception as error:  # e.g. no PostgreSQL server here
            print(f"skipped: {error}")
            continue
        try:
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    f"--applications={args.applications}",
                    f"--repeat={args.repeat}",
                ],
                env=env,
                check=True,
                cwd=ROOT,
            )
            results[backend] = json.loads(Path(env["BENCH_RESULT"]).read_text())
        finally:
            context.__exit__(None, None, None)
    if len(results) > 1:
        print(f"\n== Median ms per measure (target < {TARGET_MS} ms per aggregation)")
        names = list(next(iter(results.values())))
        rows = [(name, *(f"{results[b][name][0]:.1f}" for b in results)) for name in names]
        print_table(["measure", *results], rows)
    print(f"\nload average after: {load_average()}")


def print_table(header, rows):
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


# --- The child: build the data, time the figures ------------------------------------------


def child(args):
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # one line per force_login otherwise
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    calls, office, reviewer = build(args.applications, random.Random(2020))
    built = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: migrate {migrated - started:.1f} s, "
        f"bulk build {built - migrated:.1f} s, {count_rows()}"
    )
    timings = measure(calls, office, reviewer, args.repeat)
    rows = [
        (name, f"{median:.1f}", f"{slowest:.1f}", "yes" if median < TARGET_MS else "NO")
        for name, (median, slowest) in timings.items()
    ]
    print_table(["measure", "median ms", "max ms", f"< {TARGET_MS} ms"], rows)
    Path(os.environ["BENCH_RESULT"]).write_text(json.dumps(timings))


def count_rows():
    from django.db.models import Count

    from keyprojects.applications.models import Application

    by_status = dict(Application.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return f"{sum(by_status.values()):,} applications ({by_status.get('selected', 0):,} selected)"


def build(n, rng):
    """The calls, `n` applications, the office and a reviewer of 南京市."""
    from django.contrib.auth.models import Group

    from keyprojects.orgs.models import OFFICE_GROUP, Authority, User
    from keyprojects.orgs.reference import load_authorities, load_departments, load_regions

    load_regions(), load_departments(), load_authorities()
    calls = make_calls([2019, 2020, 2021])
    organisations = make_organisations(n // 2, rng)
    make_applications(n, calls, organisations, rng)
    office = User.objects.create_user("bench_office", is_staff=True)
    office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    nanjing = Authority.objects.get(name="南京市信息化主管部门")
    reviewer = User.objects.create_user("bench_reviewer", authority=nanjing)
    return calls, office, reviewer


def make_calls(years):
    import datetime as dt

    from keyprojects.calls.reference import call_spec, load_call

    calls = []
    for year in years:
        opens = dt.datetime(year, 6, 29, tzinfo=dt.UTC)
        calls.append(
            load_call(
                call_spec(),
                slug=f"bench-{year}",
                year=year,
                title=f"{year}年智慧江苏重点工程",
                window_opens_at=opens,
                window_closes_at=opens + dt.timedelta(days=22),
                recommendation_deadline=opens + dt.timedelta(days=33),
            )
        )
    return calls


def make_organisations(n, rng):
    """Enterprises on every county-level seat, and 5 % provincial SOEs."""
    from keyprojects.orgs.models import Authority, Organisation, Region

    seats = list(
        Region.objects.filter(
            kind__in=[Region.Kind.DISTRICT, Region.Kind.COUNTY, Region.Kind.COUNTY_CITY]
        )
    )
    departments = list(Authority.objects.filter(kind=Authority.Kind.DEPARTMENT))
    organisations = []
    for i in range(n):
        provincial = rng.random() < 0.05
        organisations.append(
            Organisation(
                name=f"测试单位{i}",
                credit_code=f"BENCH{i:013d}",  # bulk_create does not validate; unique is enough
                kind=Organisation.Kind.PROVINCIAL_SOE if provincial else "enterprise",
                seat=rng.choice(seats),
                supervising_department=rng.choice(departments) if provincial else None,
                address="测试路1号",
                legal_representative="张三",
                contact_name="李四",
                contact_phone="025-88888888",
                contact_email="contact@example.com",
            )
        )
    return Organisation.objects.bulk_create(organisations, batch_size=2000)


def make_applications(n, calls, organisations, rng):
    """Two per organisation, 60 % in the latest call, routed as a submit routes them."""
    from keyprojects.applications.models import Application
    from keyprojects.orgs.models import User
    from keyprojects.orgs.routing import route

    categories = {call.pk: list(call.categories.all()) for call in calls}
    owner = User.objects.create_user("bench_owner", organisation=organisations[0])
    statuses, shares = list(STATUS_SHARES), list(STATUS_SHARES.values())
    routes, applications = {}, []
    for i in range(n):
        organisation = organisations[i // 2]
        call = calls[-1] if rng.random() < 0.6 else rng.choice(calls[:-1])
        status = rng.choices(statuses, shares)[0]
        key = (organisation.seat_id, organisation.supervising_department_id)
        if key not in routes:
            destination = route(organisation)
            routes[key] = (destination.authority, destination.copy_to)
        authority, copy_to = routes[key] if status != "draft" else (None, None)
        applications.append(
            Application(
                call=call,
                organisation=organisation,
                status=status,
                created_by=owner,
                name=f"测试项目{i}",
                category=rng.choice(categories[call.pk]),
                total_investment=Decimal(rng.randrange(30_000, 500_000)) / 100,
                authority=authority,
                copy_authority=copy_to,
            )
        )
    Application.objects.bulk_create(applications, batch_size=2000)


def timed(function, repeat):
    function()  # warm-up: connection, caches
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), max(runs)


def measure(calls, office, reviewer, repeat):
    from django.conf import settings
    from django.test import Client

    from keyprojects.notices.models import PublicNotice
    from keyprojects.stats import queries

    figures = {
        "totals": queries.totals,
        "by_category": queries.by_category,
        "by_city": lambda qs: queries.by_city(qs, every_city=True),
        "by_year": queries.by_year,
        "funnel": queries.funnel,
    }
    timings = {}
    for who, user in [("province", office), ("南京市", reviewer)]:
        for narrowed in ["all calls", "one call"]:
            for name, figure in figures.items():

                def run(figure=figure, user=user, narrowed=narrowed):
                    base = queries.scope_for(user).applications()
                    if narrowed == "one call":
                        base = queries.filtered(base, call=calls[-1])
                    return figure(base)

                timings[f"{name} · {who} · {narrowed}"] = timed(run, repeat)
    # Whole pages: the figures plus the template, the charts' JSON and the session.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECOND_FACTOR_ROLES = []  # the bench signs in with force_login
    PublicNotice.objects.create(
        call=calls[0],
        title="公示",
        text="公示",
        starts_on="2019-09-01",
        ends_on="2019-09-07",
        contact_name="甲",
        contact_phone="025-83000000",
        state=PublicNotice.State.FINALISED,
        created_by=office,
        updated_by=office,
    )
    for who, user in [("province", office), ("南京市", reviewer)]:
        client = Client()
        client.force_login(user)
        timings[f"dashboard page · {who}"] = timed(lambda c=client: _get(c, "/stats/"), repeat)
    client = Client()
    client.force_login(office)
    timings["XLSX export (by city) · province"] = timed(
        lambda: _get(client, "/stats/export/city.xlsx"), repeat
    )
    anonymous = Client()  # one client: each new one loads the middleware (WhiteNoise) again
    timings["public summary page (2019)"] = timed(
        lambda: _get(anonymous, "/stats/public/2019/"), repeat
    )
    return timings


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
