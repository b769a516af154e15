"""The office records its verdict through the checklist page: pass, fail with a reason,
return to the authority; later changes; a stale save refused."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from keyprojects.applications import workflow
from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status
from keyprojects.audit.domain import history
from keyprojects.core.clock import CHINA
from keyprojects.notifications.models import Notification
from keyprojects.review import domain as review
from keyprojects.selection.models import FormalCheck

from ..factories import make_user, pdf_upload
from .conftest import recommended

ITEMS = [
    "threshold",
    "start",
    "period",
    "limit",
    "attachments",
    "partners",
    "continuation",
    "duplicates",
    "category_fit",
]
ALL_PASS = dict.fromkeys(ITEMS, "pass")


def form(results=ALL_PASS, *, verdict="", reason="", version=0, notes="", until=""):
    data = {f"item_{key}": value for key, value in results.items()}
    return {
        **data,
        "verdict": verdict,
        "reason": reason,
        "version": version,
        "notes": notes,
        "until": until,
    }


@pytest.fixture
def application(call, nanjing_reviewer):
    return recommended(call, reviewer=nanjing_reviewer, name="玄武区城市运行一网统管平台")


def url(application):
    return reverse("selection:check", args=[application.pk])


def status_of(application):
    return Application.objects.get(pk=application.pk).status


def test_the_page_prefills_the_automatic_checks(client, office, application):
    client.force_login(office)
    response = client.get(url(application))
    assert response.status_code == 200
    body = response.content.decode()
    assert "信息化投资 1,000.00 万元。" in body
    initial = response.context["form"].initial
    assert initial["item_threshold"] == "pass"
    assert initial["item_category_fit"] == ""  # the office's judgement
    assert initial["version"] == 0


def test_pass(client, office, application):
    client.force_login(office)
    response = client.post(url(application), form(verdict="pass", notes="材料齐全"))
    assert response.status_code == 302
    assert response["Location"] == url(application)
    assert status_of(application) == Status.CHECK_PASSED
    check = FormalCheck.objects.get(application=application)
    assert (check.verdict, check.version, check.checked_by) == ("pass", 1, office)
    assert {i["key"]: i["result"] for i in check.items} == ALL_PASS
    assert next(i for i in check.items if i["key"] == "threshold")["auto"] == "pass"
    transition = history(application).get(action="pass_check")
    assert (transition.actor, transition.from_state, transition.to_state) == (
        office,
        "recommended",
        "check_passed",
    )
    event = history(check).get()
    assert (event.from_state, event.to_state, event.data["notes"]) == ("", "pass", "材料齐全")


def test_pass_needs_every_item_judged(client, office, application):
    client.force_login(office)
    results = {**ALL_PASS, "category_fit": ""}
    response = client.post(url(application), form(results, verdict="pass", notes="我的备注"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "尚未判断" in body and "符合所申报类别" in body
    assert "我的备注" in body  # what was typed is kept
    assert status_of(application) == Status.RECOMMENDED
    assert not FormalCheck.objects.exists()


def test_pass_is_refused_while_an_item_is_ruled_failing(client, office, application):
    client.force_login(office)
    response = client.post(url(application), form({**ALL_PASS, "start": "fail"}, verdict="pass"))
    assert response.status_code == 400
    assert "不能通过形式审查" in response.content.decode()
    assert status_of(application) == Status.RECOMMENDED


def test_fail_needs_a_reason(client, office, application):
    client.force_login(office)
    response = client.post(
        url(application), form({**ALL_PASS, "threshold": "fail"}, verdict="fail", notes="核对批复")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "请填写不通过的理由" in body
    assert "核对批复" in body
    assert status_of(application) == Status.RECOMMENDED


def test_fail_with_a_reason(client, office, application):
    client.force_login(office)
    response = client.post(
        url(application),
        form({**ALL_PASS, "threshold": "fail"}, verdict="fail", reason="信息化投资与批复不符"),
    )
    assert response.status_code == 302
    assert status_of(application) == Status.CHECK_FAILED
    event = history(application).get(action="fail_check")
    assert event.reason == "信息化投资与批复不符"
    assert FormalCheck.objects.get(application=application).reason == "信息化投资与批复不符"


def test_the_office_changes_its_verdict_later(client, office, application):
    client.force_login(office)
    client.post(url(application), form(verdict="pass"))
    client.post(url(application), form(verdict="fail", reason="发现重复申报", version=1))
    assert status_of(application) == Status.CHECK_FAILED
    client.post(url(application), form(verdict="pass", notes="经核实不重复", version=2))
    assert status_of(application) == Status.CHECK_PASSED
    transitions = [
        (e.action, e.from_state, e.to_state)
        for e in history(application).filter(action__endswith="_check")
    ]
    assert transitions == [
        ("pass_check", "recommended", "check_passed"),
        ("fail_check", "check_passed", "check_failed"),
        ("pass_check", "check_failed", "check_passed"),
    ]
    check = FormalCheck.objects.get(application=application)
    assert check.version == 3
    assert [e.to_state for e in history(check)] == ["pass", "fail", "pass"]


def test_saving_without_a_verdict_changes_no_status(client, office, application):
    client.force_login(office)
    response = client.post(url(application), form({"threshold": "pass"}, notes="待核实批复"))
    assert response.status_code == 302
    assert status_of(application) == Status.RECOMMENDED
    assert FormalCheck.objects.get(application=application).notes == "待核实批复"


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, office, application, regions):
    colleague = make_user(None, username="同事甲", is_staff=True)
    colleague.groups.add(*office.groups.all())
    client.force_login(colleague)
    client.post(url(application), form(verdict="pass"))

    client.force_login(office)  # this page was loaded before the colleague saved
    response = client.post(url(application), form(verdict="fail", reason="缺少可研报告", version=0))
    assert response.status_code == 409
    body = response.content.decode()
    assert "同事甲" in body and "您的修改未保存" in body
    assert "缺少可研报告" in body
    assert status_of(application) == Status.CHECK_PASSED
    assert FormalCheck.objects.get(application=application).version == 1
    # The page now carries the colleague's version: sending it again is a deliberate overwrite.
    assert response.context["form"]["version"].value() == "1"
    again = client.post(url(application), form(verdict="fail", reason="缺少可研报告", version=1))
    assert again.status_code == 302
    assert status_of(application) == Status.CHECK_FAILED


def test_a_selected_application_can_no_longer_be_checked(client, office, application):
    client.force_login(office)
    client.post(url(application), form(verdict="pass"))
    workflow.perform(application, "select", by=office)
    response = client.post(url(application), form(verdict="fail", reason="晚了", version=1))
    assert response.status_code == 400
    assert "不能进行形式审查" in response.content.decode()
    assert status_of(application) == Status.SELECTED


# --- Return to the authority -------------------------------------------------------------


def send(call, authority, reviewer):
    batch = review.batch_for(call, authority)
    table = review.start_table(batch, by=reviewer)
    table.refresh_from_db()
    review.accept_scan(batch, pdf_upload("scan.pdf"), typed_code=table.code, by=reviewer)
    return review.submit_to_province(batch, by=reviewer)


def local(instant):
    return instant.astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")


def test_return_after_the_deadline_reopens_the_batch_until_the_new_deadline(
    client, call, office, nanjing, nanjing_reviewer, application
):
    batch = send(call, nanjing, nanjing_reviewer)
    until = (call.recommendation_deadline + dt.timedelta(days=5)).replace(second=0, microsecond=0)
    with time_machine.travel(call.recommendation_deadline + dt.timedelta(days=1)):
        client.force_login(office)  # a fresh session then
        response = client.post(
            url(application),
            form(verdict="return", reason="请核实投资额", until=local(until)),
        )
        assert response.status_code == 302
        assert response["Location"] == url(application)
        assert status_of(application) == Status.SUBMITTED
        batch.refresh_from_db()
        assert not batch.is_submitted
        assert batch.extended_until == until
        assert history(batch).filter(action="reopen").exists()
        assert "请核实投资额" in Notification.objects.filter(user=nanjing_reviewer).last().text
        # The authority can decide again, after the call's deadline, thanks to the extension.
        application.refresh_from_db()
        review.decide(application, "recommend", by=nanjing_reviewer, reason="已核实")
    assert status_of(application) == Status.RECOMMENDED
    check = FormalCheck.objects.get(application=application)
    assert check.verdict == "return" and check.reason == "请核实投资额"
    assert dt.datetime.fromisoformat(history(check).get().data["until"]) == until


def test_return_after_the_deadline_needs_a_new_deadline_and_changes_nothing_without(
    client, call, office, nanjing, nanjing_reviewer, application
):
    batch = send(call, nanjing, nanjing_reviewer)
    with time_machine.travel(call.recommendation_deadline + dt.timedelta(days=1)):
        client.force_login(office)
        response = client.post(url(application), form(verdict="return", reason="请核实投资额"))
    assert response.status_code == 400
    assert "请给出补报截止时间" in response.content.decode()
    assert status_of(application) == Status.RECOMMENDED
    batch.refresh_from_db()
    assert batch.is_submitted
    assert not FormalCheck.objects.exists()


def test_return_needs_a_reason(client, office, application):
    client.force_login(office)
    response = client.post(url(application), form(verdict="return"))
    assert response.status_code == 400
    assert "请填写退回推荐单位的理由" in response.content.decode()
    assert status_of(application) == Status.RECOMMENDED


def test_return_while_the_batch_is_not_sent_is_just_the_transition(
    client, call, office, nanjing_reviewer, application
):
    client.force_login(office)
    response = client.post(url(application), form(verdict="return", reason="补充说明"))
    assert response.status_code == 302
    assert status_of(application) == Status.SUBMITTED
    event = history(application).get(action="return_to_authority")
    assert (event.from_state, event.to_state, event.reason) == (
        "recommended",
        "submitted",
        "补充说明",
    )
    # The returned application is out of the office's overview until recommended again.
    overview = client.get(reverse("selection:overview", args=[call.slug]))
    assert application.name not in overview.content.decode()
