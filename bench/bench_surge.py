"""The deadline surge (issue 7): simulated applicants against gunicorn, SQLite and PostgreSQL.

    .venv/bin/python bench/bench_surge.py [--users 50,200] [--autosaves 8]
        [--backends sqlite,postgresql] [--capacity-clients 8] [--max-fill-seconds 150]
        [--no-profile] [--login-pool]

For each backend and each number of users, a throw-away database gets the reference data,
an open call with the 2020 rules and one organisation with one applicant account per user;
gunicorn starts as `make run` starts it (keyprojects.wsgi, 2 workers × 4 threads, loopback,
DEBUG off, the real password hasher: PBKDF2, 1,000,000 iterations). The simulated users
then work in two phases:

- arrival: each, at a random moment of the first RAMP seconds, opens the login page, logs
  in (CSRF token and all), opens the home page, starts an application and opens its form;
- filling, once every user has arrived: each autosaves the whole form `--autosaves` times
  (as htmx does: the form with its version and editor token), uploads a 1 MB PDF as the
  approval and submits.

Users think THINK seconds between steps (htmx autosaves 1.5 s after typing stops), so the
server sees the offered load of that many people, not a closed loop. Keeping the phases
apart measures the autosaves under the load of everyone typing, not behind a storm of
password hashing; the login figures show that storm on their own.

With `--login-pool` the login page (GET and POST) goes to a second gunicorn (2 processes, 1
thread each), as docs/deployment.md's nginx routes it: the password checks then no longer
hold the threads that serve everything else.

Afterwards every application is read back: submitted, one attachment, and its fields equal
to the last values the user saved ("no lost draft").

Capacity (once per backend): with `--capacity-clients` clients sending back to back, the
trivial view /bench/trivial/ and the autosave endpoint (each client its own logged-in
applicant and draft) — requests per second of both and their ratio. Between them, two
floors (bench/urls_bench.py) that say how much of the gap any draft save must pay, however
it is written: the trivial view behind login (session and user), and the least save (the
user's own application read under its lock and written, no form, no record, no template).

Figures are printed, never asserted. Each run is bounded: a fixed number of requests per
user, a cap on the filling phase (`--max-fill-seconds`; users still typing then stop and
are counted as unfinished) and on the capacity loops.
"""

import argparse
import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server
from _applicants import RAMP, THINK, Plan, capacity_run, one_megabyte_pdf, surge_run
from _server import ms, table

# --- Parent: one child per backend and number of users ------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--autosaves", type=int, default=8)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--capacity-clients", type=int, default=8)
    parser.add_argument("--capacity-budget", type=int, default=600)
    parser.add_argument("--max-fill-seconds", type=float, default=150.0)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--login-pool",
        action="store_true",
        help="serve the login page from a second gunicorn (2 processes, 1 thread each)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--capacity", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.users = int(args.users)
        return child(args)

    before = _server.load_average()
    print(f"load average before: {before} ({os.cpu_count()} cores)")
    results = []
    for backend in args.backends.split(","):
        if backend == "postgresql" and not _server.postgres_reachable():
            print(f"PostgreSQL not reachable at {_server.PG_SERVER}: skipped")
            continue
        for i, users in enumerate(int(u) for u in args.users.split(",")):
            pool = ", logins on their own pool" if args.login_pool else ""
            print(f"\n== {backend}, {users} users{pool}")
            extra = ["--capacity"] if i == 0 else []
            extra += ["--login-pool"] if args.login_pool else []
            if args.no_profile or i > 0:
                extra.append("--no-profile")
            with _server.throwaway_env(backend, f"surge{users}") as env:
                results.append(
                    _server.run_child(
                        Path(__file__),
                        env,
                        [
                            "--backend",
                            backend,
                            "--users",
                            str(users),
                            "--autosaves",
                            str(args.autosaves),
                            "--capacity-clients",
                            str(args.capacity_clients),
                            "--capacity-budget",
                            str(args.capacity_budget),
                            f"--max-fill-seconds={args.max_fill_seconds}",
                            *extra,
                        ],
                    )
                )
    print("\n== Summary (ms; SQLite beside PostgreSQL)")
    print(summary(results))
    after = _server.load_average()
    print(f"\nload average after: {after}")
    # The loads during the runs include the bench's own users and gunicorn (3–4 on 2 cores):
    # only the load before it started says whether other work was running. How fast the
    # machine itself is that day shows in the trivial view's req/s beside the autosave's.
    print(_server.load_verdict([before]))


# What the capacity loop measures beside the trivial view, and what the output calls it.
CAPACITY_FLOORS = {
    "signed_in": "signed-in trivial view",
    "floor_save": "floor of a save",
    "autosave": "autosave",
}


def _against_trivial(capacity, key) -> str:
    rps = capacity[key]["rps"]
    return f"{rps:.0f} ({rps / capacity['trivial']['rps']:.2f})"


def summary(results) -> str:
    rows = []
    for r in results:
        autosave = r["steps"]["autosave"]
        errors = sum(s["errors"] for s in r["steps"].values())
        rows.append(
            [
                r["backend"],
                r["users"],
                ms(r["steps"]["login"]["p95"]),
                ms(autosave["p50"]),
                ms(autosave["p95"]),
                ms(autosave["p99"]),
                ms(r["steps"]["upload 1 MB PDF"]["p95"]),
                ms(r["steps"]["submit"]["p95"]),
                f"{r['filling_rps']:.1f}",
                errors,
                r["unfinished"],
                f"{r['arrived']} / {r['users']}",
                f"{r['lost']} / {r['saved']}",
                r["load"],
            ]
        )
    text = table(
        [
            "backend",
            "users",
            "login p95",
            "autosave p50",
            "p95",
            "p99",
            "upload p95",
            "submit p95",
            "req/s filling",
            "errors",
            "unfinished",
            "arrived",
            "lost drafts",
            "load avg",
        ],
        rows,
    )
    capacity = [r for r in results if r.get("capacity")]
    if capacity:
        text += "\n\n" + table(
            [
                "backend",
                "clients",
                "trivial req/s",
                "signed-in trivial (ratio)",
                "floor save (ratio)",
                "autosave (ratio)",
                "autosave p95",
            ],
            [
                [
                    r["backend"],
                    r["capacity"]["clients"],
                    f"{r['capacity']['trivial']['rps']:.0f}",
                    *(_against_trivial(r["capacity"], k) for k in CAPACITY_FLOORS),
                    ms(r["capacity"]["autosave"]["p95"]),
                ]
                for r in capacity
            ],
        )
    return text


# --- Child: data, gunicorn, load, checks -------------------------------------------------


def child(args):
    import django

    django.setup()
    _server.quiet_logs()
    import _data
    from django.core.management import call_command
    from django.db import connection

    from keyprojects.applications import domain

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _data.load_reference()
    call = _data.open_call()
    users = _data.organisations_with_users(
        args.users + args.capacity_clients, seats=_data.county_seats(), prefix="surge"
    )
    journey_users, capacity_users = users[: args.users], users[args.users :]
    drafts = [domain.start_application(call, u) for u in capacity_users] if args.capacity else []
    category = call.categories.get(code="digital_governance").pk
    pdf = one_megabyte_pdf()
    connection.close()
    print(f"data: {len(users)} applicants, {time.perf_counter() - started:.1f} s; ", end="")
    print(f"load average {_server.load_average()}")

    plan = Plan(call.slug, category, args.autosaves, pdf)
    with _server.Gunicorn() as server, contextlib.ExitStack() as stack:
        logins = stack.enter_context(_server.Gunicorn(threads=1)) if args.login_pool else None
        journey = asyncio.run(
            surge_run(
                server.base,
                plan,
                [u.username for u in journey_users],
                args.max_fill_seconds,
                login_base=logins.base if logins else "",
            )
        )
        capacity = None
        if args.capacity:
            capacity = asyncio.run(
                capacity_run(
                    server.base,
                    plan,
                    [(u.username, d.pk) for u, d in zip(capacity_users, drafts, strict=True)],
                    args.capacity_budget,
                )
            )
    load = _server.load_average()

    lost, problems = check(journey, capacity)
    result = {
        "backend": args.backend + (" + login pool" if args.login_pool else ""),
        "users": args.users,
        "steps": journey["steps"],
        "arrival": journey["arrival"],
        "filling": journey["filling"],
        "filling_rps": journey["filling_rps"],
        "unfinished": journey["unfinished"],
        "arrived": journey["arrived"],
        "saved": len(journey["saved"]),
        "lost": lost,
        "problems": problems[:10],
        "load": load,
        "capacity": capacity,
    }
    print_child(result, args)
    if not args.no_profile:
        from _profile import print_profile, profile

        draft = domain.start_application(call, journey_users[0])
        print_profile(
            profile(
                journey_users[0],
                "post",
                f"/applicant/{draft.pk}/autosave/",
                plan.form(1, draft.version, "profile"),
            )
        )
    _server.write_result(result)


def check(journey, capacity):
    """Read every application back; (lost drafts, problems)."""
    from keyprojects.applications.models import Application
    from keyprojects.applications.workflow import Status

    expected = dict(journey["saved"])
    if capacity:
        expected.update({pk: tuple(v) for pk, v in capacity.pop("saved").items()})
    rows = {
        str(a.pk): a
        for a in Application.objects.filter(pk__in=list(expected)).prefetch_related("attachments")
    }
    lost, problems = 0, []
    for pk, (who, summary, content_length) in expected.items():
        a = rows.get(pk)
        if a is None or a.summary != summary or len(a.construction_content) != content_length:
            lost += 1
            problems.append(f"{who}: saved {summary!r}, found {a.summary if a else None!r}")
    submitted = [rows[pk] for pk in journey["saved"] if pk in rows]
    not_submitted = [a for a in submitted if a.status != Status.SUBMITTED]
    without_pdf = [a for a in submitted if len(a.attachments.all()) != 1]
    if not_submitted:
        problems.append(f"{len(not_submitted)} applications not submitted")
    if without_pdf:
        problems.append(f"{len(without_pdf)} applications without exactly one attachment")
    journey["not_submitted"] = len(not_submitted)
    return lost, problems


def print_child(result, args):
    rows = []
    for name, s in result["steps"].items():
        kinds = ", ".join(f"{k} ×{n}" for k, n in s["error_kinds"].items())
        rows.append(
            [
                name,
                s["n"],
                f"{s['rps']:.1f}",
                ms(s["p50"]),
                ms(s["p95"]),
                ms(s["p99"]),
                f"{s['errors']}" + (f" ({kinds})" if kinds else ""),
            ]
        )
    print(
        f"{result['users']} users arriving over {RAMP:g} s: arrival phase "
        f"{result['arrival']:.1f} s; then {args.autosaves} autosaves, upload and submit each, "
        f"think {THINK[0]:g}–{THINK[1]:g} s: filling phase {result['filling']:.1f} s, "
        f"{result['filling_rps']:.1f} req/s; {result['unfinished']} users unfinished; "
        f"load average {result['load']}"
    )
    print(table(["step", "requests", "req/s*", "p50 ms", "p95 ms", "p99 ms", "errors"], rows))
    print("* requests of the step per second of its phase")
    print(
        f"arrived (logged in, form open): {result['arrived']} of {result['users']}; "
        f"lost drafts: {result['lost']} of {result['saved']} saved"
    )
    if any(s["errors"] for s in result["steps"].values()):
        _server.print_server_errors()
    for problem in result["problems"]:
        print("  !", problem)
    capacity = result["capacity"]
    if capacity:
        t = capacity["trivial"]
        print(
            f"capacity with {capacity['clients']} clients back to back: trivial view "
            f"{t['rps']:.0f} req/s (p95 {ms(t['p95'])} ms, {t['errors']} errors)"
        )
        for key, name in CAPACITY_FLOORS.items():
            s = capacity[key]
            print(
                f"  {name}: {s['rps']:.0f} req/s (p95 {ms(s['p95'])} ms, {s['errors']} "
                f"errors), ratio {s['rps'] / t['rps']:.2f}"
            )


if __name__ == "__main__":
    main()
