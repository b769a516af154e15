"""The summary table of 1,000 recommended projects (issue 7): XLSX, PDF and worker memory.

    .venv/bin/python bench/bench_summary_table.py [--rows 1000] [--backends sqlite,postgresql]

For each backend, a throw-away database gets the reference data, an open call with the
2020 rules and `--rows` projects of organisations seated in 沛县, all recommended (so all
routed to 徐州市沛县信息化主管部门), with varied, realistic names; the county's reviewer
then generates the table as the product does (`review.domain.start_table`: the content, its
code, the queued task). Then two fresh processes:
- a worker-like one (Django set up, the URLs loaded, as a worker before its first task)
  renders the XLSX and the PDF (`review.tables.render_xlsx`, `render_table_pdf`), timed
  apart, wall clock and the process's CPU time (on a loaded machine the CPU time is what
  a quiet one would take), and its peak memory (`getrusage(RUSAGE_SELF).ru_maxrss`);
- the product's worker itself, `manage.py worker --batch` as `make run` starts it, runs
  the queued task (both files, stored, progress saved); its peak memory is read by its
  parent with `getrusage(RUSAGE_CHILDREN).ru_maxrss`, the task's time from its result row.

Targets: XLSX < 1 s, PDF < 5 s, worker < 300 MB. Figures are printed, never asserted.
"""

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _server
from _server import table

TARGETS = {"xlsx": 1.0, "pdf": 5.0, "rss": 300}
SEAT = "320322"  # 沛县: its organisations' projects go to one county authority
SUBJECTS = ["智慧农业", "城市大脑", "工业互联网", "智慧水务", "数字乡村", "智慧交通", "社会治理"]
KINDS = ["综合服务平台", "一网统管平台", "大数据中心", "监测预警系统", "数字孪生底座"]
PHASES = ["", "", "建设项目", "（二期）", "升级改造工程", "及配套数据治理项目"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--child", choices=["build", "render", "worker"], help=argparse.SUPPRESS)
    parser.add_argument("--table", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "build":
        return build(args.rows)
    if args.child == "render":
        return render(args.table)
    if args.child == "worker":
        return worker(args.table)

    before = _server.load_average()
    print(f"load average before: {before} ({os.cpu_count()} cores)")
    results = []
    for backend in args.backends.split(","):
        if backend == "postgresql" and not _server.postgres_reachable():
            print(f"PostgreSQL not reachable at {_server.PG_SERVER}: skipped")
            continue
        print(f"\n== {backend}, {args.rows:,} recommended projects")
        with _server.throwaway_env(backend, "tables") as env:
            built = _server.run_child(Path(__file__), env, ["build", f"--rows={args.rows}"])
            table_id = ["--table", built["table"]]
            rendered = _server.run_child(Path(__file__), env, ["render", *table_id])
            worked = _server.run_child(Path(__file__), env, ["worker", *table_id])
        results.append({"backend": backend, **built, **rendered, **worked})
    print(f"\n== Summary ({args.rows:,} rows)")
    print(summary(results))
    after = _server.load_average()
    print(f"\nload average after: {after}")
    print(_server.load_verdict([before, after, *(r["load"] for r in results)]))


def seconds(result, key) -> str:
    return f"{result[key]:.2f} s ({result[key + '_cpu']:.2f} s)"


def verdict(value, target) -> str:
    return "met" if value < target else "NOT met"


def summary(results) -> str:
    rows = [
        [
            "start_table: content, code, queued task",
            *(f"{r['content']:.2f} s" for r in results),
            "",
        ],
        ["XLSX (CPU)", *(seconds(r, "xlsx") for r in results), "< 1 s"],
        ["PDF (CPU)", *(seconds(r, "pdf") for r in results), "< 5 s"],
        ["the worker's task: both files, stored", *(f"{r['task']:.2f} s" for r in results), ""],
        ["PDF pages / size", *(f"{r['pages']} / {r['pdf_kb']:,} KB" for r in results), ""],
        ["rendering process RSS: before", *(f"{r['rss_before']:.0f} MB" for r in results), ""],
        ["rendering process RSS: peak", *(f"{r['rss']:.0f} MB" for r in results), "< 300 MB"],
        ["manage.py worker RSS: peak", *(f"{r['worker_rss']:.0f} MB" for r in results), "< 300 MB"],
        ["load average during render", *(r["load"] for r in results), ""],
    ]
    for key, label in [("xlsx", "XLSX"), ("pdf", "PDF")]:
        verdicts = [
            f"{verdict(r[key], TARGETS[key])} ({verdict(r[key + '_cpu'], TARGETS[key])} on CPU)"
            for r in results
        ]
        rows.append([f"target {label}", *verdicts, ""])
    memory = [verdict(max(r["rss"], r["worker_rss"]), TARGETS["rss"]) for r in results]
    rows.append(["target memory", *memory, ""])
    return table(["measure", *(r["backend"] for r in results), "target"], rows)


# --- Children ----------------------------------------------------------------------------


def _setup():
    import django

    django.setup()
    _server.quiet_logs()


def build(rows: int):
    """The data and the table version, as the county's reviewer generates it."""
    _setup()
    import _data
    from django.core.management import call_command
    from django.db import connection

    from keyprojects.applications.models import Application
    from keyprojects.applications.workflow import Status
    from keyprojects.orgs.models import Authority, Region, User
    from keyprojects.review import domain

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _data.load_reference()
    call = _data.open_call()
    users = _data.organisations_with_users(
        max(rows // 5, 1), seats=[Region.objects.get(code=SEAT)], prefix="tables"
    )
    office = User.objects.create(username="bench_office", full_name="省信息化办")
    _data.applications_at_stages(call, users, rows, office=office, statuses=[Status.RECOMMENDED])
    _realistic_names(call)
    authority = Authority.objects.get(name="徐州市沛县信息化主管部门")
    reviewer = User.objects.create(
        username="bench_county", full_name="沛县审核员", authority=authority
    )
    built = time.perf_counter() - started

    started = time.perf_counter()
    version = domain.start_table(domain.batch_for(call, authority), by=reviewer)
    content = time.perf_counter() - started
    assert Application.objects.filter(call=call, authority=authority).count() == rows
    assert len(version.content["rows"]) == rows
    connection.close()
    print(f"data: {rows:,} recommended projects built in {built:.1f} s ({connection.vendor})")
    _server.write_result({"table": str(version.pk), "content": content})


def _realistic_names(call):
    """Project names of 8–30 characters, as the 2020 list has, some wrapping in the PDF."""
    from keyprojects.applications.models import Application

    rng = random.Random(2020)
    applications = list(call.applications.select_related("organisation__seat"))
    for application in applications:
        place = application.organisation.seat.name
        application.name = f"{place}{rng.choice(SUBJECTS)}{rng.choice(KINDS)}{rng.choice(PHASES)}"
    Application.objects.bulk_update(applications, ["name"], batch_size=2000)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def timed(function, *args):
    """(wall seconds, CPU seconds of this process, result): on a loaded machine the CPU
    time is what the work would take on a quiet one."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def render(table_id: str):
    """A fresh worker-like process: XLSX and PDF timed apart, then the task itself."""
    _setup()
    from django.urls import reverse
    from pypdf import PdfReader

    from keyprojects.review import tables
    from keyprojects.review.models import SummaryTable

    reverse("review:table", args=[table_id])  # the URLs, as a worker has them loaded
    rss_before = rss_mb()
    version = SummaryTable.objects.get(pk=table_id)
    xlsx, xlsx_cpu, _ = timed(tables.render_xlsx, version)
    pdf_wall, pdf_cpu, pdf = timed(tables.render_table_pdf, version)
    load = _server.load_average()
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"XLSX {xlsx:.2f} s ({xlsx_cpu:.2f} s CPU), PDF {pdf_wall:.2f} s ({pdf_cpu:.2f} s CPU, "
        f"{pages} pages, {len(pdf) // 1024} KB); RSS {rss_before:.0f} → {rss_mb():.0f} MB; "
        f"load {load}"
    )
    _server.write_result(
        {
            "xlsx": xlsx,
            "xlsx_cpu": xlsx_cpu,
            "pdf": pdf_wall,
            "pdf_cpu": pdf_cpu,
            "pages": pages,
            "pdf_kb": len(pdf) // 1024,
            "rss_before": rss_before,
            "rss": rss_mb(),
            "load": load,
        }
    )


def worker(table_id: str):
    """`manage.py worker` runs the queued task; this process only waits for it, then reads
    its peak memory (its only child) and the task's time."""
    started = time.perf_counter()
    command = ["worker", "--batch", "--no-startup-delay", "--queue-name", "*"]
    subprocess.run(
        [sys.executable, "manage.py", *command],
        check=True,
        cwd=_server.ROOT,
        timeout=600,
    )
    wall = time.perf_counter() - started
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    _setup()
    from django_tasks_db.models import DBTaskResult

    from keyprojects.review.models import SummaryTable

    version = SummaryTable.objects.get(pk=table_id)
    assert version.state == SummaryTable.State.READY, version.state
    result = DBTaskResult.objects.get(args_kwargs__args=[table_id])
    task = (result.finished_at - result.started_at).total_seconds()
    print(f"worker: task {task:.2f} s ({wall:.1f} s with start-up), peak {worker_rss:.0f} MB")
    _server.write_result({"task": task, "worker_rss": worker_rss})


if __name__ == "__main__":
    main()
