"""The local authority reads the submitted reports of its area and comments once per report,
editable until the office evaluates; another city's reviewer finds nothing."""

import pytest
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.notifications.models import Notification
from keyprojects.tracking import domain, workflow
from keyprojects.tracking.models import AuthorityComment

from .conftest import FILLED

pytestmark = pytest.mark.django_db

GRADES = {"on_schedule": "good", "funds": "good", "results": "good", "overall": "good"}


@pytest.fixture
def submitted(report, applicant, nanjing_reviewer):
    """Submitted once 南京市 has a reviewer to tell."""
    return workflow.submit(report, FILLED, by=applicant, expected_version=report.version)


def test_not_visible_before_submit(client, report, nanjing_reviewer):
    client.force_login(nanjing_reviewer)
    assert client.get(reverse("tracking:area_report", args=[report.pk])).status_code == 404
    assert report.project.name not in client.get(reverse("tracking:area_reports")).content.decode()


def test_reviewer_is_told_comments_and_revises(client, submitted, nanjing_reviewer):
    assert Notification.objects.filter(
        user=nanjing_reviewer, key=f"tracking-comment:{submitted.pk}"
    ).exists()
    client.force_login(nanjing_reviewer)
    listing = client.get(reverse("tracking:area_reports")).content.decode()
    assert submitted.project.name in listing and "待填写" in listing
    url = reverse("tracking:area_report", args=[submitted.pk])
    assert FILLED["milestones"] in client.get(url).content.decode()
    assert client.post(url, {"text": "情况属实。", "version": 0}).status_code == 302
    assert client.post(url, {"text": "情况属实，建议推广。", "version": 1}).status_code == 302
    comment = AuthorityComment.objects.get(report=submitted)
    assert comment.text == "情况属实，建议推广。" and comment.version == 2
    assert comment.authority == nanjing_reviewer.authority
    actions = Event.objects.filter(target_id=str(submitted.pk)).values_list("action", flat=True)
    assert {"comment", "revise_comment"} <= set(actions)


def test_stale_comment_is_refused_and_keeps_the_text(client, submitted, nanjing_reviewer):
    domain.save_comment(submitted, "同事的意见", by=nanjing_reviewer)
    client.force_login(nanjing_reviewer)
    url = reverse("tracking:area_report", args=[submitted.pk])
    response = client.post(url, {"text": "我的意见", "version": 0})
    assert response.status_code == 409
    assert "我的意见" in response.content.decode()
    assert AuthorityComment.objects.get(report=submitted).text == "同事的意见"


def test_empty_comment_is_refused(client, submitted, nanjing_reviewer):
    client.force_login(nanjing_reviewer)
    url = reverse("tracking:area_report", args=[submitted.pk])
    response = client.post(url, {"text": "  ", "version": 0})
    assert response.status_code == 400
    assert not AuthorityComment.objects.exists()


def test_frozen_once_evaluated(client, submitted, nanjing_reviewer, office):
    domain.save_comment(submitted, "情况属实。", by=nanjing_reviewer)
    workflow.evaluate(submitted, GRADES, by=office)
    with pytest.raises(workflow.ReportRefused, match="属地意见不能再修改"):
        domain.save_comment(submitted, "改一下", by=nanjing_reviewer, expected_version=1)
    client.force_login(nanjing_reviewer)
    page = client.get(reverse("tracking:area_report", args=[submitted.pk])).content.decode()
    assert "情况属实。" in page and 'id="comment-form"' not in page


def test_another_citys_reviewer_gets_404(client, submitted, suzhou_reviewer):
    client.force_login(suzhou_reviewer)
    url = reverse("tracking:area_report", args=[submitted.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "越权", "version": 0}).status_code == 404
    assert (
        submitted.project.name not in client.get(reverse("tracking:area_reports")).content.decode()
    )
    assert not AuthorityComment.objects.exists()
