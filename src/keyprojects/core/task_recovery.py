"""Tasks whose worker died are run again.

django-tasks-db marks a task RUNNING when a worker claims it and SUCCESSFUL or FAILED when
the task returns; a worker killed in between (SIGKILL, out of memory, a machine lost)
leaves it RUNNING for ever. Every `manage.py worker` therefore looks, when it starts and at
each heartbeat, for running tasks whose worker has gone silent (no heartbeat for
WORKER_SILENT_AFTER; for a worker without heartbeats, claimed that long ago) and puts them
back in the queue, up to MAX_ATTEMPTS claims; after that the task is marked failed.
The tasks themselves are idempotent (review/tasks.py: a version is rendered once), so a
worker that was only slow and finishes after all does no harm.
"""

import logging

from django.db import transaction
from django_tasks_db.models import DBTaskResult

from .clock import now
from .health import WORKER_SILENT_AFTER
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3


class WorkerLost(Exception):
    """The worker running the task stopped answering before it finished, too often."""


def requeue_abandoned() -> tuple[int, int]:
    """Requeue (or, after MAX_ATTEMPTS claims, fail) the running tasks of silent workers.

    Returns (requeued, failed). Rows are locked and skipped if another worker holds them,
    so several workers may do this at once.
    """
    at = now()
    silent_since = at - WORKER_SILENT_AFTER
    heartbeats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    requeued, failed = [], []
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(status="RUNNING")
        for result in running:
            claimer = result.worker_ids[-1] if result.worker_ids else None
            last_sign = heartbeats.get(claimer, result.started_at)
            if last_sign is not None and last_sign >= silent_since:
                continue
            if len(result.worker_ids) >= MAX_ATTEMPTS:
                result.set_failed(WorkerLost(f"worker {claimer} lost the task"))
                failed.append(result)
            else:
                result.status, result.started_at = "READY", None
                result.save(update_fields=["status", "started_at"])
                requeued.append(result)
    for result in requeued + failed:
        logger.warning(
            "task %s (%s) of silent worker %s %s",
            result.pk,
            result.task_path,
            result.worker_ids[-1] if result.worker_ids else "?",
            "requeued" if result.status == "READY" else "failed",
        )
    if requeued or failed:
        _record(requeued, failed)
    return len(requeued), len(failed)


def _record(requeued, failed) -> None:
    from keyprojects.audit.domain import event, record_many

    record_many(
        [
            event(
                "task",
                result.pk,
                "requeue_abandoned" if result in requeued else "fail_abandoned",
                data={"task": result.task_path, "workers": result.worker_ids},
            )
            for result in requeued + failed
        ]
    )
