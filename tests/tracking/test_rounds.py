"""A round from opening to closing: one report per tracked project, owners told once, the
projects tracked later added only when the office asks, the late listed and reminded once a
day, the round exported, and closed only when nothing submitted waits for evaluation."""

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.audit.models import Event
from keyprojects.notifications.models import Notification
from keyprojects.tracking import domain, queries, workflow
from keyprojects.tracking.models import ProgressReport

from ..factories import credit_code, make_organisation, make_user
from .conftest import FILLED, make_project, open_round

pytestmark = pytest.mark.django_db

GRADES = {"on_schedule": "good", "funds": "fair", "results": "fairly_good", "overall": "good"}


def test_opening_creates_a_pending_report_per_project_and_tells_owners_once(
    office, organisation, applicant, colleague
):
    make_project(organisation, name="项目甲")
    make_project(organisation, name="项目乙")
    make_project(name="未注册单位的项目", credit_code=credit_code())
    round_ = open_round(office)
    assert round_.reports.count() == 3
    assert set(round_.reports.values_list("state", flat=True)) == {"pending"}
    for user in [applicant, colleague]:
        [message] = Notification.objects.filter(user=user)
        assert message.key == f"tracking-open:{round_.pk}:{organisation.pk}"
        assert "2026年度跟踪评价已开启" in message.text
        assert message.url == reverse("tracking:my_reports")
    assert Event.objects.filter(action="open", target_id=str(round_.pk)).exists()
    assert Event.objects.filter(action="create", to_state="pending").count() == 3


def test_a_due_date_in_the_past_is_refused(office, project):
    with pytest.raises(workflow.ReportRefused, match="截止日期不能早于今天"):
        open_round(office, due_in_days=-1)


def test_projects_tracked_later_join_only_when_the_office_adds_them(office, round_, applicant):
    later = make_project(name="后来导入的项目", credit_code=credit_code())
    assert not round_.reports.filter(project=later).exists()
    assert list(domain.missing_projects(round_)) == [later]
    assert domain.add_missing(round_, by=office) == 1
    assert round_.reports.filter(project=later, state="pending").exists()
    assert domain.add_missing(round_, by=office) == 0


def test_late_list_and_reminders_once_a_day(office, round_, report, organisation, applicant):
    other = make_organisation(seat="320505")
    other_user = make_user(other)
    make_project(other, name="苏州项目")
    domain.add_missing(round_, by=office)
    workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    assert not queries.round_counts(round_)["overdue"]
    after_due = round_.due_at + dt.timedelta(hours=1)
    with time_machine.travel(after_due, tick=False):
        late = list(domain.late_reports(round_))
        assert [r.project.name for r in late] == ["苏州项目"]
        assert queries.round_counts(round_)["overdue"] == 1
        assert domain.remind_late(round_, by=office) == 1
        assert domain.remind_late(round_, by=office) == 0  # same day: nobody twice
    reminder = Notification.objects.get(user=other_user, key__startswith="tracking-late")
    assert "“苏州项目”尚未报送" in reminder.text
    assert not Notification.objects.filter(user=applicant, key__startswith="tracking-late")
    with time_machine.travel(after_due + dt.timedelta(days=1), tick=False):
        assert domain.remind_late(round_, by=office) == 1  # the next day, again


def test_closing_waits_for_every_submitted_report_to_be_evaluated(
    office, round_, report, applicant
):
    submitted = workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    with pytest.raises(workflow.ReportRefused, match="还有 1 份已提交的报告未评价"):
        domain.close_round(round_, by=office)
    workflow.evaluate(submitted, GRADES, by=office)
    closed = domain.close_round(round_, by=office, expected_version=round_.version)
    assert closed.state == "closed"
    with pytest.raises(workflow.ReportRefused, match="本轮跟踪评价已结束"):
        workflow.evaluate(submitted, GRADES, by=office, evaluation_version=1)
    with pytest.raises(workflow.ReportRefused, match="本轮跟踪评价已结束"):
        domain.add_missing(round_, by=office)


def test_export_has_every_report_with_figures_comment_and_grades(
    client, office, round_, report, applicant, nanjing_reviewer
):
    make_project(name="未报送的项目", credit_code=credit_code(), city=None)
    domain.add_missing(round_, by=office)
    submitted = workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    domain.save_comment(submitted, "属实，建议继续支持。", by=nanjing_reviewer)
    workflow.evaluate(submitted, {**GRADES, "remark": "成效明显"}, by=office)
    client.force_login(office)
    response = client.get(reverse("tracking:round_export", args=[round_.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[2]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[3:]}
    filed = by_name[report.project.name]
    assert filed["累计完成投资（万元）"] == Decimal("420.50")
    assert filed["状态"] == "已评价"
    assert filed["属地意见"] == "属实，建议继续支持。"
    assert filed["属地主管部门"] == "南京市信息化主管部门"
    assert (filed["进度是否符合计划"], filed["资金使用"], filed["成效"]) == ("好", "一般", "较好")
    assert filed["总体评价"] == "好" and filed["评价意见"] == "成效明显"
    unsent = by_name["未报送的项目"]
    assert unsent["状态"] == "待填报" and unsent["设区市"] == "省级"
    assert unsent["累计完成投资（万元）"] is None


def test_completion_by_city(office, round_, report, applicant):
    make_project(name="苏州项目", credit_code=credit_code(), city_id="320500")
    make_project(name="省级项目", credit_code=credit_code(), city=None)
    domain.add_missing(round_, by=office)
    workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    rows = {row["city"]: row for row in queries.completion(round_)}
    assert rows["南京市"] == {
        "city_code": "320100",
        "city": "南京市",
        "total": 1,
        "sent": 1,
        "evaluated": 0,
        "percent": 100,
    }
    assert rows["苏州市"]["sent"] == 0 and rows["苏州市"]["total"] == 1
    assert rows["省级"]["city_code"] is None


def test_round_page_counts_filters_and_actions(client, office, round_, report, applicant):
    workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    make_project(name="未报送的项目", credit_code=credit_code())
    client.force_login(office)
    page = client.get(reverse("tracking:round", args=[round_.pk])).content.decode()
    assert "本轮开启后又有 1 个项目纳入跟踪" in page
    response = client.post(reverse("tracking:round_add_missing", args=[round_.pk]), follow=True)
    assert "已将 1 个新纳入跟踪的项目加入本轮。" in response.content.decode()
    filtered = client.get(reverse("tracking:round", args=[round_.pk]), {"state": "submitted"})
    assert report.project.name in filtered.content.decode()
    assert "未报送的项目" not in filtered.content.decode()
    pending = client.get(reverse("tracking:round", args=[round_.pk]), {"state": "pending"})
    assert "未报送的项目" in pending.content.decode()
    assert report.project.name not in pending.content.decode()
    with time_machine.travel(round_.due_at + dt.timedelta(hours=1), tick=False):
        client.force_login(office)
        overdue = client.get(reverse("tracking:round", args=[round_.pk]), {"late": "overdue"})
        assert ProgressReport.objects.filter(round=round_, state="pending").count() == 1
        assert "未报送的项目" in overdue.content.decode()
        response = client.post(reverse("tracking:round_remind", args=[round_.pk]), follow=True)
        assert "没有需要提醒的建设单位" in response.content.decode()  # nobody registered


def test_closing_from_the_page_with_a_stale_version_is_refused(client, office, round_):
    client.force_login(office)
    domain.close_round(round_, by=office)
    response = client.post(
        reverse("tracking:round_close", args=[round_.pk]), {"version": 1}, follow=True
    )
    assert "该记录已被他人修改" in response.content.decode()


def test_dashboard_completion_reads_the_newest_round(office, project, applicant):
    assert queries.dashboard_completion() is None
    open_round(office, title="较早的一轮")
    newest = open_round(office, title="最新的一轮")
    report = newest.reports.get(project=project)
    workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    panel = queries.dashboard_completion()
    assert panel["round"] == newest
    assert panel["rows"] == [{"label": "南京市", "due": 1, "filed": 1, "evaluated": 0}]
