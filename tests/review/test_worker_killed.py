"""A worker killed while it renders a summary table leaves no half-made table, and the
task is run again: exactly one complete table comes out.

The workers are real processes (`manage.py worker`); the first one stalls in the PDF
layout (tests/review/stalling_worker.py) and is killed with SIGKILL, as the kernel's
out-of-memory killer or a lost machine would. Like tests/core/test_workers.py this runs on
PostgreSQL only: SQLite's test database lives in this process's memory.
"""

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook
from pypdf import PdfReader

from keyprojects.audit.models import Event
from keyprojects.core.clock import now
from keyprojects.core.models import WorkerHeartbeat
from keyprojects.review import domain
from keyprojects.review.models import SummaryTable

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 180  # seconds; a worker that never gets there fails the test instead of hanging it

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="worker processes share a PostgreSQL database; run with DATABASE_URL",
    ),
]


def environment(settings) -> dict:
    db = connection.settings_dict
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "KEYPROJECTS_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KEYPROJECTS_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def worker_options(worker_id, *extra):
    return ["--no-startup-delay", "--queue-name", "*", "--worker-id", worker_id, *extra]


def wait_for(path: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not path.exists():
        if process.poll() is not None:
            output = process.stdout.read().decode()
            pytest.fail(f"the worker exited before the layout: {output}")
        if time.monotonic() > deadline:
            process.kill()
            output = process.stdout.read().decode()
            pytest.fail(f"the worker never reached the PDF layout: {output}")
        time.sleep(0.2)


def assert_nothing_half_made(batch):
    """Every table is either pending without files, failed, or ready with both files whole."""
    for table in SummaryTable.objects.filter(batch=batch):
        if table.state != SummaryTable.State.READY:
            assert not table.xlsx and not table.pdf, (table.state, table.xlsx, table.pdf)
            continue
        assert_complete(table)


def assert_complete(table):
    with table.pdf.open("rb") as f:
        pdf = f.read()
    assert pdf.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(pdf)).pages) >= 1
    with table.xlsx.open("rb") as f:
        sheet = load_workbook(io.BytesIO(f.read())).active
    names = {row[1] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert {row["name"] for row in table.content["rows"]} <= names
    assert table.progress == SummaryTable.Progress.DONE


@pytest.fixture
def batch(call, county, county_reviewer, submitted):
    for application in submitted:
        domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    return domain.batch_for(call, county)


def test_a_worker_killed_mid_table_leaves_nothing_half_made_and_the_retry_makes_one(
    settings, tmp_path, batch, county_reviewer
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    table = domain.start_table(batch, by=county_reviewer)
    env = environment(settings)
    reached = tmp_path / "laying-out"
    stalling = [sys.executable, "tests/review/stalling_worker.py", str(reached)]
    doomed = subprocess.Popen(
        [*stalling, *worker_options("doomed")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(reached, doomed)
        table.refresh_from_db()
        assert table.progress == SummaryTable.Progress.LAYOUT  # the XLSX is rendered by now
        assert_nothing_half_made(batch)
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=TIMEOUT)
    assert doomed.returncode == -signal.SIGKILL, doomed.stdout.read().decode()

    task = DBTaskResult.objects.get()
    assert task.status == "RUNNING"  # as the killed worker left it
    assert_nothing_half_made(batch)
    # Time passes: the dead worker's heartbeat goes stale (core/health.WORKER_SILENT_AFTER).
    WorkerHeartbeat.objects.filter(worker_id="doomed").update(
        beat_at=now() - dt.timedelta(minutes=5)
    )

    rescuer = subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", *worker_options("rescuer")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=TIMEOUT,
    )

    assert rescuer.returncode == 0, rescuer.stdout.decode() + rescuer.stderr.decode()
    task.refresh_from_db()
    assert (task.status, task.worker_ids) == ("SUCCESSFUL", ["doomed", "rescuer"])
    tables = list(SummaryTable.objects.filter(batch=batch))
    assert [t.pk for t in tables] == [table.pk]  # exactly one table: the retried version
    assert tables[0].state == SummaryTable.State.READY
    assert_complete(tables[0])
    assert_nothing_half_made(batch)
    requeued = Event.objects.get(action="requeue_abandoned")
    assert requeued.target_id == str(task.pk)
