"""Finalising the list: refused early or with open objections; then frozen, told, exported."""

import io
from decimal import Decimal
from urllib.parse import quote

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.notices import decisions, objections, publication
from keyprojects.notices.models import PublicNotice
from keyprojects.notifications.models import Notification

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client, office):
    client.login(username=office.username, password=PASSWORD)
    return client


def finalise(client, notice):
    # Sign in again at the (possibly travelled-to) time: days of quiet end a session.
    client.force_login(notice.created_by)
    return client.post(
        reverse("notices:finalise", args=[notice.pk]), {"version": notice.version}, follow=True
    )


def test_refused_before_the_end_of_the_period(office_client, notice):
    page = finalise(office_client, notice).content.decode()
    assert f"公示期至 {notice.ends_on:%Y-%m-%d} 24:00 结束，期满后才能确定最终名单。" in page
    notice.refresh_from_db()
    assert notice.state == PublicNotice.State.PUBLISHED


def test_refused_with_unanswered_objections_and_says_which(office_client, notice, listed, office):
    open_one = objections.file_objection(
        notice,
        application=listed["key"],
        reasons="异议理由足够长的文字。",
        name="甲",
        phone="13900000000",
    )
    answered = objections.file_objection(
        notice,
        application=listed["flagship"],
        reasons="另一条异议理由文字。",
        name="乙",
        phone="13900000001",
    )
    objections.answer(answered, "not_upheld", "异议不成立。", by=office)
    with time_machine.travel(notice.closes_at, tick=False):
        page = finalise(office_client, notice).content.decode()
    assert f"还有 1 件异议未答复（回执号：{open_one.receipt}）" in page
    assert answered.receipt not in page.split("还有 1 件异议未答复")[1][:80]
    assert "公示期至" not in page  # the period is over: only the real obstacle is named
    notice.refresh_from_db()
    assert notice.state == PublicNotice.State.PUBLISHED


def test_both_reasons_at_once(notice, listed, office):
    objections.file_objection(
        notice,
        application=listed["key"],
        reasons="异议理由足够长的文字。",
        name="甲",
        phone="13900000000",
    )
    with pytest.raises(TransitionRefused) as refused:
        publication.finalise(notice, by=office)
    assert len(refused.value.problems) == 2


def test_undecided_applications_block_finalisation(notice, make_passed, office):
    make_passed("还没有决定的项目")
    with (
        time_machine.travel(notice.closes_at, tick=False),
        pytest.raises(
            TransitionRefused, match="还有 1 个项目尚未作出是否入选的决定：还没有决定的项目"
        ),
    ):
        publication.finalise(notice, by=office)


def test_finalise_freezes_the_list_and_tells_the_applicants(office_client, notice, listed, office):
    with time_machine.travel(notice.closes_at, tick=False):
        page = finalise(office_client, notice).content.decode()
    assert "最终名单已确定" in page
    notice.refresh_from_db()
    assert notice.state == PublicNotice.State.FINALISED
    assert [row["name"] for row in notice.final_list["rows"]] == [
        listed["flagship"].name,
        listed["key"].name,
    ]
    for key, phrase in [("flagship", "已列入"), ("key", "已列入"), ("rejected", "未列入")]:
        owner = listed[key].organisation.users.get()
        [message] = Notification.objects.filter(user=owner, key__startswith="notice-outcome")
        assert phrase in message.text and listed[key].name in message.text
        assert message.url == reverse("applications:detail", args=[listed[key].pk])
    with pytest.raises(TransitionRefused, match="最终名单已确定"):
        decisions.not_select(listed["key"], "定稿后再改", by=office)


def outcome_html(application, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "notices/_application_outcome.html", {"application": application}, request=request
    )


def test_applicants_see_their_outcome_only_once_final(notice, listed, office, stranger):
    flagship, rejected = listed["flagship"], listed["rejected"]
    owner = flagship.organisation.users.get()
    assert "遴选结果" not in outcome_html(flagship, owner)  # not before the list is final
    with time_machine.travel(notice.closes_at, tick=False):
        publication.finalise(notice, by=office)
    html = outcome_html(flagship, owner)
    assert "遴选结果" in html and "已列入" in html and "标志性工程" in html
    rejected_html = outcome_html(rejected, rejected.organisation.users.get())
    assert "未列入" in rejected_html and "综合评审得分较低" in rejected_html
    # Nobody else sees it through the tag, not even another applicant or the reviewer.
    assert "遴选结果" not in outcome_html(flagship, stranger)
    assert "遴选结果" not in outcome_html(rejected, owner)
    assert "遴选结果" not in outcome_html(flagship, make_user(None, authority=flagship.authority))


def test_xlsx_export_opens_and_totals_sum_right(office_client, notice, listed, office):
    with time_machine.travel(notice.closes_at, tick=False):
        publication.finalise(notice, by=office)
    response = office_client.get(reverse("notices:xlsx", args=[notice.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "2020年智慧江苏重点工程入选项目名单"
    body = [r for r in rows[2:] if isinstance(r[0], int)]
    assert [r[3] for r in body] == [listed["flagship"].name, listed["key"].name]
    assert [r[1] for r in body] == ["标志性工程", "重点工程"]
    total_row = next(r for r in rows if r[0] == "合计")
    total = sum(Decimal(str(r[6])) for r in body)
    informatisation = sum(Decimal(str(r[7])) for r in body)
    assert total == Decimal("2050.50")  # 1200.00 + 850.50
    assert informatisation == Decimal("1750.25")  # 1000.00 + 750.25
    assert Decimal(str(total_row[6])) == total
    assert Decimal(str(total_row[7])) == informatisation
    assert total_row[1] == "2个项目"


def test_pdf_export(office_client, notice):
    response = office_client.get(reverse("notices:pdf", args=[notice.pk]))
    assert response.content.startswith(b"%PDF")
    # Before finalisation the file says it is a working copy.
    assert quote("拟入选项目名单（未定稿）.pdf") in response["Content-Disposition"]


def test_a_project_that_failed_the_formal_check_learns_it_with_the_final_list(
    office_client, notice, listed, make_passed, office
):
    from keyprojects.applications import workflow

    failed = workflow.perform(
        make_passed("形式审查未通过的项目"), "fail_check", by=office, reason="缺少立项批复"
    )
    owner = failed.organisation.users.get()
    assert not Notification.objects.filter(user=owner, key__startswith="notice-outcome")

    with time_machine.travel(notice.closes_at, tick=False):
        finalise(office_client, notice)

    [message] = Notification.objects.filter(user=owner, key__startswith="notice-outcome")
    assert "未列入" in message.text and failed.name in message.text
