"""The office reopens a sent recommendation after the call's deadline: it must grant the
authority a later deadline, which then holds for that authority only."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from keyprojects.applications import workflow
from keyprojects.applications.workflow import Status
from keyprojects.calls.domain import RecommendationClosed
from keyprojects.notifications.models import Notification
from keyprojects.orgs.models import Authority
from keyprojects.review import domain

from ..factories import PASSWORD, make_user
from .test_summary_table import scanned


@pytest.fixture
def sent(call, county, county_reviewer, submitted):
    for application in submitted:
        domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    batch = domain.batch_for(call, county)
    table = domain.start_table(batch, by=county_reviewer)
    table.refresh_from_db()
    domain.accept_scan(batch, scanned(table.pdf.read()), by=county_reviewer)
    return domain.submit_to_province(batch, by=county_reviewer)


def after_deadline(call, days=1):
    return time_machine.travel(call.recommendation_deadline + dt.timedelta(days=days))


def test_after_the_deadline_a_reopening_needs_a_later_deadline(call, sent, office):
    with after_deadline(call):
        with pytest.raises(domain.SubmitRefused, match="请给出补报截止时间"):
            domain.reopen(sent, by=office, reason="汇总表未盖章")
        with pytest.raises(domain.SubmitRefused, match="应晚于现在"):
            domain.reopen(
                sent, by=office, reason="汇总表未盖章", until=call.recommendation_deadline
            )
    sent.refresh_from_db()
    assert sent.is_submitted


def test_the_granted_deadline_lets_that_authority_act_until_it_passes(
    call, sent, office, county_reviewer, submitted
):
    until = call.recommendation_deadline + dt.timedelta(days=5)
    with after_deadline(call):
        reopened = domain.reopen(sent, by=office, reason="第二个项目请补充意见", until=until)
        assert reopened.deadline == until
        # The county can change its opinion and send again...
        domain.decide(submitted[1], "not_recommend", by=county_reviewer, reason="不符合要求")
        table = domain.start_table(reopened, by=county_reviewer)
        table.refresh_from_db()
        domain.accept_scan(reopened, scanned(table.pdf.read()), by=county_reviewer)
        assert domain.submit_to_province(reopened, by=county_reviewer).is_submitted
    # ...but not after the granted deadline.
    reopened.refresh_from_db()
    with time_machine.travel(until + dt.timedelta(minutes=1)):
        domain.reopen(reopened, by=office, reason="再次退回", until=until + dt.timedelta(days=3))
    with (
        time_machine.travel(until + dt.timedelta(days=3, minutes=1)),
        pytest.raises(RecommendationClosed),
    ):
        domain.decide(submitted[1], "recommend", by=county_reviewer)


def test_another_authority_gets_no_extension(call, sent, office, regions):
    other = make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))
    with after_deadline(call):
        domain.reopen(
            sent,
            by=office,
            reason="补正",
            until=call.recommendation_deadline + dt.timedelta(days=5),
        )
        batch = domain.batch_for(call, other.authority)
        with pytest.raises(RecommendationClosed):
            domain.submit_to_province(batch, by=other)


def test_the_authoritys_reviewers_are_told_with_the_reason_and_deadline(
    call, sent, office, county_reviewer
):
    until = call.recommendation_deadline + dt.timedelta(days=5)
    with after_deadline(call):
        domain.reopen(sent, by=office, reason="汇总表未盖章", until=until)
    message = Notification.objects.get(user=county_reviewer).text
    assert "汇总表未盖章" in message
    assert domain.format_deadline(until) in message


def test_the_office_reopens_through_the_table_page_form(client, call, sent, office):
    url = reverse("review:reopen_batch", args=[sent.pk])
    with after_deadline(call):
        client.login(username=office.username, password=PASSWORD)  # a fresh session then
        refused = client.post(url, {"reason": "补正"}, follow=True).content.decode()
        assert "请给出补报截止时间" in refused
        bad = client.post(url, {"reason": "补正", "until": "明天"}, follow=True).content.decode()
        assert "输入一个有效的日期/时间" in bad or "Enter a valid date/time" in bad
        until = (call.recommendation_deadline + dt.timedelta(days=3)).astimezone(
            dt.timezone(dt.timedelta(hours=8))
        )
        done = client.post(
            url, {"reason": "补正", "until": until.strftime("%Y-%m-%dT%H:%M")}, follow=True
        )
    assert "已退回" in done.content.decode()
    sent.refresh_from_db()
    assert not sent.is_submitted
    assert sent.extended_until == until.replace(second=0, microsecond=0)


def test_the_office_can_send_an_application_back_to_its_authority(call, sent, office, submitted):
    returned = workflow.perform(
        submitted[0], "return_to_authority", by=office, reason="投资额与批复不一致"
    )
    assert returned.status == Status.SUBMITTED
    with pytest.raises(workflow.TransitionRefused, match="理由"):
        workflow.perform(submitted[1], "return_to_authority", by=office)
