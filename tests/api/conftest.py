"""A small province for the API: projects at every stage in three areas, a final list,
a published case, a tracking round, and the people and tokens that read them.

Areas (routing by the applicant's seat, orgs.routing):
- 南京 (seat 320102, a district): routed to 南京市信息化主管部门;
- 苏州 (seat 320505, a district): routed to 苏州市信息化主管部门;
- 江阴 (seat 320281, a county-level city): routed to 无锡市江阴市信息化主管部门 and copied
  (抄报) to 无锡市信息化主管部门.
"""

import datetime as dt
import types
from decimal import Decimal

import pytest
from django.core.cache import cache

from keyprojects.api import tokens
from keyprojects.applications import domain as applications
from keyprojects.cases import domain as cases
from keyprojects.core.clock import now
from keyprojects.notices import publication
from keyprojects.orgs.models import Authority
from keyprojects.review import domain as review
from keyprojects.tracking import domain as tracking
from keyprojects.tracking import workflow as tracking_workflow

from ..factories import (
    finalise_list,
    make_application,
    make_office,
    make_organisation,
    make_user,
    selected_maker,
)

NANJING = "南京市信息化主管部门"
SUZHOU = "苏州市信息化主管部门"
WUXI = "无锡市信息化主管部门"
JIANGYIN = "无锡市江阴市信息化主管部门"
BOTH_SCOPES = ("projects:read", "tracking:read")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the API's rate limits count in the (per-process) cache
    yield
    cache.clear()


def authority(name):
    return Authority.objects.get(name=name)


def issue(office, *, area=None, scopes=BOTH_SCOPES, days=30, name="测试系统"):
    """A token's secret: province-wide unless `area` names an authority."""
    _token, secret = tokens.issue(
        name=name,
        authority=authority(area) if area else None,
        scopes=list(scopes),
        expires_at=now() + dt.timedelta(days=days),
        by=office,
    )
    return secret


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def recommend(call, name, *, seat="320102", total="900.00"):
    """An application recommended by its local authority (status recommended)."""
    owner = make_user(make_organisation(seat=seat))
    application = make_application(call, owner, name=name, total_investment=Decimal(total))
    application = applications.submit(application, by=owner)
    reviewer = make_user(None, authority=application.authority)
    return review.decide(application, "recommend", by=reviewer)


def submitted(call, name, *, seat="320102"):
    owner = make_user(make_organisation(seat=seat))
    application = make_application(call, owner, name=name)
    return applications.submit(application, by=owner)


@pytest.fixture
def office(regions):
    return make_office(username="office", is_staff=True)


@pytest.fixture
def checker(regions):
    """A second member of the office: approves what `office` submits (four eyes)."""
    return make_office(username="checker", is_staff=True)


@pytest.fixture
def selected(call, office):
    """Three selected projects (重点工程), one per area, the list not yet final."""
    make = selected_maker(call, office)
    return types.SimpleNamespace(
        nanjing=make("玄武区城市大脑", "1200.10", "200.00", seat="320102"),
        suzhou=make("苏州工业互联网平台", "850.50", "100.25", "digital_economy", "320505"),
        jiangyin=make("江阴市智慧水务", "600.00", "0.00", seat="320281"),
    )


@pytest.fixture
def world(call, office, selected):
    """`selected` with the list final, plus a recommended and a submitted project in 南京."""
    notice = finalise_list(call, office)
    return types.SimpleNamespace(
        **vars(selected),
        recommended=recommend(call, "鼓楼区智慧养老", seat="320106"),
        submitted=submitted(call, "秦淮区数字档案"),
        notice=notice,
    )


def publish_case(application, *, office, checker, title=None):
    case = cases.create_case(application, by=office)
    if title:
        values = {name: getattr(case, name) for name in cases.TEXT_FIELDS}
        case = cases.save_text(
            case, {**values, "title": title}, by=office, expected_version=case.version
        )
    cases.add_figure(case, label="服务人次", value=Decimal("1200.5"), unit="万", by=office)
    case.refresh_from_db()
    owner = application.organisation.users.first()
    cases.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=owner)
    case.refresh_from_db()
    case = cases.act(case, "submit", by=office, expected_version=case.version)
    return cases.act(case, "publish", by=checker, expected_version=case.version)


FILLED = {
    "investment_completed": Decimal("420.50"),
    "milestones": "完成平台一期建设并通过验收。",
    "users_and_results": "服务居民12万人。",
    "problems": "无",
}


@pytest.fixture
def reports(world, office):
    """A tracking round over the three selected projects; 南京's and 苏州's reports sent."""
    tracking.track_selected(world.nanjing.call, by=office)
    round_ = tracking.open_round(
        title="2026年度跟踪评价",
        period="2026年度",
        due_on=publication.today() + dt.timedelta(days=30),
        by=office,
    )
    sent = {}
    for key in ["nanjing", "suzhou"]:
        application = getattr(world, key)
        report = round_.reports.get(project__application=application)
        owner = application.organisation.users.first()
        sent[key] = tracking_workflow.submit(
            report, FILLED, by=owner, expected_version=report.version
        )
    draft = round_.reports.get(project__application=world.jiangyin)
    return types.SimpleNamespace(round=round_, draft=draft, **sent)
