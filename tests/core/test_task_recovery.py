"""Running tasks of a worker that went silent are put back in the queue, a few times only."""

import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult

from keyprojects.audit.models import Event
from keyprojects.core.clock import now
from keyprojects.core.management.commands.worker import beat
from keyprojects.core.models import WorkerHeartbeat
from keyprojects.core.task_recovery import MAX_ATTEMPTS, requeue_abandoned

from .worker_probe import note_run

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(minutes=5)


@pytest.fixture
def claimed(settings, tmp_path):
    """A task claimed by worker "w1", which has a heartbeat."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    note_run.enqueue(str(tmp_path / "runs.txt"), 1)
    task = DBTaskResult.objects.get()
    beat("w1", started=True)
    task.claim("w1")
    return task


def age_heartbeat(worker_id):
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=now() - LONG_AGO)


def test_a_task_of_a_live_worker_is_left_alone(claimed):
    assert requeue_abandoned() == (0, 0)
    claimed.refresh_from_db()
    assert claimed.status == "RUNNING"


def test_a_task_of_a_silent_worker_is_queued_again_and_audited(claimed):
    age_heartbeat("w1")

    assert requeue_abandoned() == (1, 0)

    claimed.refresh_from_db()
    assert (claimed.status, claimed.started_at) == ("READY", None)
    assert DBTaskResult.objects.ready().get() == claimed
    event = Event.objects.get(action="requeue_abandoned")
    assert event.data["workers"] == ["w1"]


def test_a_task_claimed_by_a_worker_without_heartbeat_waits_for_the_same_silence(claimed):
    WorkerHeartbeat.objects.all().delete()
    assert requeue_abandoned() == (0, 0)  # claimed just now
    DBTaskResult.objects.filter(pk=claimed.pk).update(started_at=now() - LONG_AGO)
    assert requeue_abandoned() == (1, 0)


def test_after_the_last_attempt_the_task_fails_instead(claimed):
    for n in range(2, MAX_ATTEMPTS + 1):
        claimed.claim(f"w{n}")
    beat(f"w{MAX_ATTEMPTS}", started=True)
    age_heartbeat(f"w{MAX_ATTEMPTS}")

    assert requeue_abandoned() == (0, 1)

    claimed.refresh_from_db()
    assert claimed.status == "FAILED"
    assert claimed.exception_class_path.endswith("WorkerLost")
    assert Event.objects.filter(action="fail_abandoned").count() == 1
