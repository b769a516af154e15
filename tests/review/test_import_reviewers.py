"""The office imports reviewer accounts from XLSX, row by row, with a report (the shared
import flow: upload and preview, then confirm)."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.models import User

from ..factories import PASSWORD, make_office

HEADER = ["登录名", "姓名", "电子邮箱", "手机号码", "主管部门"]


def sheet(*rows, header=HEADER):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("reviewers.xlsx", buffer.getvalue())


@pytest.fixture
def office(client, regions):
    user = make_office(is_staff=True)
    client.login(username=user.username, password=PASSWORD)
    return client


ROWS = [
    ["px_zhang", "张审核", "zhang@example.com", "13900000001", "徐州市沛县信息化主管部门"],
    ["bad_mail", "李审核", "not-an-email", "", "南京市信息化主管部门"],
    ["no_dept", "王审核", "wang@example.com", "", "火星市信息化主管部门"],
    ["px_zhang", "重复", "dup@example.com", "", "徐州市信息化主管部门"],
    ["", "", "", "", ""],  # blank rows are skipped
    ["jt_zhao", "赵审核", "zhao@example.com", "", "省交通运输厅"],
]


def upload(office, rows):
    """Upload the sheet: the preview page, and the batch awaiting confirmation."""
    response = office.post(reverse("review:import_reviewers"), {"file": sheet(*rows)})
    batch = ImportBatch.objects.get()
    assert response.url == reverse("review:import_reviewers_report", args=[batch.pk])
    return office.get(response.url), batch


def test_the_preview_reports_each_rejected_row_and_writes_nothing(office):
    response, _batch = upload(office, ROWS)
    page = response.content.decode()
    assert "共 5 行：可导入 2 行，有错误 3 行。" in page
    assert "电子邮箱格式不正确" in page and "火星市信息化主管部门”不存在" in page
    assert "登录名在表中重复" in page
    assert not User.objects.filter(username__in=["px_zhang", "jt_zhao"]).exists()


def test_import_creates_valid_accounts_with_a_set_password_mail(office, client):
    _response, batch = upload(office, ROWS)
    office.post(reverse("review:import_reviewers_confirm", args=[batch.pk]))
    created = User.objects.filter(username__in=["px_zhang", "jt_zhao"])
    assert {u.authority.name for u in created} == {"徐州市沛县信息化主管部门", "省交通运输厅"}
    assert not created[0].has_usable_password()
    assert len(mail.outbox) == 2
    link = re.search(r"http://\S+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    form_url = client.get(link).url
    client.post(
        form_url, {"new_password1": "Reviewer-pass-5521", "new_password2": "Reviewer-pass-5521"}
    )
    user = User.objects.get(email=mail.outbox[0].to[0])
    assert client.login(username=user.username, password="Reviewer-pass-5521")


def test_sheet_without_the_columns_is_refused(office):
    response = office.post(
        reverse("review:import_reviewers"), {"file": sheet(["a"], header=["姓名"])}
    )
    assert "表头缺少列：登录名、电子邮箱、手机号码、主管部门" in response.content.decode()


def test_not_an_xlsx_is_refused(office):
    response = office.post(
        reverse("review:import_reviewers"), {"file": SimpleUploadedFile("x.xlsx", b"plain text")}
    )
    assert "请上传 Excel（.xlsx）文件" in response.content.decode()


def test_only_the_office_may_import(client, county_reviewer):
    client.login(username=county_reviewer.username, password=PASSWORD)
    assert client.get(reverse("review:import_reviewers")).status_code == 404
