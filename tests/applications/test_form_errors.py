"""The application form keeps what was typed when something is wrong, and says in Chinese
what is wrong and how to fix it; the help beside the fields is in the notice's words."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keyprojects.applications.models import Attachment

from ..factories import make_application
from .test_drafts import _post_values, form_data


def test_a_malformed_amount_stops_the_submit_and_keeps_what_was_typed(client, call, applicant):
    application = make_application(call, applicant)
    client.force_login(applicant)
    values = {
        **form_data(application, application.version, "tab-a"),
        **_post_values(application),
        "name": "玄武区城市运行一网统管平台（修订）",
        "total_investment": "一千二百",
        "submit": "1",
    }
    response = client.post(reverse("applications:edit", args=[application.pk]), values)
    assert response.status_code == 400
    page = response.content.decode()
    assert "申报书未提交" in page and "其余内容已保存" in page
    assert 'value="一千二百"' in page  # the bad value stays in its box to be corrected
    [error] = response.context["form"].errors["total_investment"]
    assert error == "请填写数字，单位万元，例如 1200.50（不要写“万元”或逗号）。"
    application.refresh_from_db()
    assert application.status == "draft"
    assert application.name == "玄武区城市运行一网统管平台（修订）"  # the rest was saved


def test_a_malformed_amount_on_save_is_named_with_its_field(client, call, applicant):
    application = make_application(call, applicant, complete=False, attach=False)
    client.force_login(applicant)
    data = form_data(application, application.version, "tab-a", total_investment="12,00.5")
    page = client.post(reverse("applications:autosave", args=[application.pk]), data)
    text = page.content.decode()
    assert "总投资（万元）：请填写数字，单位万元，例如 1200.50" in text


def test_an_upload_without_file_keeps_the_chosen_type(client, call, applicant):
    application = make_application(call, applicant, attach=False)
    client.force_login(applicant)
    response = client.post(
        reverse("applications:upload_attachment", args=[application.pk]),
        {"kind": "ip_proof"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请选择要上传的文件。" in page and "附件未上传" in page
    assert re.search(r'<option value="ip_proof"[^>]*selected', page)


def test_a_refused_file_is_explained_at_the_file_field(client, call, applicant):
    application = make_application(call, applicant, attach=False)
    client.force_login(applicant)
    response = client.post(
        reverse("applications:upload_attachment", args=[application.pk]),
        {"kind": "approval", "file": SimpleUploadedFile("批复.pdf", b"not a pdf at all")},
    )
    assert response.status_code == 400
    form = response.context["attachment_form"]
    assert form["kind"].value() == "approval"
    assert any("PDF" in error for error in form.errors["file"])
    assert not Attachment.objects.exists()


def test_the_help_beside_the_fields_uses_the_notices_words(client, call, applicant):
    application = make_application(call, applicant, complete=False, attach=False)
    client.force_login(applicant)
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    for words in [
        "数字经济类：侧重在推动信息技术产业发展",  # categories, 一(二)
        "不包含生产线建设及改造、园区建设开发等",
        "项目投资规模在 300.00 万元以上（不包含土建工程）",  # 二、7
        "单位：万元，保留两位小数。",  # the help that was there is kept
        "建设期不早于 2019年1月",
        "实施周期原则上在2年左右。本批次约 24 个月。",
        "在本批次提交的项目数不超过 2 个（通知四（一））",  # the per-applicant limit
        "本批次必须上传：立项批复文件。",  # attachments, 三(一)
        "建设主体为开发单位和应用单位（通知一（一））",
    ]:
        assert words in page, words


def test_registration_says_who_may_apply(client, regions):
    page = client.get(reverse("orgs:register")).content.decode()
    assert "省内县级以上行政部门、企事业单位或社会团体可作为建设主体申报" in page
