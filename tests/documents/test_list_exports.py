"""Exports of lists (documents/exports.py), through the office's list of recommended
applications: small ones come straight back, large ones are built by the worker with a
progress page; the file is its requester's alone and expires; every request is audited;
the queries do not grow with the rows."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.applications.workflow import Status
from keyprojects.audit.models import Event
from keyprojects.core.clock import china_time, now
from keyprojects.documents import exports
from keyprojects.documents.models import ListExport
from keyprojects.documents.tasks import build_export

from ..exports import _data, about_of, export, read_xlsx, rows_of, sheet_rows
from ..factories import make_office, make_user

STAGES = [Status.RECOMMENDED, Status.CHECK_PASSED]
LIST = "selection_overview"


@pytest.fixture
def applicants(regions):
    return _data.organisations_with_users(4, seats=_data.county_seats()[:20])


def add(call, applicants, office, n):
    return _data.applications_at_stages(call, applicants, n, office=office, statuses=STAGES)


def params(call, **more):
    return {"call": call.slug, **more}


def test_a_small_export_comes_straight_back_with_the_filtered_rows(
    client, call, office, applicants
):
    rows = add(call, applicants, office, 8)
    chosen = rows[0].category  # the rows' categories are drawn at random
    client.force_login(office)

    response = export(client, LIST, params(call, category=chosen.pk, sort="-investment"))

    exported = sheet_rows(response)
    wanted = sorted(
        (a for a in rows if a.category_id == chosen.pk),
        key=lambda a: a.total_investment - a.civil_works_investment,
        reverse=True,
    )
    assert [r["项目名称"] for r in exported] == [a.name for a in wanted]
    first, application = exported[0], wanted[0]
    # Money is a number in 万元, times are China Standard Time.
    assert first["总投资（万元）"] == pytest.approx(float(application.total_investment))
    assert first["信息化投资（万元）"] == pytest.approx(
        float(application.informatisation_investment)
    )
    shown = china_time(application.submitted_at).replace(tzinfo=None)
    assert abs(first["提交时间"] - shown) < dt.timedelta(seconds=1)
    assert response["Content-Disposition"].startswith("attachment")
    saved = ListExport.objects.get()
    assert (saved.direct, saved.rows, saved.requested_by) == (True, len(wanted), office)
    assert f"类别：{chosen.name}" in saved.description and "信息化投资（降序）" in saved.description


def test_the_export_says_what_it_holds(client, call, office, applicants):
    add(call, applicants, office, 2)
    client.force_login(office)

    response = export(client, LIST, params(call, state="passed"))

    content = b"".join(response.streaming_content)
    sheet = read_xlsx(content).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    money = sheet.cell(row=2, column=header.index("总投资（万元）") + 1)
    assert money.number_format == "#,##0.00" and money.data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    about = about_of(content)
    assert about["筛选条件"] == "审查状态：已通过"
    assert about["导出人"] == str(office)
    assert about["行数"] == "1"


def test_every_export_is_audited_with_its_filters_and_rows(client, call, office, applicants):
    add(call, applicants, office, 4)
    client.force_login(office)

    export(client, LIST, params(call, state="pending"))

    event = Event.objects.get(action="export_list")
    saved = ListExport.objects.get()
    assert (event.actor, event.target_id) == (office, str(saved.pk))
    assert event.data["listing"] == LIST
    assert event.data["rows"] == 2
    assert event.data["filters"] == "审查状态：待审查"
    assert ["state", "pending"] in event.data["params"]


def test_bad_parameters_are_refused_with_a_message(client, call, office, applicants):
    add(call, applicants, office, 2)
    client.force_login(office)

    response = export(client, LIST, params(call, sort="password", category="x"))

    assert response.status_code == 302
    # Back to the list with what was asked, for the page to show what is wrong.
    overview = reverse("selection:overview", args=[call.slug])
    assert response["Location"] == f"{overview}?sort=password&category=x"
    message = str(next(iter(response.wsgi_request._messages)))
    assert "筛选条件有误" in message and "不能按“password”排序" in message
    assert not ListExport.objects.exists()


def test_a_list_the_user_may_not_see_cannot_be_exported(client, call, applicant):
    client.force_login(applicant)
    assert export(client, LIST, params(call)).status_code == 404
    assert export(client, "no_such_list", params(call)).status_code == 404
    assert not ListExport.objects.exists()


# --- Large exports: the worker ---------------------------------------------------------------


@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 3


def test_a_large_export_is_built_in_the_background_and_downloaded(
    client, call, office, applicants, small_threshold
):
    rows = add(call, applicants, office, 5)
    client.force_login(office)

    response = export(client, LIST, params(call, sort="name"))

    saved = ListExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:export", args=[saved.pk])
    assert (saved.direct, saved.state, saved.done) == (False, ListExport.State.READY, 5)
    page = client.get(response["Location"]).content.decode()
    assert reverse("documents:export_download", args=[saved.pk]) in page
    assert "hx-trigger" not in page  # done: no more polling
    download = client.get(reverse("documents:export_download", args=[saved.pk]))
    content = b"".join(download.streaming_content)
    assert [r["项目名称"] for r in rows_of(content)] == sorted(a.name for a in rows)


def test_only_the_requester_may_see_or_download_an_export(
    client, call, office, applicants, small_threshold
):
    add(call, applicants, office, 5)
    client.force_login(office)
    export(client, LIST, params(call))
    saved = ListExport.objects.get()

    colleague = make_office()  # the same role, the same list: still not theirs
    client.force_login(colleague)
    for name in ["documents:export", "documents:export_status", "documents:export_download"]:
        assert client.get(reverse(name, args=[saved.pk])).status_code == 404
    assert str(saved.pk) not in client.get(reverse("documents:exports")).content.decode()


def test_an_export_expires(client, call, office, applicants, small_threshold, settings):
    add(call, applicants, office, 5)
    client.force_login(office)
    export(client, LIST, params(call))
    saved = ListExport.objects.get()
    url = reverse("documents:export_download", args=[saved.pk])
    assert client.get(url).status_code == 200

    later = now() + dt.timedelta(days=settings.EXPORT_KEEP_DAYS, minutes=1)
    with time_machine.travel(later, tick=False):
        client.force_login(office)
        assert client.get(url).status_code == 410
        assert exports.purge_expired() == 1
    saved.refresh_from_db()
    assert not saved.file


def test_the_progress_page_polls_while_the_export_waits(client, call, office, applicants):
    add(call, applicants, office, 3)
    waiting = ListExport.objects.create(
        listing=LIST,
        title="形式审查项目",
        params=[["call", call.slug]],
        requested_by=office,
        rows=3000,
        done=1200,
        state=ListExport.State.RUNNING,
        expires_at=now() + dt.timedelta(days=7),
    )
    client.force_login(office)

    fragment = client.get(reverse("documents:export_status", args=[waiting.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in fragment
    assert 'data-progress="40"' in fragment and "1200 / 3000" in fragment
    assert "<script" not in fragment  # the CSP forbids inline script


def test_a_requester_who_lost_access_gets_a_failed_export(client, call, office, applicants):
    add(call, applicants, office, 3)
    nobody = make_user(None)  # had the list once (say), is no longer in the office
    queued = ListExport.objects.create(
        listing=LIST,
        title="形式审查项目",
        params=[["call", call.slug]],
        requested_by=nobody,
        rows=3,
        expires_at=now() + dt.timedelta(days=7),
    )
    build_export.call(str(queued.pk))

    queued.refresh_from_db()
    assert queued.state == ListExport.State.FAILED and not queued.file


def test_an_export_whose_worker_died_is_written_by_the_next(call, office, applicants):
    add(call, applicants, office, 3)
    interrupted = ListExport.objects.create(
        listing=LIST,
        title="形式审查项目",
        params=[["call", call.slug]],
        requested_by=office,
        rows=3,
        done=1,
        state=ListExport.State.RUNNING,
        expires_at=now() + dt.timedelta(days=7),
    )

    assert build_export.call(str(interrupted.pk)) == ListExport.State.READY
    interrupted.refresh_from_db()
    written = interrupted.file.name
    build_export.call(str(interrupted.pk))  # a retry of a finished export writes nothing

    interrupted.refresh_from_db()
    assert interrupted.file.name == written
    assert interrupted.done == 3 and len(rows_of(interrupted.file.read())) == 3


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_queued_export(client, call, office, applicants, settings):
    """End to end with the database task backend and its worker, as `make run` runs them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EXPORT_DIRECT_MAX_ROWS = 3
    rows = add(call, applicants, office, 6)
    client.force_login(office)

    export(client, LIST, params(call))
    saved = ListExport.objects.get()
    assert saved.state == ListExport.State.PENDING
    status = client.get(reverse("documents:export_status", args=[saved.pk])).content.decode()
    assert "排队等待后台任务" in status and 'hx-trigger="every 1s"' in status

    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")

    saved.refresh_from_db()
    assert (saved.state, saved.done) == (ListExport.State.READY, 6)
    assert len(rows_of(saved.file.read())) == len(rows)


# --- A fixed number of queries -------------------------------------------------------------


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def test_a_direct_export_runs_as_many_queries_for_30_rows_as_for_3(
    client, call, office, applicants, django_assert_num_queries
):
    add(call, applicants, office, 3)
    client.force_login(office)
    export(client, LIST, params(call))  # warms the session and the caches
    few = _queries(lambda: sheet_rows(export(client, LIST, params(call))))
    add(call, applicants, office, 27)

    with django_assert_num_queries(few):
        exported = sheet_rows(export(client, LIST, params(call)))

    assert len(exported) == 30


def _queued(call, office):
    return ListExport.objects.create(
        listing=LIST,
        title="形式审查项目",
        params=[["call", call.slug]],
        requested_by=office,
        rows=call.applications.count(),
        expires_at=now() + dt.timedelta(days=7),
    )


def test_a_background_export_runs_as_many_queries_for_40_rows_as_for_12(
    call, office, applicants, django_assert_num_queries
):
    add(call, applicants, office, 12)
    first = ListExport.objects.select_related("requested_by").get(pk=_queued(call, office).pk)
    few = _queries(lambda: exports.build(first))
    add(call, applicants, office, 28)
    queued = ListExport.objects.select_related("requested_by").get(pk=_queued(call, office).pk)

    with django_assert_num_queries(few):
        exports.build(queued)

    assert queued.done == 40
