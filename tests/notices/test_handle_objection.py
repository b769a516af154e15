"""The office investigates and answers objections; an upheld one can withdraw its project."""

import pytest
from django.core import mail
from django.urls import reverse

from keyprojects.applications.workflow import Status
from keyprojects.audit.models import Event
from keyprojects.notices import objections
from keyprojects.notices.models import Decision

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def objection(notice, listed):
    return objections.file_objection(
        notice,
        application=listed["key"],
        reasons="该项目建设内容与2018年已验收项目重复，属于续期建设项目。",
        name="张三",
        phone="13900000000",
        email="zhangsan@example.com",
    )


@pytest.fixture
def office_client(client, office):
    client.login(username=office.username, password=PASSWORD)
    return client


def test_investigate_then_answer_not_upheld(office_client, objection, listed, office):
    url = reverse("notices:objection", args=[objection.pk])
    page = office_client.get(url).content.decode()
    assert "张三" in page and "13900000000" in page and objection.receipt in page
    office_client.post(
        reverse("notices:investigate", args=[objection.pk]),
        {"notes": "调阅2018年验收材料，两项目建设内容不同。", "version": objection.version},
    )
    objection.refresh_from_db()
    assert objection.state == "investigating"
    response = office_client.post(
        reverse("notices:answer", args=[objection.pk]),
        {
            "outcome": "not_upheld",
            "answer": "经核实，本项目为新建项目，异议不成立。",
            "version": objection.version,
        },
        follow=True,
    )
    assert "已答复异议" in response.content.decode()
    objection.refresh_from_db()
    assert (objection.state, objection.outcome, objection.answered_by) == (
        "answered",
        "not_upheld",
        office,
    )
    listed["key"].refresh_from_db()
    assert listed["key"].status == Status.SELECTED
    events = list(
        Event.objects.filter(target_id=str(objection.pk)).values_list(
            "action", "from_state", "to_state"
        )
    )
    assert events == [
        ("file", "", "received"),
        ("investigate", "received", "investigating"),
        ("answer", "investigating", "answered"),
    ]


def test_upheld_objection_withdraws_the_project(
    office_client, client, objection, notice, listed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        office_client.post(
            reverse("notices:answer", args=[objection.pk]),
            {
                "outcome": "upheld",
                "answer": "经核实，本项目为2018年项目的续期建设，撤销其入选资格。",
                "withdraw": "on",
                "version": objection.version,
            },
        )
    application = listed["key"]
    application.refresh_from_db()
    assert application.status == Status.NOT_SELECTED
    event = Event.objects.get(target_id=str(application.pk), action="not_select")
    assert objection.receipt in event.reason
    assert "续期建设" in event.reason
    assert objection.receipt in Decision.objects.get(application=application).reason
    objection.refresh_from_db()
    assert objection.project_withdrawn
    # The filer hears the answer by e-mail.
    assert mail.outbox[-1].to == ["zhangsan@example.com"]
    assert objection.receipt in mail.outbox[-1].subject
    client.logout()
    page = client.get(reverse("notices:public", args=[notice.pk])).content.decode()
    assert application.name not in page


def test_withdraw_later_from_an_answered_upheld_objection(office_client, objection, listed, office):
    objections.answer(objection, "upheld", "异议成立，待会商后撤销。", by=office)
    office_client.post(reverse("notices:withdraw", args=[objection.pk]))
    listed["key"].refresh_from_db()
    assert listed["key"].status == Status.NOT_SELECTED
    response = office_client.post(reverse("notices:withdraw", args=[objection.pk]), follow=True)
    assert "该项目已因本异议撤销入选。" in response.content.decode()


def test_answer_form_errors(office_client, objection):
    url = reverse("notices:answer", args=[objection.pk])
    response = office_client.post(url, {"answer": "", "version": objection.version})
    page = response.content.decode()
    assert response.status_code == 400
    assert "请选择处理结论。" in page and "请填写答复意见。" in page
    response = office_client.post(
        url,
        {
            "outcome": "not_upheld",
            "answer": "保留的答复文字",
            "withdraw": "on",
            "version": objection.version,
        },
    )
    page = response.content.decode()
    assert "只有异议成立时才能撤销该项目入选。" in page
    assert "保留的答复文字" in page
    objection.refresh_from_db()
    assert objection.state == "received"


def test_a_stale_answer_is_refused(office_client, objection, office):
    seen = objection.version
    objections.investigate(objection, "同事已记录的调查情况", by=office)
    response = office_client.post(
        reverse("notices:answer", args=[objection.pk]),
        {"outcome": "not_upheld", "answer": "我的答复", "version": seen},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "已被他人修改" in page and "我的答复" in page
    objection.refresh_from_db()
    assert objection.state == "investigating"


def test_investigation_needs_notes(office_client, objection):
    response = office_client.post(
        reverse("notices:investigate", args=[objection.pk]), {"notes": "", "version": 1}
    )
    assert "请填写调查核实情况。" in response.content.decode()


def test_an_answered_objection_cannot_be_answered_again(objection, office):
    objections.answer(objection, "not_upheld", "异议不成立。", by=office)
    with pytest.raises(objections.TransitionRefused, match="当前状态为“已答复”"):
        objections.answer(objection, "upheld", "改变主意", by=office)
