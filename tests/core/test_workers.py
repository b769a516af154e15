"""Several task workers on PostgreSQL never run one task twice (production runs M of them).

The workers are real processes (`manage.py worker`, as the systemd units start them) on the
test database. SQLite's test database lives in this process's memory, and production
with several workers is PostgreSQL, so the test runs there only.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from keyprojects.core.models import WorkerHeartbeat

from .worker_probe import note_run

ROOT = Path(__file__).resolve().parents[2]
TASKS = 60

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="several workers share a PostgreSQL database in production; run with DATABASE_URL",
    ),
]


def test_three_workers_run_each_task_exactly_once(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runs = tmp_path / "runs.txt"
    for number in range(TASKS):
        note_run.enqueue(str(runs), number)
    assert not runs.exists()  # queued, not run here
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "worker",
                "--batch",
                "--no-startup-delay",
                "--queue-name",
                "*",
                "--worker-id",
                f"probe-{n}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for n in range(3)
    ]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output.decode()

    lines = runs.read_text().split()
    numbers = sorted(int(n) for n in lines[0::2])
    assert numbers == list(range(TASKS))  # every task ran, none twice
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {"SUCCESSFUL"}
    claims = [r.worker_ids for r in results]
    assert len(claims) == TASKS
    assert all(len(ids) == 1 and ids[0].startswith("probe-") for ids in claims)  # claimed once
    assert WorkerHeartbeat.objects.count() == 0  # a stopped worker takes its heartbeat along
