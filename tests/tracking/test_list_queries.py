"""Every list page runs the same number of SQL queries with one row as with several."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.tracking import domain, workflow

from ..factories import credit_code, make_organisation, make_user, pdf_upload
from .conftest import FILLED, make_project, open_round

pytestmark = pytest.mark.django_db

GRADES = {"on_schedule": "good", "funds": "good", "results": "good", "overall": "good"}


def add_filed_report(office, round_, nanjing_reviewer, n):
    """One more project of a 南京 owner, its report submitted with an attachment, commented
    and evaluated: every relation a list row shows."""
    organisation = make_organisation(seat="320102")
    owner = make_user(organisation)
    make_project(organisation, name=f"项目{n}")
    domain.add_missing(round_, by=office)
    report = round_.reports.get(project__name=f"项目{n}")
    domain.add_attachment(report, pdf_upload(), by=owner)
    report = workflow.submit(report, FILLED, by=owner, expected_version=report.version)
    domain.save_comment(report, "属实", by=nanjing_reviewer)
    workflow.evaluate(report, GRADES, by=office)
    return owner


def count(client, url, data=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def setting(office, nanjing_reviewer, regions):
    round_ = open_round(office)
    owner = add_filed_report(office, round_, nanjing_reviewer, 0)
    return round_, owner


def grow(office, round_, nanjing_reviewer):
    for n in range(1, 3):
        add_filed_report(office, round_, nanjing_reviewer, n)
    make_project(name="未注册单位的项目", credit_code=credit_code(), city=None)


def test_office_pages(client, office, nanjing_reviewer, setting):
    round_, _owner = setting
    client.force_login(office)
    urls = [
        (reverse("tracking:round", args=[round_.pk]), {}),
        (reverse("tracking:round", args=[round_.pk]), {"state": "evaluated", "city": "320100"}),
        (reverse("tracking:projects"), {}),
        (reverse("tracking:index"), {}),
    ]
    before = [count(client, url, data) for url, data in urls]
    grow(office, round_, nanjing_reviewer)
    open_round(office, title="另一轮")
    assert [count(client, url, data) for url, data in urls] == before


def test_owner_and_reviewer_lists(client, office, nanjing_reviewer, setting):
    round_, owner = setting
    organisation = owner.organisation
    client.force_login(owner)
    mine = count(client, reverse("tracking:my_reports"))
    client.force_login(nanjing_reviewer)
    area = count(client, reverse("tracking:area_reports"))
    grow(office, round_, nanjing_reviewer)
    make_project(organisation, name="同一单位的第二个项目")
    domain.add_missing(round_, by=office)
    client.force_login(owner)
    assert count(client, reverse("tracking:my_reports")) == mine
    client.force_login(nanjing_reviewer)
    assert count(client, reverse("tracking:area_reports")) == area


def test_round_page_has_a_bound(client, office, setting, django_assert_max_num_queries):
    round_, _owner = setting
    client.force_login(office)
    with django_assert_max_num_queries(20):
        client.get(reverse("tracking:round", args=[round_.pk]))
