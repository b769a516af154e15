"""`manage.py worker`: django-tasks-db's worker, plus a heartbeat for /healthz.

Takes every option `db_worker` takes. Several can run on several machines against
PostgreSQL: a task is claimed under a row lock (SELECT … FOR UPDATE SKIP LOCKED) and run by
exactly one of them. When it starts and at every heartbeat, a worker puts back in the queue
the tasks of workers that died while running them (core/task_recovery.py).
"""

import logging
import os
import socket
import threading
import time

from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from keyprojects.core import planner
from keyprojects.core.clock import now
from keyprojects.core.models import WorkerHeartbeat
from keyprojects.core.task_recovery import requeue_abandoned

HEARTBEAT_SECONDS = 10
logger = logging.getLogger(__name__)


class Command(DatabaseWorkerCommand):
    help = "运行后台任务工作进程（带心跳）。"

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        stop = threading.Event()
        beat(worker_id, started=True)
        requeue_abandoned()
        planner.gather_statistics()
        thread = threading.Thread(
            target=_beat_until, args=(worker_id, stop), name="heartbeat", daemon=True
        )
        thread.start()
        try:
            return super().handle(*args, **options)
        finally:
            stop.set()
            thread.join(timeout=HEARTBEAT_SECONDS)
            WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def beat(worker_id: str, *, started: bool = False) -> None:
    at = now()
    defaults = {"hostname": socket.gethostname(), "pid": os.getpid(), "beat_at": at}
    if started:
        defaults["started_at"] = at
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults=defaults, create_defaults={**defaults, "started_at": at}
    )


def _beat_until(worker_id: str, stop: threading.Event) -> None:
    # Its own database connection (one per thread), closed when the worker stops.
    analysed_at = time.monotonic()
    try:
        while not stop.wait(HEARTBEAT_SECONDS):
            close_old_connections()
            beat(worker_id)
            if time.monotonic() - analysed_at >= planner.EVERY_SECONDS:
                analysed_at = time.monotonic()
                try:
                    planner.gather_statistics()
                except Exception:  # an optimisation: the next hour tries again
                    logger.exception("gathering the query planner's statistics failed")
            try:
                requeue_abandoned()
            except Exception:  # the heartbeat must go on; the next beat tries again
                logger.exception("requeueing abandoned tasks failed")
    finally:
        connection.close()
