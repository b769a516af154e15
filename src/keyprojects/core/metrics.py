"""`/metrics` in the Prometheus text format: requests, latency and the task queue.

Requests are counted per view name (bounded: never the raw path, which holds object ids).
With several gunicorn workers, set PROMETHEUS_MULTIPROC_DIR (as `make run` and the
deployment units do) so every process writes its counts to files that one scrape sums;
without it each process reports only its own. The queue depth is read from the database
at scrape time, so it is the same whichever process answers.
"""

import os
import time

from django.conf import settings
from django.db.models import Count
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from .network import client_ip, in_networks

REQUESTS = Counter(
    "keyprojects_http_requests_total",
    "HTTP requests answered, by view and status class.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "keyprojects_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it.",
    ["view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10),
)


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else "unmatched"
        LATENCY.labels(view).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, view, f"{response.status_code // 100}xx").inc()
        return response


class TaskQueueCollector:
    """Tasks by state, straight from django-tasks-db's table."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        gauge = GaugeMetricFamily(
            "keyprojects_tasks", "Background tasks by status.", labels=["status"]
        )
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in ("READY", "RUNNING", "FAILED", "SUCCESSFUL"):
            gauge.add_metric([status.lower()], counts.get(status, 0))
        yield gauge


def _registry():
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return REGISTRY


def metrics(request):
    """Only for the monitoring's networks (KEYPROJECTS_METRICS_NETWORKS, loopback by default)."""
    if not in_networks(client_ip(request), settings.METRICS_NETWORKS):
        raise Http404
    registry = _registry()
    queue = CollectorRegistry(auto_describe=True)
    queue.register(TaskQueueCollector())
    body = generate_latest(registry) + generate_latest(queue)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
