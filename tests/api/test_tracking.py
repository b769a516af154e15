"""/tracking/reports/: the office and province-wide tokens read every report; an authority
reads the reports routed to it once sent, without the office's evaluation."""

import pytest

from keyprojects.tracking import domain, workflow

from ..factories import make_user
from .conftest import JIANGYIN, NANJING, SUZHOU, WUXI, authority, bearer, issue

pytestmark = pytest.mark.django_db

GRADES = {"on_schedule": "good", "funds": "fair", "results": "good", "overall": "fairly_good"}


@pytest.fixture
def evaluated(reports, office):
    return workflow.evaluate(reports.nanjing, {**GRADES, "remark": "进展顺利"}, by=office)


def rows(client, secret=None, **params):
    headers = bearer(secret) if secret else {}
    response = client.get("/api/v1/tracking/reports/", params, headers=headers)
    assert response.status_code == 200, response.content
    return {row["project"]["name"]: row for row in response.json()["items"]}


def test_a_province_wide_token_reads_every_report_with_the_evaluation(
    client, office, reports, evaluated
):
    got = rows(client, issue(office))
    assert set(got) == {"玄武区城市大脑", "苏州工业互联网平台", "江阴市智慧水务"}
    nanjing = got["玄武区城市大脑"]
    assert nanjing["state"] == {"code": "evaluated", "label": "已评价"}
    assert nanjing["evaluation"]["overall"] == {"code": "fairly_good", "label": "较好"}
    assert nanjing["evaluation"]["remark"] == "进展顺利"
    assert nanjing["investment_completed"] == "420.50"
    assert nanjing["project"]["informatisation_investment"] == "1000.10"
    assert got["江阴市智慧水务"]["state"]["code"] == "pending"


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (NANJING, {"玄武区城市大脑"}),
        (SUZHOU, {"苏州工业互联网平台"}),
        (JIANGYIN, set()),  # its project's report is not sent yet
        (WUXI, set()),
    ],
)
def test_an_authority_token_reads_only_the_reports_sent_to_it(
    client, office, reports, evaluated, area, expected
):
    got = rows(client, issue(office, area=area))
    assert set(got) == expected
    for row in got.values():
        assert row["evaluation"] is None  # the office's grades are not the area's to read
        assert row["authority"]["name"] == area


def test_a_reviewer_session_reads_like_its_authority(client, reports):
    client.force_login(make_user(None, authority=authority(SUZHOU)))
    assert set(rows(client)) == {"苏州工业互联网平台"}


def test_the_authoritys_comment_is_part_of_the_report(client, office, reports):
    reviewer = make_user(None, authority=authority(NANJING))
    domain.save_comment(reports.nanjing, "属地核实无误。", by=reviewer)
    row = rows(client, issue(office, area=NANJING))["玄武区城市大脑"]
    assert row["comment"]["text"] == "属地核实无误。"
    assert row["comment"]["authority"] == NANJING


def test_filters(client, office, reports):
    secret = issue(office)
    assert set(rows(client, secret, state="pending")) == {"江阴市智慧水务"}
    assert set(rows(client, secret, city="320500")) == {"苏州工业互联网平台"}
    assert set(rows(client, secret, city="province")) == set()
    assert len(rows(client, secret, round=str(reports.round.pk))) == 3
    assert rows(client, secret, year=2019) == {}
    bad = client.get("/api/v1/tracking/reports/", {"state": "lost"}, headers=bearer(secret))
    assert bad.status_code == 422


def test_a_token_without_tracking_read_is_refused(client, office, reports):
    secret = issue(office, scopes=["projects:read"])
    response = client.get("/api/v1/tracking/reports/", headers=bearer(secret))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"
