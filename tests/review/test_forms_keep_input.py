"""A refused opinion or reopening comes back as typed, with the reason in Chinese at its place
(the reviewer's text is never thrown away by a redirect)."""

import datetime as dt
import re

import time_machine
from django.urls import reverse

from keyprojects.applications.workflow import Status
from keyprojects.review import domain

from .test_reopen_after_deadline import sent  # noqa: F401 (a fixture)


def test_a_return_without_reason_keeps_the_chosen_opinion(client, county_reviewer, submitted):
    application = submitted[0]
    client.force_login(county_reviewer)
    response = client.post(
        reverse("review:decide", args=[application.pk]), {"action": "return", "reason": "  "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写退回修改的理由。" in page
    assert re.search(r'value="return"[^>]*checked', page)  # the chosen opinion is kept
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_refused_opinion_keeps_the_typed_reason(client, call, county_reviewer, submitted):
    application = submitted[0]
    reason = "建设内容与往年项目重复，请说明区别。"
    # After the recommendation deadline the domain refuses; the text stays in the box.
    with time_machine.travel(call.recommendation_deadline + dt.timedelta(hours=1)):
        client.force_login(county_reviewer)
        response = client.post(
            reverse("review:decide", args=[application.pk]),
            {"action": "not_recommend", "reason": reason},
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page
    assert "截止" in page  # why it was refused
    assert "审核意见未保存" in page
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_a_refused_reopening_keeps_the_reason_and_says_why(client, call, sent, office):  # noqa: F811
    reason = "汇总表缺少第二个项目的推荐意见"
    with time_machine.travel(call.recommendation_deadline + dt.timedelta(days=1)):
        client.force_login(office)
        response = client.post(
            reverse("review:reopen_batch", args=[sent.pk]), {"reason": reason, "until": ""}
        )
    assert response.status_code == 400
    page = response.content.decode()
    assert reason in page and "请给出补报截止时间" in page
    sent.refresh_from_db()
    assert sent.is_submitted


def test_the_scan_field_quotes_the_notice_on_the_stamp(client, call, county, county_reviewer):
    domain.batch_for(call, county)
    client.force_login(county_reviewer)
    page = client.get(reverse("review:batch", args=[call.slug])).content.decode()
    assert "推荐项目汇总表（加盖单位公章）" in page and "通知三（一）" in page
