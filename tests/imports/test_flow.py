"""The shared import flow itself (keyprojects.imports): what a stage keeps and how, the
confirmation as a background task with its progress page, an import refused because the
data changed since the preview, a failure that writes nothing, expiry, the audit trail and
who may open the pages. Tried with the organisations importer unless said otherwise."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.audit.models import Event
from keyprojects.core.clock import now
from keyprojects.imports import domain
from keyprojects.imports.base import Column, Importer, ImportRefused
from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.imports import ORGANISATIONS
from keyprojects.orgs.models import Organisation
from keyprojects.tracking.imports import PROJECTS
from keyprojects.tracking.models import TrackedProject

from ..factories import PASSWORD, credit_code, make_user
from .conftest import good_row, good_sheet, header, upload, url, xlsx

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def raw_rows(batch) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT rows FROM imports_importbatch WHERE id = %s", [batch.pk.hex])
        return cursor.fetchone()[0]


def test_the_stage_keeps_every_row_with_what_is_wrong_encrypted_at_rest(client, office):
    client.force_login(office)
    bad = good_row("orgs", 2)
    bad[1], bad[7] = "91320102MA1XYW0010", "1234"  # check character, phone
    batch = upload(client, ORGANISATIONS, xlsx(header(ORGANISATIONS), [good_row("orgs", 1), bad]))

    assert (batch.total_count, batch.rejected_count, batch.uploaded_by) == (2, 1, office)
    [row] = batch.bad_rows
    assert row["number"] == 3
    assert row["errors"] == [
        {
            "column": "统一社会信用代码",
            "message": "统一社会信用代码校验位不正确，请核对营业执照或登记证书上的代码。",
            "fix": "请按营业执照或登记证书填写18位代码",
        },
        {
            "column": "联系电话",
            "message": "联系电话格式不正确",
            "fix": "请填写手机号码或带区号的固定电话",
        },
    ]
    stored = raw_rows(batch)
    assert stored.startswith("SM4:") and "contact1@example.com" not in stored
    event = Event.objects.get(target_id=str(batch.pk), action="preview")
    assert (event.actor, event.data["rows"], event.data["rejected"]) == (office, 2, 1)


def test_the_preview_page_shows_row_column_problem_and_fix_and_filters_rows(client, office):
    client.force_login(office)
    bad = good_row("orgs", 2)
    bad[3] = "鼓楼区"  # in 南京 and in 徐州
    batch = upload(client, ORGANISATIONS, xlsx(header(ORGANISATIONS), [good_row("orgs", 1), bad]))

    page = client.get(url(ORGANISATIONS, "report", batch)).content.decode()
    errors_only = client.get(url(ORGANISATIONS, "report", batch) + "?show=errors")

    assert "<strong>所在地区</strong>：江苏省有不止一个“鼓楼区”" in page
    assert "修改方法：请写上设区市，如“南京市鼓楼区”" in page
    assert "导入测试单位1" in page and "可导入" in page
    assert [r["number"] for r in errors_only.context["rows"]] == [3]
    assert reverse("orgs:import_errors", args=[batch.pk]) in page


def test_only_the_optional_columns_present_are_read(client, office):
    client.force_login(office)
    with_content = xlsx(
        [*header(PROJECTS), "建设内容或项目简介"], [[*good_row("tracking", 1), "中台"]]
    )
    without = good_sheet("tracking", count=1)

    assert upload(client, PROJECTS, with_content).columns[-1] == "建设内容或项目简介"
    assert upload(client, PROJECTS, without).columns == header(PROJECTS)


def test_a_confirmation_is_queued_once_and_its_page_shows_progress(client, office, settings):
    settings.TASKS = DUMMY  # the worker has not picked the task up yet
    client.force_login(office)
    batch = upload(client, ORGANISATIONS, good_sheet("orgs"))

    client.post(url(ORGANISATIONS, "confirm", batch))
    client.post(url(ORGANISATIONS, "confirm", batch))  # a double click

    batch.refresh_from_db()
    assert batch.state == "queued"
    assert Event.objects.filter(target_id=str(batch.pk), action="confirm").count() == 1
    page = client.get(url(ORGANISATIONS, "report", batch)).content.decode()
    assert f'hx-get="{url(ORGANISATIONS, "progress", batch)}"' in page
    assert 'hx-trigger="every 1s"' in page and 'data-progress="0"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (CSP)
    partial = client.get(url(ORGANISATIONS, "progress", batch))
    assert partial.status_code == 200 and 'id="import-progress"' in partial.content.decode()

    assert domain.run(str(batch.pk)) == "imported"  # what the worker does
    assert domain.run(str(batch.pk)) == "skipped"  # a retried task
    done = client.get(url(ORGANISATIONS, "progress", batch), HTTP_HX_REQUEST="true")
    assert done["HX-Redirect"] == url(ORGANISATIONS, "report", batch)
    assert Organisation.objects.filter(name__startswith="导入测试单位").count() == 2


def test_progress_moves_through_the_steps():
    batch = ImportBatch()
    batch.step, batch.progress_done, batch.progress_total = "checking", 1, 2
    assert batch.percent == 5 + 35 // 2
    batch.step = "writing"
    assert batch.percent == 40
    batch.step, batch.progress_done, batch.progress_total = "notifying", 2, 2
    assert batch.percent == 100


def test_rows_imported_since_the_preview_send_it_back_to_the_preview(client, office):
    client.force_login(office)
    row = good_row("tracking", 1)
    first = upload(client, PROJECTS, xlsx(header(PROJECTS), [row, good_row("tracking", 2)]))
    second = upload(client, PROJECTS, xlsx(header(PROJECTS), [row]))
    client.post(url(PROJECTS, "confirm", second))

    response = client.post(url(PROJECTS, "confirm", first), follow=True)

    assert "自检查以来已有项目导入，部分行现在重复" in response.content.decode()
    first.refresh_from_db()
    assert (first.state, first.rejected_count, TrackedProject.objects.count()) == (
        "previewed",
        1,
        1,
    )
    assert Event.objects.filter(target_id=str(first.pk), action="refuse").exists()


class Failing(Importer):
    """Writes one organisation, then fails: nothing of it may remain."""

    key = "orgs.failing"
    columns = [Column("单位名称")]

    def check_row(self, row, problems, context):
        return {}

    def write(self, rows, *, batch, by):
        Organisation.objects.create(
            name="半途而废的单位",
            credit_code=credit_code(),
            kind="enterprise",
            seat_id="320102",
            address="地址",
            legal_representative="甲",
            contact_name="乙",
            contact_phone="025-1234567",
            contact_email="a@example.com",
        )
        raise RuntimeError("disk full")


def test_a_failing_import_writes_nothing_and_says_so(office):
    from keyprojects.imports.base import register

    importer = register(Failing())
    batch = domain.stage_rows(
        importer, [{"number": 2, "values": {"单位名称": "甲"}}], by=office, file_name="x.xlsx"
    )

    domain.start(batch, by=office)  # the task runs at once here, and fails

    batch.refresh_from_db()
    assert batch.state == "failed" and "未导入任何行" in batch.message
    assert not Organisation.objects.filter(name="半途而废的单位").exists()
    assert Event.objects.filter(target_id=str(batch.pk), action="fail").exists()


def test_an_unconfirmed_stage_expires_and_is_purged(client, office):
    client.force_login(office)
    stale = upload(client, ORGANISATIONS, good_sheet("orgs", count=1))
    done = upload(client, PROJECTS, good_sheet("tracking", count=1))
    client.post(url(PROJECTS, "confirm", done))
    ImportBatch.objects.update(expires_at=now())

    assert client.get(url(ORGANISATIONS, "report", stale)).status_code == 410
    with pytest.raises(ImportRefused, match="已过期"):
        domain.start(stale, by=office)

    call_command("purge_import_stages")
    assert list(ImportBatch.objects.all()) == [done]  # what was imported stays on record
    assert Event.objects.get(action="purge").data == {"count": 1}


def test_a_batch_with_no_good_row_cannot_be_confirmed(client, office):
    client.force_login(office)
    blank = [""] * len(header(ORGANISATIONS))
    blank[0] = "只有名称"
    batch = upload(client, ORGANISATIONS, xlsx(header(ORGANISATIONS), [blank]))

    response = client.post(url(ORGANISATIONS, "confirm", batch), follow=True)

    assert "没有可导入的行" in response.content.decode()
    batch.refresh_from_db()
    assert batch.state == "previewed"


def test_the_import_is_audited_with_its_counts(client, office):
    client.force_login(office)
    batch = upload(client, ORGANISATIONS, good_sheet("orgs"))
    client.post(url(ORGANISATIONS, "confirm", batch))

    event = Event.objects.get(target_id=str(batch.pk), action="import")
    assert event.actor == office and event.to_state == "imported"
    assert {k: event.data[k] for k in ("created", "updated", "unchanged", "rejected")} == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }
    assert event.data["importer"] == "orgs.organisations" and event.data["invited"] == 2


@pytest.mark.parametrize("who", ["anonymous", "applicant", "reviewer"])
def test_only_those_the_importer_allows_reach_its_pages(client, office, who, organisation):
    if who == "anonymous":
        response = client.get(url(ORGANISATIONS))
        assert response.status_code == 302 and "/accounts/login/" in response.url
        return
    from keyprojects.orgs.models import Authority

    user = (
        make_user(organisation)
        if who == "applicant"
        else make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))
    )
    assert client.login(username=user.username, password=PASSWORD)
    assert client.get(url(ORGANISATIONS)).status_code == 404
    assert client.get(url(ORGANISATIONS, "template")).status_code == 404


def test_the_report_follows_the_emails_until_they_are_sent(client, office):
    client.force_login(office)
    batch = upload(client, ORGANISATIONS, good_sheet("orgs", count=1))
    client.post(url(ORGANISATIONS, "confirm", batch))
    batch.refresh_from_db()
    assert (batch.state, batch.step) == ("imported", "done")
    assert client.get(url(ORGANISATIONS, "progress", batch)).status_code == 302

    # As the task leaves it between its commit and the last e-mail:
    ImportBatch.objects.filter(pk=batch.pk).update(
        step="notifying", progress_done=3, progress_total=10
    )
    report = client.get(url(ORGANISATIONS, "report", batch)).content.decode()
    assert 'id="import-counts"' in report and 'id="import-progress"' in report
    partial = client.get(url(ORGANISATIONS, "progress", batch)).content.decode()
    assert "已导入 · 正在发送通知邮件（3 / 10）" in partial and 'data-progress="86"' in partial


def test_a_cell_that_looks_like_a_formula_comes_back_as_text(client, office):
    client.force_login(office)
    bad = good_row("orgs", 1)
    bad[0], bad[2] = '=HYPERLINK("http://evil.example")', "外资企业"
    sheet = xlsx(header(ORGANISATIONS), [bad])
    workbook = load_workbook(sheet)
    workbook.active["A2"].data_type = "s"  # text in the upload, as a quoted cell in Excel
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = SimpleUploadedFile("单位.xlsx", buffer.getvalue())
    batch = upload(client, ORGANISATIONS, sheet)
    assert batch.rows[0]["values"]["单位名称"] == '=HYPERLINK("http://evil.example")'

    content = client.get(url(ORGANISATIONS, "errors", batch)).content

    cell = load_workbook(io.BytesIO(content)).active["A2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil.example")', "s")
