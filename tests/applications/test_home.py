"""The applicant's home page: its applications, their statuses, the time left."""

import datetime as dt

from django.urls import reverse

from keyprojects.applications import domain
from keyprojects.applications.models import Application
from keyprojects.core.clock import now

from ..factories import PASSWORD, make_application, make_call


def test_home_lists_own_applications_with_status_and_time_left(client, call, applicant, stranger):
    mine = make_application(call, applicant)
    domain.submit(mine, by=applicant)
    theirs = make_application(call, stranger, name="别人的项目")
    client.login(username=applicant.username, password=PASSWORD)
    page = client.get(reverse("applications:home")).content.decode()
    assert mine.name in page and "已提交" in page
    assert theirs.name not in page
    assert "新建申报" in page and "data-deadline" in page  # the open call, with a countdown
    assert "天" in page


def test_home_says_closed_for_a_past_call(client, regions, applicant):
    past = make_call(
        slug="past", opens=now() - dt.timedelta(days=30), closes=now() - dt.timedelta(days=1)
    )
    client.login(username=applicant.username, password=PASSWORD)
    Application.objects.create(
        call=past, organisation=applicant.organisation, created_by=applicant, name="去年的草稿"
    )
    page = client.get(reverse("applications:home")).content.decode()
    assert "去年的草稿" in page and "已截止" in page
    assert "新建申报" not in page


def test_query_count_does_not_grow_with_applications(
    client, call, applicant, django_assert_max_num_queries
):
    client.login(username=applicant.username, password=PASSWORD)
    make_application(call, applicant)
    # 14: the page, plus the calls of the filter and the count of the pager (lists carry
    # search, filters, sorting and pages since issue 8).
    with django_assert_max_num_queries(14) as one:
        client.get(reverse("applications:home"))
    for _ in range(3):
        make_application(call, applicant)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("applications:home"))
