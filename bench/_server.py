"""What the HTTP benches share: a throw-away database (SQLite file or PostgreSQL database),
gunicorn started as `make run` starts it, an async load client with a fixed request budget,
percentiles and tables. No Django here: the parent process only orchestrates.

Each bench runs itself once per backend in a child process (`--child`) whose environment
points Django at the throw-away database: KEYPROJECTS_VAR_DIR=<tmpdir> always (so uploads,
static files and the SQLite file stay out of var/), plus DATABASE_URL for PostgreSQL.
"""

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
PYTHON = sys.executable
PG_SERVER = os.environ.get("KEYPROJECTS_BENCH_PG", "postgres://postgres@127.0.0.1:5432")


# --- Machine -----------------------------------------------------------------------------


def load_average() -> str:
    """The 1/5/15-minute load averages, as `uptime` prints them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def load_verdict(loads: list[str]) -> str:
    """A warning when the 1-minute load average exceeded the cores during some run."""
    cores = os.cpu_count() or 1
    worst = max(float(load.split()[0]) for load in loads) if loads else 0.0
    if worst > cores:
        return (
            f"PRELIMINARY: the 1-minute load average reached {worst:.1f} on {cores} cores "
            "(other work on the machine); re-run on a quiet machine."
        )
    return f"1-minute load average at most {worst:.1f} on {cores} cores."


def quiet_logs():
    """The load client and axes would log every request and login at INFO."""
    import logging

    for name in ["httpx", "httpcore", "axes"]:
        logging.getLogger(name).setLevel(logging.WARNING)


# --- Databases ---------------------------------------------------------------------------


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def _pg_admin(sql: str):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def throwaway_env(backend: str, tag: str):
    """Environment variables for a child process on a fresh, empty database; removed after."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"kp-bench-{tag}-"))
    env = {
        **os.environ,
        "KEYPROJECTS_VAR_DIR": str(var_dir),
        "KEYPROJECTS_MEDIA_ROOT": str(var_dir / "media"),
        "DJANGO_SETTINGS_MODULE": "settings_bench",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)]),
        "KEYPROJECTS_BENCH_VAR": str(var_dir),
    }
    env.pop("DJANGO_DEBUG", None)
    env.pop("DATABASE_URL", None)
    database = None
    if backend == "postgresql":
        database = f"kp_bench_{tag}_{os.getpid()}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{database}"')
        _pg_admin(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{database}"
    try:
        yield env
    finally:
        if database:
            with contextlib.suppress(Exception):
                _pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        if os.environ.get("KEYPROJECTS_BENCH_KEEP"):  # to read gunicorn.log and access.log
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


def run_child(script: Path, env: dict, args: list[str]) -> dict:
    """Run `script --child args` in `env`; it prints its tables and writes its result JSON."""
    result_file = Path(env["KEYPROJECTS_BENCH_VAR"]) / "result.json"
    subprocess.run([PYTHON, str(script), "--child", *args], env=env, check=True, cwd=ROOT)
    return json.loads(result_file.read_text())


def write_result(result: dict):
    Path(os.environ["KEYPROJECTS_BENCH_VAR"], "result.json").write_text(json.dumps(result))


# --- gunicorn ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn as `make run` starts it (2 workers × 4 threads), with the bench URLs."""

    def __init__(self, workers=2, threads=4):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        var_dir = Path(os.environ["KEYPROJECTS_BENCH_VAR"])
        self.log = (var_dir / "gunicorn.log").open("ab")
        self.args = [
            str(Path(PYTHON).parent / "gunicorn"),
            "keyprojects.wsgi",
            "--pythonpath",
            f"{ROOT / 'src'},{BENCH}",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            str(var_dir / "access.log"),
        ]
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, env=os.environ
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log.name}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start within 60 s")
        warm_up(self.base)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def print_server_errors(lines=40):
    """The end of gunicorn's log (tracebacks), when some requests failed."""
    log = Path(os.environ["KEYPROJECTS_BENCH_VAR"]) / "gunicorn.log"
    text = log.read_text(errors="replace").splitlines() if log.exists() else []
    markers = ("Traceback", "Error", "CRITICAL", "WORKER TIMEOUT")
    errors = [i for i, line in enumerate(text) if any(m in line for m in markers)]
    if errors:
        print("gunicorn log around the first error:")
        print("\n".join("  " + line for line in text[errors[0] : errors[0] + lines]))


def warm_up(base: str):
    """Load Django in every worker (the first request of each pays the imports)."""
    import httpx

    with httpx.Client(base_url=base, timeout=60) as client:
        for _ in range(8):
            client.get("/bench/trivial/")


# --- Measuring ---------------------------------------------------------------------------


@dataclass
class Samples:
    """Latencies (s) of one step and how many of its requests failed."""

    times: list = field(default_factory=list)
    errors: int = 0
    error_kinds: dict = field(default_factory=dict)

    def add(self, seconds: float, ok: bool = True, kind: str = ""):
        self.times.append(seconds)
        if not ok:
            self.errors += 1
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def summary(self, wall: float | None = None) -> dict:
        times = sorted(self.times)
        out = {
            "n": len(times),
            "errors": self.errors,
            "error_kinds": self.error_kinds,
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
        }
        if wall:
            out["rps"] = len(times) / wall
        return out


def percentile(sorted_times, p) -> float:
    """Nearest-rank percentile in milliseconds (NaN when there is nothing)."""
    if not sorted_times:
        return float("nan")
    rank = max(1, -(-len(sorted_times) * p // 100))
    return 1000 * sorted_times[int(rank) - 1]


async def timed(samples: Samples, request, ok=lambda r: r.is_success):
    """Await `request` (a coroutine giving an httpx response), recording its latency."""
    started = time.perf_counter()
    try:
        response = await request
    except Exception as error:  # a refused or dropped connection is an error, not a crash
        samples.add(time.perf_counter() - started, False, type(error).__name__)
        return None
    good = ok(response)
    kind = ""
    if not good:
        where = response.headers.get("location", "")
        kind = f"HTTP {response.status_code}" + (f" → {where.split('?')[0]}" if where else "")
    samples.add(time.perf_counter() - started, good, kind)
    return response


async def closed_loop(
    make_request, clients: int, budget: int, max_seconds: float = 60.0, ok=lambda r: r.is_success
):
    """`clients` concurrent loops sending back-to-back requests until `budget` requests are
    done or `max_seconds` pass; returns (Samples, wall seconds).

    make_request(i) returns a coroutine for the i-th client's next request; a response is
    an error unless ok(response) (by default: a 2xx answer).
    """
    samples = Samples()
    remaining = [budget]
    stop_at = time.perf_counter() + max_seconds

    async def loop(i):
        while remaining[0] > 0 and time.perf_counter() < stop_at:
            remaining[0] -= 1
            await timed(samples, make_request(i), ok)

    started = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    return samples, time.perf_counter() - started


def client(base: str, keepalive=True, timeout=120.0, max_connections=4):
    """An HTTP client with its own cookies; without keep-alive for think-time users, whose
    idle connection gunicorn would close just as they send (keepalive is 2 s)."""
    import httpx

    limits = httpx.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_connections if keepalive else 0,
    )
    return httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits)


async def log_in(http, username: str, password: str) -> bool:
    """Log in through the login page as a browser does (CSRF cookie and token)."""
    page = await http.get("/accounts/login/")
    token = csrf_token(page.text) or http.cookies.get("csrftoken", "")
    response = await http.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": str(http.base_url) + "accounts/login/"},
    )
    return response.status_code == 302 and "sessionid" in http.cookies


async def verify_second_factor(http, code: str) -> bool:
    """Prove the second factor the office and reviewers must (experts/access.py)."""
    page = await http.get("/experts/second-factor/verify/")
    response = await http.post(
        "/experts/second-factor/verify/",
        data={"token": code, "csrfmiddlewaretoken": csrf_token(page.text)},
    )
    return response.status_code == 302


def csrf_token(html: str) -> str:
    marker = 'name="csrfmiddlewaretoken" value="'
    start = html.find(marker)
    if start < 0:
        return ""
    start += len(marker)
    return html[start : html.index('"', start)]


# --- Printing ----------------------------------------------------------------------------


def ms(value) -> str:
    return "—" if value != value else f"{value:,.0f}"  # NaN → —


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[str(c) for c in row] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)
    ]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"]
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    return "\n".join(lines)
