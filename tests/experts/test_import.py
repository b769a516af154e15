"""The office imports the expert pool from XLSX, row by row, with a report of rejected rows
(the shared import flow: upload and preview, then confirm)."""

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from keyprojects.audit.models import Event
from keyprojects.core.crypto import digest
from keyprojects.experts.imports import COLUMNS
from keyprojects.experts.models import Expert
from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.models import User

from ..factories import credit_code
from .conftest import make_expert

pytestmark = pytest.mark.django_db


def sheet(*rows, header=COLUMNS):
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("experts.xlsx", buffer.getvalue())


@pytest.fixture
def rows(call):
    """Two good rows and one for each way a row can be wrong."""
    good, other = credit_code("12320000MB"), credit_code("12321100MB")
    both = "数字治理类、网络安全类"
    return [
        ["张明", "东南大学", good, "南京市", both, "13900000001", "Zhang@Example.com"],
        ["李红", "江苏大学", other, "镇江", "数字基建", "0511-88780000", "li@example.com"],
        ["王五", "某公司", "91320102MA1XYW00X", "火星市", "数字农业类", "abc", "not-an-email"],
        ["", "无名单位", good, "苏州市", "数字经济类", "13900000004", "none@example.com"],
        ["赵六", "重复单位", good, "无锡市", "数字经济类", "13900000005", "zhang@example.com"],
        ["", "", "", "", "", "", ""],  # blank rows are skipped
        ["钱七", "已在库单位", good, "常州市", "网络安全类", "13900000006", "pool@example.com"],
    ]  # fmt: skip


def upload(client, rows):
    """Upload the sheet: the preview page, and the batch awaiting confirmation."""
    response = client.post(reverse("experts:import"), {"file": sheet(*rows)})
    batch = ImportBatch.objects.get()
    assert response.url == reverse("experts:import_report", args=[batch.pk])
    return client.get(response.url), batch


def test_the_preview_reports_each_rejected_row_and_writes_nothing(client, office, rows):
    make_expert(account=False, email="pool@example.com")
    client.force_login(office)

    response, batch = upload(client, rows)

    assert response.status_code == 200
    page = response.content.decode()
    assert "共 6 行：可导入 2 行，有错误 4 行。" in page
    report = {row["number"]: [e["message"] for e in row["errors"]] for row in batch.rows}
    assert report[2] == [] and report[3] == []
    assert "统一社会信用代码" in " ".join(report[4])
    assert "所在设区市“火星市”不是江苏省的设区市" in report[4]
    assert any("评审领域“数字农业类”不是工程类别" in e for e in report[4])
    assert "手机号码格式不正确" in report[4] and "电子邮箱格式不正确" in report[4]
    assert report[5] == ["“姓名”不能为空"]
    assert report[6] == ["电子邮箱在表中重复"]
    assert report[8] == ["该专家已在专家库中（电子邮箱相同）"]
    assert Expert.objects.count() == 1
    assert not User.objects.filter(username="zhang@example.com").exists()


def test_import_creates_experts_with_accounts_and_a_set_password_mail(client, office, rows):
    client.force_login(office)
    _page, batch = upload(client, rows)

    response = client.post(reverse("experts:import_confirm", args=[batch.pk]))

    assert response.status_code == 302
    zhang = Expert.objects.get(email_digest=digest("zhang@example.com"))
    assert (zhang.name, zhang.city.name, zhang.category_codes) == (
        "张明",
        "南京市",
        ["cybersecurity", "digital_governance"],
    )
    li = Expert.objects.get(email_digest=digest("li@example.com"))
    assert (li.city.name, li.category_codes) == ("镇江市", ["digital_infrastructure"])
    assert zhang.user.username == "zhang@example.com"
    assert not zhang.user.has_usable_password()
    assert Event.objects.filter(action="import_expert", actor=office).count() == 3
    assert len(mail.outbox) == 3  # 张明, 李红 and 钱七 (nobody of that e-mail in the pool here)
    body = mail.outbox[0].body
    assert "认证器" in body
    link = re.search(r"http://\S+(/accounts/reset/\S+/)", body).group(1)
    client.logout()
    form_url = client.get(link).url
    client.post(
        form_url, {"new_password1": "Expert-pass-5521", "new_password2": "Expert-pass-5521"}
    )
    assert client.login(username=mail.outbox[0].to[0], password="Expert-pass-5521")


def test_a_sheet_without_the_columns_is_refused(client, office):
    client.force_login(office)
    response = client.post(reverse("experts:import"), {"file": sheet(["张明"], header=["姓名"])})
    assert "表头缺少列：工作单位、统一社会信用代码、所在设区市" in response.content.decode()


def test_not_an_xlsx_is_refused(client, office):
    client.force_login(office)
    response = client.post(
        reverse("experts:import"), {"file": SimpleUploadedFile("x.xlsx", b"plain text")}
    )
    assert "请上传 Excel（.xlsx）文件" in response.content.decode()
    assert not Expert.objects.exists()
