"""Filing an objection on the public page: the good case and every refusal."""

import re
import time

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.notices import spam
from keyprojects.notices.models import Objection
from keyprojects.notifications.models import Notification

from ..factories import pdf_bytes
from .conftest import old_token

pytestmark = pytest.mark.django_db

NEUTRAL = "提交未成功，请稍后重新提交。"


def form(notice, project, **overrides):
    values = {
        "application": str(project.pk),
        "reasons": "该项目建设内容与2018年已验收的项目重复，属于续期建设项目。",
        "name": "张三",
        "phone": "13900000000",
        "email": "zhangsan@example.com",
        "website": "",
        "token": old_token(notice),
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def post(client, notice, data, **extra):
    return client.post(reverse("notices:file_objection", args=[notice.pk]), data, **extra)


def test_a_good_objection_gets_a_receipt(client, notice, listed, office):
    evidence = SimpleUploadedFile("验收报告.pdf", pdf_bytes(), content_type="application/pdf")
    response = post(client, notice, {**form(notice, listed["key"]), "evidence": evidence})
    assert response.status_code == 302
    receipt_page = client.get(response["Location"]).content.decode()
    objection = Objection.objects.get()
    assert re.fullmatch(r"YY\d{8}-[A-Z2-9]{6}", objection.receipt)
    assert objection.receipt in receipt_page
    assert (objection.application, objection.state) == (listed["key"], "received")
    assert objection.evidence_name == "验收报告.pdf"
    assert objection.content_type == "application/pdf"
    assert "objection-evidence/" in objection.evidence.name
    assert "验收报告" not in objection.evidence.name  # stored under a random name
    event = Event.objects.get(action="file")
    assert (event.actor, event.to_state, event.data["receipt"]) == (
        None,
        "received",
        objection.receipt,
    )
    assert Notification.objects.filter(user=office, text__contains=objection.receipt).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"application": None}, "请选择提出异议的项目。"),
        ({"reasons": None}, "请填写异议事项及理由。"),
        ({"reasons": "太短了"}, "请具体写明异议事项及理由（至少 10 个字）。"),
        ({"name": None}, "请填写您的姓名或单位名称（实名提出）。"),
        ({"phone": None, "email": None}, "请至少填写联系电话或电子邮箱中的一项，以便答复。"),
        ({"phone": "12345"}, "请填写有效的手机号码或带区号的固定电话"),
        ({"email": "not-an-address"}, "请填写有效的电子邮箱地址。"),
    ],
)
def test_missing_or_bad_fields(client, notice, listed, overrides, message):
    response = post(client, notice, form(notice, listed["key"], **overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "请按提示修改后重新提交。" in page
    # What was typed stays in the form.
    kept = [
        v for k, v in form(notice, listed["key"], **overrides).items() if k in {"name", "reasons"}
    ]
    for value in kept:
        assert value in page
    assert not Objection.objects.exists()


def test_a_project_not_on_the_list_is_refused(client, notice, listed):
    response = post(client, notice, form(notice, listed["rejected"]))
    assert "所选项目不在本次公示名单中。" in response.content.decode()
    assert not Objection.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("材料.docx", b"PK\x03\x04 not really", "Word/Excel 文件已损坏"),
        ("说明.txt", "这是一段文字".encode(), "无法识别文件类型"),
        ("伪装.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "图片文件已损坏"),
    ],
)
def test_bad_evidence_is_refused(client, notice, listed, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = post(client, notice, {**form(notice, listed["key"]), "evidence": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert not Objection.objects.exists()


def test_a_spreadsheet_is_not_on_the_allowlist(client, notice, listed, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "表.xlsx"
    Workbook().save(path)
    upload = SimpleUploadedFile("表.xlsx", path.read_bytes())
    response = post(client, notice, {**form(notice, listed["key"]), "evidence": upload})
    assert "此类附件只接受 PDF、JPG、PNG 文件，上传的文件实际为 XLSX。" in response.content.decode()


def test_evidence_over_the_size_limit(client, notice, listed, settings):
    settings.NOTICES_EVIDENCE_MAX_BYTES = 1024
    upload = SimpleUploadedFile("大.pdf", pdf_bytes(pages=20) + b"\n" * 2048)
    response = post(client, notice, {**form(notice, listed["key"]), "evidence": upload})
    assert "文件过大" in response.content.decode()


def test_honeypot_is_refused_neutrally(client, notice, listed):
    response = post(client, notice, form(notice, listed["key"], website="http://spam.example"))
    page = response.content.decode()
    assert response.status_code == 400
    assert NEUTRAL in page
    assert "张三" in page  # the typed values stay
    assert not Objection.objects.exists()


def test_too_fast_or_forged_stamps_are_refused_neutrally(client, notice, listed):
    fresh = spam.fill_token(notice.pk)  # served just now: no person types that fast
    other_notice = spam.fill_token("00000000-0000-0000-0000-000000000000", time.time() - 60)
    for token in [fresh, "forged", "", other_notice]:
        response = post(client, notice, form(notice, listed["key"], token=token))
        assert response.status_code == 400
        assert NEUTRAL in response.content.decode()
    assert not Objection.objects.exists()


def test_rate_limit_per_address(client, notice, listed, settings):
    settings.NOTICES_OBJECTIONS_PER_HOUR = 5
    with time_machine.travel(notice.opens_at.replace(hour=10), tick=False):
        data = form(notice, listed["key"])
        for _ in range(5):
            assert post(client, notice, data).status_code == 302
        refused = post(client, notice, data)
        assert refused.status_code == 429
        assert "提交过于频繁，请约 60 分钟后再试。" in refused.content.decode()
        # Another address is not affected.
        assert post(client, notice, data, REMOTE_ADDR="10.1.2.3").status_code == 302
    assert Objection.objects.count() == 6
    with time_machine.travel(notice.opens_at.replace(hour=11, minute=1), tick=False):
        assert post(client, notice, form(notice, listed["key"])).status_code == 302


def test_the_rate_limit_counts_the_client_behind_our_proxy(client, settings, notice, listed):
    """Behind the load balancer every request comes from its address; the limit must
    count the client the balancer names, or one busy office would block everyone."""
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.NOTICES_OBJECTIONS_PER_HOUR = 5

    def post_from(client_address):
        proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": client_address}
        return post(client, notice, data, **proxy).status_code

    with time_machine.travel(notice.opens_at.replace(hour=10), tick=False):
        data = form(notice, listed["key"])
        assert [post_from("203.0.113.9") for _ in range(6)] == [302] * 5 + [429]
        assert post_from("198.51.100.20") == 302


def test_outside_the_period_no_form_and_no_filing(client, notice, listed):
    after = notice.closes_at
    with time_machine.travel(after, tick=False):
        page = client.get(reverse("notices:public", args=[notice.pk])).content.decode()
        assert 'id="objection-form"' not in page
        assert "当前不在公示期内" in page
        response = post(client, notice, form(notice, listed["key"]))
        assert response.status_code == 400
        assert "当前不在公示期内，不能提出异议。" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_photo_as_evidence_is_stored_without_its_metadata(client, notice, listed):
    from ..documents.pictures import assert_only_pixels, jpeg_with_gps

    response = post(client, notice, {**form(notice, listed["key"]), "evidence": jpeg_with_gps()})
    assert response.status_code == 302
    objection = Objection.objects.get()
    with objection.evidence.open("rb") as stored:
        assert_only_pixels(stored.read())
