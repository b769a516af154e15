"""Summary tables are rendered by a background task, with progress the batch page shows.

These tests use the real database task backend and its worker command (`db_worker`), as
`make run` does, instead of the at-once backend the rest of the suite uses.
"""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from keyprojects.review import domain, tables
from keyprojects.review.models import SummaryTable


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def batch(call, county, county_reviewer, submitted):
    for application in submitted:
        domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    return domain.batch_for(call, county)


def run_worker():
    # The worker closes the database connection between tasks, as in production; the tests
    # that call it therefore run with committed transactions (django_db(transaction=True)).
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")


def progress_fragment(client, table):
    response = client.get(reverse("review:table_progress", args=[table.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_generating_queues_a_task_that_the_worker_runs(
    database_tasks, client, batch, county_reviewer
):
    client.force_login(county_reviewer)

    response = client.post(reverse("review:generate_table", args=[batch.call.slug]))

    assert response.status_code == 302
    table = SummaryTable.objects.get(batch=batch)
    assert (table.state, table.progress) == (SummaryTable.State.PENDING, 0)
    assert not table.pdf
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [str(table.pk)]
    page = client.get(reverse("review:batch", args=[batch.call.slug])).content.decode()
    assert 'role="progressbar"' in page
    assert "排队等待后台任务" in page
    assert 'hx-trigger="every 1s"' in progress_fragment(client, table)

    run_worker()

    table.refresh_from_db()
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert (table.state, table.progress) == (SummaryTable.State.READY, 100)
    assert table.pdf.read().startswith(b"%PDF-")
    assert table.xlsx.read().startswith(b"PK")
    fragment = progress_fragment(client, table)
    assert "hx-trigger" not in fragment  # polling stops once the files are there
    assert reverse("review:table_pdf", args=[table.pk]) in fragment
    assert reverse("review:table_xlsx", args=[table.pk]) in fragment


@pytest.mark.django_db(transaction=True)
def test_a_failed_rendering_is_shown_and_can_be_generated_again(
    database_tasks, client, batch, county_reviewer, monkeypatch
):
    def broken(table):
        raise OSError("disk full")

    monkeypatch.setattr(tables, "render_xlsx", broken)
    table = domain.start_table(batch, by=county_reviewer)

    run_worker()

    table.refresh_from_db()
    assert table.state == SummaryTable.State.FAILED
    assert DBTaskResult.objects.get().status == "FAILED"
    client.force_login(county_reviewer)
    fragment = progress_fragment(client, table)
    assert "生成失败" in fragment
    assert "hx-trigger" not in fragment
    monkeypatch.undo()
    again = domain.start_table(batch, by=county_reviewer)
    run_worker()
    again.refresh_from_db()
    assert again.state == SummaryTable.State.READY


def test_a_task_run_again_does_not_render_a_ready_version_twice(batch, county_reviewer):
    from keyprojects.review.tasks import render_summary_table

    table = domain.start_table(batch, by=county_reviewer)  # rendered at once in tests
    table.refresh_from_db()
    pdf_name = table.pdf.name

    result = render_summary_table.call(str(table.pk))

    table.refresh_from_db()
    assert result == SummaryTable.State.READY
    assert table.pdf.name == pdf_name


@pytest.mark.parametrize(
    ("progress", "step"),
    [
        (0, "排队等待后台任务"),
        (5, "正在生成 XLSX"),
        (15, "正在排版 PDF"),
        (60, "正在排版 PDF"),
        (90, "正在写出 PDF"),
        (100, "已完成"),
    ],
)
def test_the_step_shown_follows_the_progress(progress, step):
    assert SummaryTable(progress=progress).step == step


def test_a_table_waiting_far_longer_than_expected_says_the_worker_may_be_down(
    database_tasks, client, batch, county_reviewer
):
    table = domain.start_table(batch, by=county_reviewer)
    client.force_login(county_reviewer)
    assert "后台任务可能未运行" not in progress_fragment(client, table)

    with time_machine.travel(table.generated_at + datetime.timedelta(minutes=5)):
        fragment = progress_fragment(client, table)

    assert "后台任务可能未运行" in fragment
    assert table.expected_seconds < 60


def test_expected_time_grows_with_the_rows():
    short = SummaryTable(content={"rows": [{}] * 10})
    long = SummaryTable(content={"rows": [{}] * 1000})
    assert short.expected_seconds == 2
    assert long.expected_seconds == 6
