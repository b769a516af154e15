"""The owner's report: drafts keep what was typed, a submit needs the figures, a late submit
is accepted and marked, a stale save is refused (409) without losing the text, attachments
are vetted and served only to those who may read the report, and the office returns with a
reason or evaluates against the rubric."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.notifications.models import Notification
from keyprojects.tracking import domain, workflow
from keyprojects.tracking.models import Evaluation

from ..factories import credit_code, make_organisation, make_user, pdf_upload
from .conftest import FILLED, form_data, make_project, open_round

pytestmark = pytest.mark.django_db

GRADES = {"on_schedule": "good", "funds": "fair", "results": "fairly_good", "overall": "good"}


def post(client, report, **data):
    return client.post(reverse("tracking:my_report", args=[report.pk]), data)


def test_my_reports_lists_the_organisations_reports(client, applicant, report):
    client.force_login(applicant)
    page = client.get(reverse("tracking:my_reports")).content.decode()
    assert report.project.name in page and "待填报" in page


def test_draft_save_then_submit(client, applicant, colleague, report):
    client.force_login(applicant)
    response = post(client, report, **form_data(report, milestones="完成一期", save=""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.milestones, report.version) == ("draft", "完成一期", 2)
    client.force_login(colleague)  # any user of the organisation may continue
    response = post(client, report, **form_data(report, submit=""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted" and not report.late
    assert report.authority.name == "南京市信息化主管部门"
    actions = list(
        Event.objects.filter(target_id=str(report.pk))
        .order_by("seq")
        .values_list("action", "to_state")
    )
    assert actions == [("create", "pending"), ("save", "draft"), ("submit", "submitted")]


def test_submit_needs_the_figures_and_keeps_what_was_typed(client, applicant, report):
    client.force_login(applicant)
    response = post(
        client, report, **form_data(report, investment_completed=None, milestones="", submit="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写“累计完成信息化投资（万元）”。" in page
    assert "请填写“已完成的建设内容和里程碑”。" in page
    assert FILLED["users_and_results"] in page  # what was typed is still there
    report.refresh_from_db()
    assert report.state == "pending" and report.users_and_results == ""


def test_negative_figure_is_refused_by_the_form(client, applicant, report):
    client.force_login(applicant)
    response = post(client, report, **form_data(report, investment_completed="-1", save=""))
    assert response.status_code == 400
    assert "确保该值大于或等于0" in response.content.decode()


def test_figure_above_the_plan_is_a_warning_not_a_block(client, applicant, report):
    client.force_login(applicant)
    data = form_data(report, investment_completed="900.00", submit="")
    response = post(client, report, **data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "累计完成投资 900.00 万元超过项目计划的信息化投资 800.00 万元" in page


def test_figure_below_the_previous_round_is_a_warning(office, applicant, report, round_):
    workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    workflow.evaluate(report, GRADES, by=office)
    domain.close_round(round_, by=office)
    later = open_round(office, title="2027年度跟踪评价").reports.get(project=report.project)
    [warning] = workflow.investment_warnings(later, FILLED["investment_completed"] - 1)
    assert "低于上一轮报告的 420.50 万元" in warning


def test_after_the_due_date_a_submit_is_accepted_and_marked_late(client, applicant, report, round_):
    with time_machine.travel(round_.due_at + dt.timedelta(minutes=1), tick=False):
        client.force_login(applicant)
        page = client.get(reverse("tracking:my_report", args=[report.pk])).content.decode()
        assert "已过截止日期。现在仍可提交，但将记为逾期提交。" in page
        response = post(client, report, **form_data(report, submit=""))
        assert response.status_code == 302
        followed = client.get(response.url).content.decode()
    assert "本报告在截止日期之后提交，已记为逾期提交。" in followed
    report.refresh_from_db()
    assert report.late and report.state == "submitted"


def test_just_before_midnight_of_the_due_date_is_on_time(applicant, report, round_):
    at = round_.due_at - dt.timedelta(seconds=1)
    submitted = workflow.submit(report, FILLED, by=applicant, expected_version=1, at=at)
    assert not submitted.late


def test_stale_save_is_refused_with_409_and_keeps_the_text(client, applicant, colleague, report):
    workflow.save(
        report, {**FILLED, "milestones": "同事先保存的"}, by=colleague, expected_version=1
    )
    client.force_login(applicant)
    response = post(client, report, **form_data(report, milestones="我写的内容", save=""))
    assert response.status_code == 409
    page = response.content.decode()
    assert "您的修改未保存" in page and "我写的内容" in page
    assert 'name="version" value="2"' in page  # sending again replaces knowingly
    report.refresh_from_db()
    assert report.milestones == "同事先保存的"


def test_return_with_reason_then_resubmit(client, office, applicant, report):
    submitted = workflow.submit(report, FILLED, by=applicant, expected_version=1)
    client.force_login(office)
    response = client.post(
        reverse("tracking:return", args=[report.pk]), {"reason": "", "version": submitted.version}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("tracking:return", args=[report.pk]),
        {"reason": "请补充用户数量的统计口径。", "version": submitted.version},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "returned"
    message = Notification.objects.get(user=applicant, text__contains="退回修改")
    assert "请补充用户数量的统计口径。" in message.text
    client.force_login(applicant)
    page = client.get(reverse("tracking:my_report", args=[report.pk])).content.decode()
    assert "请补充用户数量的统计口径。" in page
    response = post(client, report, **form_data(report, submit=""))
    report.refresh_from_db()
    assert report.state == "submitted"


def test_evaluation_against_the_rubric(client, office, applicant, report):
    submitted = workflow.submit(report, FILLED, by=applicant, expected_version=1)
    client.force_login(office)
    url = reverse("tracking:evaluate", args=[report.pk])
    data = {**GRADES, "overall": "poor", "remark": "", "version": submitted.version}
    response = client.post(url, {**data, "evaluation_version": 0})
    assert response.status_code == 400
    assert "总体评价为“差”时，请写明评价意见。" in response.content.decode()
    data.update(overall="good", funds_remark="个别凭证待补", evaluation_version=0)
    assert client.post(url, data).status_code == 302
    evaluation = Evaluation.objects.get(report=report)
    assert (evaluation.on_schedule, evaluation.funds, evaluation.results) == (
        "good",
        "fair",
        "fairly_good",
    )
    assert evaluation.funds_remark == "个别凭证待补" and evaluation.evaluated_by == office
    report.refresh_from_db()
    assert report.state == "evaluated"
    assert Event.objects.filter(target_id=str(report.pk), action="evaluate").exists()
    assert Notification.objects.filter(user=applicant, key=f"tracking-evaluated:{report.pk}")
    # A second office member working from the same page is refused, not overwritten.
    stale = client.post(url, {**data, "overall": "fair", "version": submitted.version})
    assert stale.status_code == 409
    evaluation.refresh_from_db()
    assert evaluation.overall == "good"
    client.force_login(applicant)
    page = client.get(reverse("tracking:my_report", args=[report.pk])).content.decode()
    assert "省信息化办评价" in page and "个别凭证待补" in page


def test_evaluating_a_report_not_submitted_is_refused(office, report):
    with pytest.raises(workflow.ReportRefused, match="不能评价"):
        workflow.evaluate(report, GRADES, by=office)


def test_attachments_are_vetted_and_served_to_those_who_may_read(
    client, applicant, report, stranger, office, nanjing_reviewer, suzhou_reviewer
):
    client.force_login(applicant)
    url = reverse("tracking:attach", args=[report.pk])
    client.post(url, {"file": pdf_upload("验收报告.pdf")})
    bad = SimpleUploadedFile("运行截图.png", b"MZ\x90\x00 not an image", content_type="image/png")
    response = client.post(url, {"file": bad}, follow=True)
    assert "无法识别文件类型" in response.content.decode()
    [attachment] = report.attachments.all()
    assert attachment.original_name == "验收报告.pdf"
    assert not attachment.file.name.endswith("验收报告.pdf")  # a random name on disk
    download = reverse("tracking:attachment", args=[report.pk, attachment.pk])
    assert client.get(download).status_code == 200
    workflow.submit(report, FILLED, by=applicant, expected_version=1)
    for user, status in [
        (office, 200),
        (nanjing_reviewer, 200),
        (suzhou_reviewer, 404),
        (stranger, 404),
    ]:
        client.force_login(user)
        assert client.get(download).status_code == status, user
    client.logout()
    assert client.get(download).status_code == 302
    # Once submitted, the owner can no longer remove it.
    client.force_login(applicant)
    response = client.post(reverse("tracking:detach", args=[report.pk, attachment.pk]), follow=True)
    assert "不能再修改附件" in response.content.decode()
    assert report.attachments.count() == 1


def test_attachment_removed_while_editable(client, applicant, report):
    attachment = domain.add_attachment(report, pdf_upload(), by=applicant)
    client.force_login(applicant)
    client.post(reverse("tracking:detach", args=[report.pk, attachment.pk]))
    assert not report.attachments.exists()
    assert Event.objects.filter(target_id=str(report.pk), action="detach").exists()


def test_an_owner_registering_after_the_round_opened_can_file(client, office, regions):
    project = make_project(name="建设单位后注册的项目", credit_code=credit_code())
    report = open_round(office).reports.get(project=project)
    organisation = make_organisation(seat="320505", credit_code=project.credit_code)
    user = make_user(organisation)
    client.force_login(user)
    assert project.name in client.get(reverse("tracking:my_reports")).content.decode()
    response = post(client, report, **form_data(report, submit=""))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    assert report.authority.name == "苏州市信息化主管部门"


def test_a_photo_attached_to_a_report_is_stored_without_its_metadata(applicant, report):
    from ..documents.pictures import assert_only_pixels, jpeg_with_gps

    attachment = domain.add_attachment(report, jpeg_with_gps(), by=applicant)
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert_only_pixels(data)
    assert attachment.size == len(data)
