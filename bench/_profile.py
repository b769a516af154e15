"""Where a request spends its time: cProfile around Django's test client, in-process, on
the bench database, printed as the functions with the most time of their own and the
project's functions with the most cumulative time. Needs Django set up (child processes).
"""

import cProfile
import io
import pstats
import time
from urllib.parse import urlencode

from django.db import connection
from django.test import Client

PROJECT = "keyprojects"


def profile(user, method: str, path: str, data=None, repeat: int = 3, top: int = 12) -> dict:
    """Profile `repeat` requests by `user` (None: anonymous), after one warm-up; returns the
    wall time per request, the SQL queries and SQL time per request and the printed hot
    spots. `data` is posted form-encoded, as a browser (and htmx) posts a form."""
    client = Client()
    if user is not None:
        client.force_login(user)
        _second_factor_proved(client, user)

    def send():
        if method.lower() == "get":
            return client.get(path)
        form = urlencode(data or {}, doseq=True)
        return client.post(path, form, content_type="application/x-www-form-urlencoded")

    send()  # warm-up: caches, imports
    timer = SqlTimer()
    with connection.execute_wrapper(timer):
        started = time.perf_counter()
        for _ in range(repeat):  # unprofiled: the wall and SQL times without cProfile
            response = send()
        wall = (time.perf_counter() - started) / repeat
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        send()
    profiler.disable()
    stats = pstats.Stats(profiler)
    return {
        "path": path,
        "status": response.status_code,
        "wall_ms": 1000 * wall,
        "queries": timer.count // repeat,
        "sql_ms": 1000 * timer.seconds / repeat,
        "slow_sql": [f"{1000 * t:7.1f} ms  {' '.join(q.split())[:400]}" for t, q in timer.slowest],
        "own": _lines(stats, "tottime", top, None),
        "project": _lines(stats, "cumulative", top, PROJECT),
        "repeat": repeat,
    }


def _second_factor_proved(client, user):
    """Mark the session as verified with the user's authenticator, if it has one (the
    office and reviewers must prove a second factor; the HTTP benches type the code)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


class SqlTimer:
    """Counts the queries and the time spent waiting for the database."""

    def __init__(self):
        self.count, self.seconds, self.slowest = 0, 0.0, []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.seconds += took
            self.count += 1
            self.slowest = sorted([*self.slowest, (took, sql)], reverse=True)[:3]


def _lines(stats, key, top, only) -> list[str]:
    rows = []
    for (filename, line, name), (_cc, calls, tottime, cumtime, _callers) in stats.stats.items():
        if only and (only not in filename or name == "__call__"):
            continue  # middlewares wrap every request: they say nothing
        rows.append((tottime if key == "tottime" else cumtime, calls, _where(filename), line, name))
    rows.sort(reverse=True)
    return [f"{t * 1000:9.1f} ms {n:>8} calls  {f}:{ln} {name}" for t, n, f, ln, name in rows[:top]]


def _where(filename: str) -> str:
    for marker in ("/src/", "/site-packages/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def print_profile(result: dict):
    out = io.StringIO()
    repeat = result["repeat"]
    print(
        f"profile of {result['path']} (HTTP {result['status']}): "
        f"{result['wall_ms']:.0f} ms per request in-process (without the profiler), "
        f"{result['queries']} SQL queries taking {result['sql_ms']:.1f} ms of it",
        file=out,
    )
    print("  slowest SQL statements:", file=out)
    for line in result["slow_sql"]:
        print("   ", line, file=out)
    print(f"  most time of their own (total over {repeat} requests):", file=out)
    for line in result["own"]:
        print("   ", line, file=out)
    print(f"  project code by cumulative time (total over {repeat} requests):", file=out)
    for line in result["project"]:
        print("   ", line, file=out)
    print(out.getvalue())
