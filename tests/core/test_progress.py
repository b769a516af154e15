"""The shared progress partial (templates/_progress.html) and the busy note of forms whose
action runs inside the request (static/js/site.js, data-busy)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from keyprojects.core import progress
from keyprojects.core.clock import now


def rendered(**fields):
    return render_to_string("_progress.html", {"job": progress.Job(**fields)})


def test_a_running_job_polls_and_shows_its_step_and_percent():
    html = rendered(
        state=progress.RUNNING,
        title="生成汇总表文件",
        started_at=now(),
        percent=40,
        step="正在排版 PDF",
        expected_seconds=12,
        poll_url="/x/progress/",
    )
    assert 'hx-get="/x/progress/"' in html and 'hx-trigger="every 2s"' in html
    assert 'data-progress="40"' in html and "正在排版 PDF" in html and "预计约 12 秒" in html
    assert "后台任务可能未运行" not in html


def test_a_job_without_percent_shows_a_moving_full_bar():
    html = rendered(state=progress.PENDING, title="相似度计算", poll_url="/x/")
    assert 'data-progress="100"' in html and "aria-valuenow" not in html
    assert "排队中" in html


def test_a_finished_job_stops_polling_and_offers_its_links():
    html = rendered(
        state=progress.DONE,
        title="2020年典型案例汇编（PDF）",
        detail="共 3 个案例。",
        poll_url="/x/",
        links=(("下载汇编 PDF", "/cases/collection/2020.pdf"),),
    )
    assert "hx-get" not in html and "progressbar" not in html
    assert "共 3 个案例。" in html and 'href="/cases/collection/2020.pdf"' in html


def test_a_failed_job_says_what_to_do():
    html = rendered(state=progress.FAILED, title="x", poll_url="/x/")
    assert "hx-get" not in html and "请重试" in html


@pytest.mark.parametrize(
    ("waited", "expected", "overdue"),
    [
        (dt.timedelta(seconds=75), 10, False),  # within 2 × 10 + 60 s
        (dt.timedelta(seconds=85), 10, True),
        (dt.timedelta(minutes=9), None, False),  # no estimate: ten minutes
        (dt.timedelta(minutes=11), None, True),
    ],
)
def test_overdue_after_twice_the_estimate_and_a_minute(waited, expected, overdue):
    job = progress.Job(
        state=progress.RUNNING, title="x", started_at=now() - waited, expected_seconds=expected
    )
    assert job.overdue is overdue
    done = progress.Job(state=progress.DONE, title="x", started_at=now() - waited)
    assert done.overdue is False


def test_the_assignment_run_form_says_it_is_busy(client, call, office):
    client.force_login(office)
    page = client.get(reverse("experts:assignment", args=[call.slug])).content.decode()
    assert 'data-busy="正在计算专家分配' in page
