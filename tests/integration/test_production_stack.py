"""The production stack, for real: gunicorn with two processes, a separate task worker,
PostgreSQL, Redis for cache and sessions, and S3-compatible object storage.

Everything is configured the way docs/deployment.md says, by environment variables only.
The S3 server is moto's, on loopback; PostgreSQL and Redis are the machine's own. The
journey goes over HTTP as a browser would (CSRF tokens included): the applicant submits
with an attachment, the reviewer recommends, the summary table is rendered by the
separate worker into the bucket and downloaded through the permission-checked view.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
import requests
from django.conf import global_settings
from django.db import connection
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.applications.models import Application
from keyprojects.orgs.models import Authority
from keyprojects.review.models import SummaryTable
from keyprojects.settings import object_storage

from .. import s3
from ..factories import PASSWORD, make_application, make_organisation, make_user

ROOT = Path(__file__).resolve().parents[2]
BUCKET = "keyprojects-integration"
REDIS_URL = "redis://127.0.0.1:6379/14"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the production stack runs on PostgreSQL; run with DATABASE_URL",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _production_password_hasher(settings):
    """The server here runs in its own process on production's settings, so the accounts the
    test makes must carry production's password hash, not the suite's fast one."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS


@pytest.fixture
def s3_endpoint():
    with s3.moto_server() as endpoint:
        client = s3.client(endpoint)
        client.create_bucket(Bucket=BUCKET)
        yield endpoint, client


@pytest.fixture
def stack(s3_endpoint, tmp_path, settings):
    endpoint, bucket = s3_endpoint
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": REDIS_URL,
        **s3.environment(endpoint, BUCKET),
        "KEYPROJECTS_VAR_DIR": str(tmp_path / "var"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
    }
    (tmp_path / "metrics").mkdir()
    # The test's own writes (the factories) go to the same bucket as the servers'.
    settings.STORAGES = {**settings.STORAGES, "default": object_storage(env)}
    redis.Redis.from_url(REDIS_URL).flushdb()
    port = free_port()
    app = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "keyprojects.wsgi", "--pythonpath", "src",
            "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
        ],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--queue-name", "*", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until(lambda: requests.get(f"{base}/healthz", timeout=10).status_code == 200, 60)
        yield base, bucket
    finally:
        for process in (app, worker):
            process.send_signal(signal.SIGTERM)
        for process in (app, worker):
            process.wait(timeout=30)


def _wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"not reached within {seconds} s")


def login(base, user, *, second_factor=False) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}{reverse('login')}")
    response = session.post(
        f"{base}{reverse('login')}",
        data={
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),
        },
        headers={"Referer": f"{base}{reverse('login')}"},
    )
    assert response.status_code == 200 and "退出" in response.text
    asked = urlsplit(response.url).path == reverse("experts:verify")
    assert asked == second_factor  # staff, and only staff, under production's roles
    if asked:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
        verified = post(session, base, reverse("experts:verify"), {"token": code})
        assert urlsplit(verified.url).path != reverse("experts:verify")
    return session


def post(session, base, path, data=None):
    token = session.cookies["csrftoken"]
    return session.post(
        f"{base}{path}",
        data={**(data or {}), "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}{path}"},
    )


def test_the_journey_on_postgresql_redis_object_storage_and_a_separate_worker(call, stack):
    applicant = make_user(make_organisation(seat="320322"))  # 沛县
    reviewer = make_user(None, authority=Authority.objects.get(name="徐州市沛县信息化主管部门"))
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)
    application = make_application(call, applicant, name="沛县智慧农业平台（集成测试）")
    base, bucket = stack

    as_applicant = login(base, applicant)
    submitted = post(as_applicant, base, reverse("applications:submit", args=[application.pk]))
    assert submitted.status_code == 200
    application.refresh_from_db()
    assert application.status == "submitted"

    as_reviewer = login(base, reviewer, second_factor=True)
    post(
        as_reviewer,
        base,
        reverse("review:decide", args=[application.pk]),
        {"action": "recommend", "reason": "同意推荐"},
    )
    assert Application.objects.get(pk=application.pk).status == "recommended"
    post(as_reviewer, base, reverse("review:generate_table", args=[call.slug]))
    table = SummaryTable.objects.get()

    def rendered():
        table.refresh_from_db()
        return table.state == SummaryTable.State.READY

    _wait_until(rendered, 120)  # by the worker process, not by this one
    pdf = as_reviewer.get(f"{base}{reverse('review:table_pdf', args=[table.pk])}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert f"media/{table.pdf.name}" in keys and f"media/{table.xlsx.name}" in keys
    attachment = application.attachments.get()
    assert f"media/{attachment.file.name}" in keys
    # Another applicant's session cannot reach the table, whichever process answers.
    outsider = login(base, make_user(make_organisation(seat="320102")))
    assert outsider.get(f"{base}{reverse('review:table_pdf', args=[table.pk])}").status_code == 404

    sessions = redis.Redis.from_url(REDIS_URL).keys("*django.contrib.sessions.cache*")
    assert len(sessions) >= 3  # the sessions live in Redis, shared by both app processes
    health = requests.get(f"{base}/healthz").json()
    assert health == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "worker": "ok"},
    }
    metrics = requests.get(f"{base}/metrics").text
    assert re.search(r'keyprojects_tasks\{status="successful"\} 1\.0', metrics)
    logins = re.search(
        r'keyprojects_http_requests_total\{method="POST",status="3xx",view="login"\} (\d+)',
        metrics,
    )
    assert logins and float(logins.group(1)) == 3  # summed over both processes' files
