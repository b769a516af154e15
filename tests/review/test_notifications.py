"""Applicants hear of opinions, reviewers of resubmissions, everyone of deadlines."""

import datetime as dt

import time_machine
from django.core import mail
from django.urls import reverse

from keyprojects.applications import domain as applications
from keyprojects.notifications.models import Notification
from keyprojects.notifications.reminders import send_reminders
from keyprojects.review import domain as review

from ..factories import PASSWORD, make_application


def test_return_and_resubmit_notify_both_sides(
    call, county_applicant, county_reviewer, django_capture_on_commit_callbacks
):
    application = applications.submit(make_application(call, county_applicant), by=county_applicant)
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(application, "return", by=county_reviewer, reason="请补充立项批复")
    [to_applicant] = Notification.objects.filter(user=county_applicant)
    assert "退回修改：请补充立项批复" in to_applicant.text
    assert mail.outbox[-1].to == [county_applicant.email]
    with django_capture_on_commit_callbacks(execute=True):
        applications.submit(application, by=county_applicant)
    [to_reviewer] = Notification.objects.filter(user=county_reviewer)
    assert "已重新提交" in to_reviewer.text
    assert to_reviewer.url == reverse("review:application", args=[application.pk])


def test_inbox_shows_and_marks_read(client, call, county_applicant, county_reviewer):
    application = applications.submit(make_application(call, county_applicant), by=county_applicant)
    review.decide(application, "recommend", by=county_reviewer)
    client.login(username=county_applicant.username, password=PASSWORD)
    page = client.get(reverse("applications:home")).content.decode()
    assert 'badge text-bg-light">1<' in page
    assert (
        "已获徐州市沛县信息化主管部门推荐"
        in client.get(reverse("notifications:inbox")).content.decode()
    )
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_deadline_reminders_once_a_day(call, county_applicant, county_reviewer):
    make_application(call, county_applicant)  # a draft, not yet submitted
    submitted = applications.submit(make_application(call, county_applicant), by=county_applicant)
    assert submitted.status == "submitted"
    before_close = call.window_closes_at - dt.timedelta(days=1)
    with time_machine.travel(before_close, tick=False):
        assert send_reminders() == 1  # the applicant with a draft
        assert send_reminders() == 0  # not twice on one day
    before_deadline = call.recommendation_deadline - dt.timedelta(days=2)
    with time_machine.travel(before_deadline, tick=False):
        assert send_reminders() == 1  # the reviewer with a project awaiting an opinion
    texts = list(Notification.objects.values_list("text", flat=True))
    assert any("网上申报将于" in t for t in texts) and any("推荐意见将于" in t for t in texts)
