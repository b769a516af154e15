"""Every list costs the same number of SQL queries whatever its length (N+1 guards).

Each test reads a list, adds rows, reads it again: more rows, the same query count.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.core.clock import now
from keyprojects.notices.models import PublicNotice
from keyprojects.orgs.models import Region
from keyprojects.tracking import domain as tracking
from keyprojects.tracking.models import TrackedProject

from ..factories import make_application, make_call, make_user, selected_maker
from .conftest import bearer, finalise_list, issue, publish_case, recommend

pytestmark = pytest.mark.django_db
CEILING = 10  # authentication (token or session) included


def measure(client, url, headers=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, {"limit": 100}, headers=headers or {})
    assert response.status_code == 200, response.content
    return len(context.captured_queries), response.json()["count"]


def assert_flat(client, url, grow, headers=None):
    queries, rows = measure(client, url, headers)
    grow()
    more_queries, more_rows = measure(client, url, headers)
    assert more_rows > rows
    assert more_queries == queries, f"{url}: {queries} → {more_queries} queries"
    assert queries <= CEILING


def test_calls(client, call):
    assert_flat(client, "/api/v1/calls/", lambda: [make_call(slug=f"c{i}") for i in range(3)])


def test_regions(client, regions):
    def grow():
        for code in ["329901", "329902"]:
            Region.objects.create(code=code, name=f"测试{code}", kind="city", parent_id="320000")

    assert_flat(client, "/api/v1/regions/", grow)


def test_notices(client, world, office):
    def grow():
        for i in range(2):
            PublicNotice.objects.create(
                call=make_call(slug=f"n{i}"),
                title=f"公示{i}",
                text="……",
                starts_on=dt.date(2021, 1, 4),
                ends_on=dt.date(2021, 1, 8),
                contact_name="省信息化办",
                contact_phone="025-83000000",
                state=PublicNotice.State.PUBLISHED,
                created_by=office,
                updated_by=office,
            )

    assert_flat(client, "/api/v1/notices/", grow)


def test_selected(client, call, office):
    selected_maker(call, office)("第一个项目")
    finalise_list(call, office)

    def grow():
        other = make_call(slug="2021", year=2021)
        make = selected_maker(other, office)
        make("第二个项目", seat="320505")
        make("第三个项目", seat="320281")
        finalise_list(other, office)

    assert_flat(client, "/api/v1/selected/", grow)


def test_cases(client, world, office, checker):
    publish_case(world.nanjing, office=office, checker=checker)

    def grow():
        publish_case(world.suzhou, office=office, checker=checker)
        publish_case(world.jiangyin, office=office, checker=checker)

    assert_flat(client, "/api/v1/cases/", grow)


def test_projects(client, world, office):
    headers = bearer(issue(office))
    client.get("/api/v1/projects/", headers=headers)  # the token's first use is remembered

    def grow():
        recommend(world.nanjing.call, "新增项目一", seat="320505")
        recommend(world.nanjing.call, "新增项目二", seat="320281")

    assert_flat(client, "/api/v1/projects/", grow, headers)


def test_my_applications(client, call, applicant, office, selected):
    make_application(call, applicant, name="草稿一")
    client.force_login(applicant)
    client.get("/api/v1/me/applications/")  # the session's first touch is written once

    def grow():
        finalise_list(call, office)
        for i in range(3):
            make_application(call, applicant, name=f"草稿{i + 2}")

    assert_flat(client, "/api/v1/me/applications/", grow)


def test_tracking_reports(client, reports, office):
    headers = bearer(issue(office))
    client.get("/api/v1/tracking/reports/", headers=headers)

    def grow():
        for i in range(2):
            TrackedProject.objects.create(
                year=2018,
                name=f"往年项目{i}",
                applicant_name="某单位",
                credit_code="91320102MA00000106",
                category_name="数字治理类",
                city=Region.objects.get(code="320100"),
                informatisation_investment=Decimal("500.00"),
                source=TrackedProject.Source.IMPORTED,
                created_at=now(),
            )
        tracking.add_missing(reports.round, by=office)

    assert_flat(client, "/api/v1/tracking/reports/", grow, headers)


def test_a_reviewer_session_is_as_cheap(client, world):
    client.force_login(make_user(None, authority=world.nanjing.authority))
    client.get("/api/v1/projects/")

    def grow():
        recommend(world.nanjing.call, "新增项目", seat="320104")

    assert_flat(client, "/api/v1/projects/", grow)
