"""/metrics: Prometheus text for the monitoring network only, counted per view name."""

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from keyprojects.review.tasks import render_summary_table

pytestmark = pytest.mark.django_db


def samples(response):
    found = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_requests_are_counted_by_view_name_not_by_path(client):
    key = (
        "keyprojects_http_requests_total",
        (("method", "GET"), ("status", "2xx"), ("view", "home")),
    )
    before = samples(client.get("/metrics")).get(key, 0)

    client.get(reverse("home"))
    client.get(reverse("home"))
    client.get("/no-such-page/")

    after = samples(client.get("/metrics"))
    assert after[key] == before + 2
    unmatched = (
        "keyprojects_http_requests_total",
        (("method", "GET"), ("status", "4xx"), ("view", "unmatched")),
    )
    assert after[unmatched] >= 1
    assert after[("keyprojects_http_request_duration_seconds_count", (("view", "home"),))] >= 2


def test_the_task_queue_depth_comes_from_the_database(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    render_summary_table.enqueue("00000000-0000-0000-0000-000000000000")
    render_summary_table.enqueue("00000000-0000-0000-0000-000000000001")

    found = samples(client.get("/metrics"))

    assert found[("keyprojects_tasks", (("status", "ready"),))] == 2
    assert found[("keyprojects_tasks", (("status", "running"),))] == 0


def test_refused_outside_the_monitoring_networks(client, settings):
    settings.METRICS_NETWORKS = ["10.8.0.0/24"]
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="10.8.0.5").status_code == 200
