"""`/healthz`: can this app server do its work? For the load balancer and the monitoring.

Checks the database, the cache, the file storage, that a task worker has shown signs of
life recently and, when uploads are scanned, that ClamAV's daemon answers. Answers 200
when all are well and 503 otherwise, with one word per check and no details (the endpoint
is unauthenticated; the logs have the reasons).
"""

import datetime as dt
import logging
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from keyprojects.documents import antivirus

from .clock import now
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A worker beats every 10 s (core/management/commands/worker.py); three missed beats and more.
WORKER_SILENT_AFTER = dt.timedelta(seconds=45)
PROBE_PREFIX = "healthz/"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)


def check_storage() -> None:
    name = default_storage.save(f"{PROBE_PREFIX}{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as f:
            if f.read() != b"ok":
                raise RuntimeError("the storage did not return what was stored")
    finally:
        default_storage.delete(name)


def check_antivirus() -> None:
    """clamd answers PING (uploads are refused while it does not)."""
    antivirus.ping()


def check_worker() -> None:
    if not WorkerHeartbeat.objects.filter(beat_at__gte=now() - WORKER_SILENT_AFTER).exists():
        raise RuntimeError("no task worker has beaten recently")


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "worker": check_worker,
    "antivirus": check_antivirus,  # only when uploads are scanned (KEYPROJECTS_CLAMD_SOCKET)
}


def active_checks() -> dict:
    if antivirus.configured():
        return CHECKS
    return {name: check for name, check in CHECKS.items() if name != "antivirus"}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in active_checks().items():
        try:
            check()
            results[name] = "ok"
        except Exception:  # any failure means "not healthy"; the log keeps the cause
            logger.exception("health check %s failed", name)
            results[name] = "fail"
    return results


@never_cache
@require_GET
def healthz(request):
    checks = run_checks()
    healthy = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503
    )
