"""Opening a round from its page: sensible defaults, a past due date refused in Chinese."""

import datetime as dt

import pytest
from django.urls import reverse

from keyprojects.tracking.models import TrackingRound

from .conftest import make_project, today

pytestmark = pytest.mark.django_db


def test_the_form_proposes_this_year_and_30_days(client, office, regions):
    client.force_login(office)
    page = client.get(reverse("tracking:round_new")).content.decode()
    year = today().year
    assert f"{year}年度智慧江苏重点工程跟踪评价" in page
    assert (today() + dt.timedelta(days=30)).isoformat() in page


def test_open_from_the_page(client, office, organisation, applicant):
    project = make_project(organisation)
    client.force_login(office)
    data = {"title": "2026年度跟踪评价", "period": "2026年度", "due_on": today().isoformat()}
    response = client.post(reverse("tracking:round_new"), data, follow=True)
    round_ = TrackingRound.objects.get()
    assert response.redirect_chain[-1][0] == reverse("tracking:round", args=[round_.pk])
    assert "共 1 份报告待填报，已通知建设单位" in response.content.decode()
    assert round_.reports.get().project == project


def test_past_due_date_is_refused_and_the_form_kept(client, office, regions):
    client.force_login(office)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    data = {"title": "我写的标题", "period": "2026年度", "due_on": yesterday}
    response = client.post(reverse("tracking:round_new"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "截止日期不能早于今天。" in page and "我写的标题" in page
    assert not TrackingRound.objects.exists()
