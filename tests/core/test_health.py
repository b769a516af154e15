"""/healthz answers for the load balancer: database, cache, storage and a live worker."""

import datetime as dt

import pytest
import time_machine
from django.core.files.storage import default_storage

from keyprojects.core.clock import now
from keyprojects.core.management.commands.worker import beat
from keyprojects.core.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthy_when_a_worker_has_beaten(client):
    beat("worker-a", started=True)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"},
    }
    _, probes = default_storage.listdir("healthz")
    assert probes == []  # the storage probe leaves nothing behind


def test_unhealthy_without_a_worker_or_after_it_goes_silent(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "fail"

    beat("worker-a", started=True)
    with time_machine.travel(now() + dt.timedelta(minutes=1)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "fail"


def test_a_broken_storage_makes_it_unhealthy(client, settings, tmp_path):
    beat("worker-a", started=True)
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocked

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "fail"
    assert response.json()["checks"]["database"] == "ok"


def test_a_heartbeat_updates_the_row_and_keeps_the_start(client):
    beat("worker-a", started=True)
    started = WorkerHeartbeat.objects.get().started_at
    with time_machine.travel(now() + dt.timedelta(seconds=30)):
        beat("worker-a")
    row = WorkerHeartbeat.objects.get()
    assert row.started_at == started
    assert row.beat_at > started
