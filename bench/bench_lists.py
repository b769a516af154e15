"""The list pages at 10,000 and 50,000 applications (issue 7), on SQLite and PostgreSQL.

    .venv/bin/python bench/bench_lists.py [--sizes 10000,50000] [--backends sqlite,postgresql]
        [--clients 8] [--budget 160] [--max-seconds 10] [--selected 50] [--no-profile]

For each backend and size, a throw-away database gets the reference data, one open call
with the 2020 rules and `size` applications (two per organisation, organisations spread
over every county-level seat of Jiangsu), built with bulk_create: `--selected` of them
selected into a tier (50: what the 2020 tiers allow; the public notice lists them all on
one page), the others spread over submitted / recommended / check passed; routed as
orgs.routing routes them, with formal checks and decisions where the stage has them, the
approval attached to 95 %. Plus a reviewer of 南京市 (the largest city queue) and the
office, both with an authenticator (they log in and type its code, the second factor their
roles must prove), a published notice and, once keyprojects.cases has its public library,
a published case per selected project.

gunicorn starts as `make run` starts it (2 workers × 4 threads, loopback, DEBUG off). Each
page, after 2 × clients warm-up requests, is measured twice:
- latency: one client, requests one after another (`--budget` requests or `--max-seconds`):
  the time a user waits, p50/p95/p99;
- throughput: `--clients` concurrent clients back to back (as many requests and seconds):
  requests per second, and the p95 of those queued requests.
Both are needed because of Little's law: with 8 clients back to back every request waits
for ~7 others, so the mean wait is 8 / throughput (53 ms for issue 7's yardstick list view
at 150 req/s), and a p95 of 13 ms, as the issue measured for that view, can only be a
wait without queueing. The plain 50-row list view and the trivial view of
bench/urls_bench.py are measured the same way, as yardsticks, and so are two for the
office's pages: the plain list signed in as the office, and the office list's rows written
the plain Django way. The slowest page of the product is profiled in-process at the end.

Figures are printed, never asserted (the query counts are asserted in tests/perf).
"""

import argparse
import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server
from _server import ms, table

TARGETS = {10_000: 50, 50_000: 100}  # p95 ms of issue 7


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--budget", type=int, default=160)
    parser.add_argument("--max-seconds", type=float, default=10.0)
    parser.add_argument("--selected", type=int, default=50)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    before = _server.load_average()
    print(f"load average before: {before} ({os.cpu_count()} cores)")
    results = []
    for backend in args.backends.split(","):
        if backend == "postgresql" and not _server.postgres_reachable():
            print(f"PostgreSQL not reachable at {_server.PG_SERVER}: skipped")
            continue
        for size in (int(s) for s in args.sizes.split(",")):
            print(f"\n== {backend}, {size:,} applications")
            passed = [
                "--backend",
                backend,
                "--sizes",
                str(size),
                *(f"--{k}={v}" for k, v in [("clients", args.clients), ("budget", args.budget)]),
                f"--max-seconds={args.max_seconds}",
                f"--selected={args.selected}",
            ]
            if args.no_profile:
                passed.append("--no-profile")
            with _server.throwaway_env(backend, f"lists{size}") as env:
                results.append(_server.run_child(Path(__file__), env, passed))
    print(
        f"\n== Summary: p95 ms with 1 client / req/s with {args.clients} clients, "
        "SQLite beside PostgreSQL"
    )
    print(summary(results))
    after = _server.load_average()
    print(f"\nload average after: {after}")
    # The loads during the runs include the bench's own clients and gunicorn (about 3–4 on
    # 2 cores): only the load before it started says whether other work was running.
    print(_server.load_verdict([before]))


def summary(results) -> str:
    pages = list(dict.fromkeys(p for r in results for p in r["pages"]))
    columns = [(r["backend"], r["size"]) for r in results]
    rows = []
    for page in pages:
        row = [page]
        for r in results:
            figures = r["pages"].get(page)
            row.append(
                figures["note"]
                if figures and "note" in figures
                else f"{ms(figures['p95'])} / {figures['rps']:.0f}"
                if figures
                else "—"
            )
        rows.append(row)
    rows.append(["load average", *(r["load"] for r in results)])
    return table(["page", *(f"{b} {s:,}" for b, s in columns)], rows)


# --- Child -------------------------------------------------------------------------------


def child(args):
    import django

    django.setup()
    _server.quiet_logs()
    import _data
    from django.core.management import call_command
    from django.db import connection

    size = int(args.sizes)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _data.load_reference()
    data = _data.list_pages_data(size, selected=args.selected)
    counts = stage_counts(data["call"])
    # What the task worker does when it starts (and hourly): SQLite's planner statistics.
    from keyprojects.core.planner import gather_statistics

    gather_statistics()
    connection.close()
    print(
        f"data: {size:,} applications ({counts}), built in {time.perf_counter() - started:.1f} s;"
        f" load average {_server.load_average()}"
    )
    pages = page_list(data)
    usernames = {role: data[role].username for role in ["applicant", "reviewer", "office"]}
    with _server.Gunicorn() as server:
        measured = asyncio.run(measure_all(server.base, pages, usernames, args))
    load = _server.load_average()
    print_child(measured, size, args, load)
    result = {"backend": args.backend, "size": size, "pages": measured, "load": load}
    if not args.no_profile:
        from _profile import print_profile, profile

        slowest = max(
            (
                p
                for p in pages
                if p.name in measured and "p95" in measured[p.name] and not p.yardstick
            ),
            key=lambda p: measured[p.name]["p95"],
        )
        print(f"slowest page: {slowest.name}")
        print_profile(profile(data[slowest.user] if slowest.user else None, "get", slowest.path))
    _server.write_result(result)


class Page:
    def __init__(self, name, path, user=None, expect=""):
        self.name, self.path, self.user, self.expect = name, path, user, expect
        self.yardstick = path.startswith("/bench/")


def page_list(data) -> list:
    call, notice = data["call"], data["notice"]
    pages = [
        Page("applicant home", "/applicant/", "applicant"),
        Page("reviewer queue (南京市)", f"/review/?call={call.slug}", "reviewer"),
        Page("office list (formal check)", f"/selection/{call.slug}/", "office"),
        Page("public notice", f"/notices/{notice.pk}/"),
    ]
    if data["cases"] is not None:
        pages.append(Page("case library", "/cases/"))
        pages.append(Page("case library, search 平台", "/cases/?q=%E5%B9%B3%E5%8F%B0"))
    else:
        pages.append(Page("case library", "", expect="not built yet"))
    pages.append(Page("plain 50-row list view", "/bench/plain-list/"))
    # Yardsticks of the office's pages: the plain list with the office's sign-in (session,
    # second factor, roles), and the office list's own rows written the plain Django way.
    pages.append(Page("plain list, signed in as the office", "/bench/plain-list/", "office"))
    pages.append(
        Page("office rows, plain Django", f"/bench/plain-office-rows/{call.slug}/", "office")
    )
    pages.append(Page("trivial view", "/bench/trivial/"))
    return pages


def stage_counts(call) -> str:
    from django.db.models import Count

    rows = call.applications.values("status").annotate(n=Count("pk")).order_by("status")
    return ", ".join(f"{r['status']} {r['n']:,}" for r in rows)


async def _log_in(http, role, username) -> bool:
    """Log in as a browser does; the office and reviewers then type their authenticator's
    code (the second factor their roles must prove)."""
    from _data import PASSWORD, totp_code

    if not await _server.log_in(http, username, PASSWORD):
        return False
    return role == "applicant" or await _server.verify_second_factor(http, totp_code())


async def measure_all(base, pages, usernames, args) -> dict:
    measured = {}
    # One sign-in per role, its cookies reused by the role's later pages: an authenticator
    # code is refused a second time within its 30 s (replay).
    signed_in = {}
    for page in pages:
        if page.expect:
            measured[page.name] = {"note": page.expect}
            continue
        async with _server.client(base, max_connections=args.clients) as http:
            if page.user in signed_in:
                http.cookies.update(signed_in[page.user])
            elif page.user:
                if not await _log_in(http, page.user, usernames[page.user]):
                    measured[page.name] = {"note": "login failed"}
                    continue
                signed_in[page.user] = dict(http.cookies)
            first = await http.get(page.path)
            # Warm every worker thread (templates, translations, connections) unmeasured.
            await _server.closed_loop(
                lambda i, http=http, path=page.path: http.get(path), args.clients, 2 * args.clients
            )
            alone, _ = await _server.closed_loop(
                lambda i, http=http, path=page.path: http.get(path),
                1,
                args.budget,
                max_seconds=args.max_seconds,
            )
            samples, wall = await _server.closed_loop(
                lambda i, http=http, path=page.path: http.get(path),
                args.clients,
                args.budget,
                max_seconds=args.max_seconds,
            )
        loaded = samples.summary(wall)
        measured[page.name] = {
            **alone.summary(),
            "errors": alone.errors + samples.errors,
            "error_kinds": {**alone.error_kinds, **samples.error_kinds},
            "loaded_n": loaded["n"],
            "loaded_p95": loaded["p95"],
            "rps": loaded["rps"],
            "status": first.status_code,
            "kb": len(first.content) / 1024,
        }
    return measured


def _errors(m) -> str:
    kinds = ", ".join(f"{k} ×{n}" for k, n in m["error_kinds"].items())
    first = f"first answer HTTP {m['status']}" if m["status"] != 200 else ""
    details = "; ".join(d for d in [kinds, first] if d)
    return f"{m['errors']}" + (f" ({details})" if details else "")


def print_child(measured, size, args, load):
    target = TARGETS.get(size)
    plain = measured.get("plain 50-row list view", {}).get("rps")
    rows = []
    for name, m in measured.items():
        if "note" in m:
            rows.append([name, m["note"], "", "", "", "", "", "", ""])
            continue
        rows.append(
            [
                name,
                ms(m["p50"]),
                ms(m["p95"]),
                ms(m["p99"]),
                ms(m["loaded_p95"]),
                f"{m['rps']:.0f}",
                f"{m['rps'] / plain:.2f}" if plain else "—",
                _errors(m),
                f"{m['kb']:.0f}",
            ]
        )
    print(
        f"1 client, then {args.clients} clients back to back, up to {args.budget} requests or "
        f"{args.max_seconds:g} s each; target p95 ≤ {target or '—'} ms (1 client) and ≥ 0.5 × "
        f"the plain list's req/s ({args.clients} clients); load average {load}"
    )
    headers = ["page", "p50 ms", "p95 ms", "p99 ms", f"p95 ms ×{args.clients}", "req/s"]
    print(table([*headers, "× plain", "errors", "KB"], rows))
    if any(m.get("errors") for m in measured.values()):
        _server.print_server_errors()


if __name__ == "__main__":
    main()
