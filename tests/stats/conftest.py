"""A small province, built through the real workflow, whose figures are counted by hand.

Call 2020 (`call`, slug "test"):

| name       | stage           | seat                      | city  | category    | total   |
|------------|-----------------|---------------------------|-------|-------------|---------|
| 南京入选   | selected        | 320102 玄武区             | 南京  | governance  | 1200.00 |
| 南京推荐   | recommended     | 320104 秦淮区             | 南京  | economy     |  800.50 |
| 南京不推荐 | not_recommended | 320102                    | 南京  | governance  |  400.00 |
| 南京草稿   | draft           | 320102                    | —     | governance  |  999.00 |
| 南京撤回   | withdrawn       | 320102                    | —     | governance  |  700.00 |
| 苏州入选   | selected        | 320505 虎丘区             | 苏州  | economy     | 2600.00 |
| 苏州已提交 | submitted       | 320505                    | 苏州  | governance  |  500.00 |
| 沛县未入选 | not_selected    | 320322 沛县 (county)       | 徐州  | governance  |  650.00 |
| 徐州推荐   | recommended     | 320302 徐州鼓楼区          | 徐州  | infra       |  900.00 |
| 省属入选   | selected        | provincial SOE, 320106    | 省级  | cybersecurity | 3000.00 |

Call 2021 (`next_call`, slug "next"): 南京次年入选 selected (320102, governance, 1500.00) and
苏州次年待定 check_passed (320505, economy, 450.00).
"""

from decimal import Decimal

import pytest

from keyprojects.applications import domain, workflow
from keyprojects.notices import decisions
from keyprojects.orgs.models import Authority, Organisation
from keyprojects.review import domain as review

from ..factories import (
    make_application,
    make_call,
    make_office,
    make_organisation,
    make_user,
)

SOE = "provincial_soe"

WORLD_2020 = [
    # (name, stage, seat, category, total, organisation kind)
    ("南京入选", "selected", "320102", "digital_governance", "1200.00", None),
    ("南京推荐", "recommended", "320104", "digital_economy", "800.50", None),
    ("南京不推荐", "not_recommended", "320102", "digital_governance", "400.00", None),
    ("南京草稿", "draft", "320102", "digital_governance", "999.00", None),
    ("南京撤回", "withdrawn", "320102", "digital_governance", "700.00", None),
    ("苏州入选", "selected", "320505", "digital_economy", "2600.00", None),
    ("苏州已提交", "submitted", "320505", "digital_governance", "500.00", None),
    ("沛县未入选", "not_selected", "320322", "digital_governance", "650.00", None),
    ("徐州推荐", "recommended", "320302", "digital_infrastructure", "900.00", None),
    ("省属入选", "selected", "320106", "cybersecurity", "3000.00", SOE),
]
WORLD_2021 = [
    ("南京次年入选", "selected", "320102", "digital_governance", "1500.00", None),
    ("苏州次年待定", "check_passed", "320505", "digital_economy", "450.00", None),
]


@pytest.fixture
def office(regions):
    return make_office(username="office", is_staff=True)


class Builder:
    """build(name, stage, seat, category, total, kind): an application brought to `stage`
    through the same functions the pages call."""

    def __init__(self, call, office):
        self.call, self.office = call, office
        self.reviewers = {}
        self.tier = None

    def reviewer(self, authority):
        if authority.pk not in self.reviewers:
            self.reviewers[authority.pk] = make_user(None, authority=authority)
        return self.reviewers[authority.pk]

    def __call__(
        self, name, stage, seat="320102", category="digital_governance", total="1200.00", kind=None
    ):
        extra = {}
        if kind == SOE:
            extra = {
                "kind": Organisation.Kind.PROVINCIAL_SOE,
                "supervising_department": Authority.objects.get(name="省交通运输厅"),
            }
        owner = make_user(make_organisation(seat=seat, **extra))
        application = make_application(
            self.call,
            owner,
            name=name,
            total_investment=Decimal(total),
            civil_works_investment=Decimal("100.00"),
            investment_completed=Decimal(total) / 2,
            category=self.call.categories.get(code=category),
        )
        if stage == "draft":
            return application
        application = domain.submit(application, by=owner)
        if stage == "withdrawn":
            return domain.withdraw(application, by=owner)
        if stage == "submitted":
            return application
        reviewer = self.reviewer(application.authority)
        if stage == "not_recommended":
            return review.decide(application, "not_recommend", by=reviewer, reason="不符合要求")
        application = review.decide(application, "recommend", by=reviewer)
        if stage == "recommended":
            return application
        application = workflow.perform(application, "pass_check", by=self.office)
        if stage == "check_passed":
            return application
        if stage == "not_selected":
            return decisions.not_select(application, "综合评审得分较低", by=self.office)
        if self.tier is None:
            self.tier = decisions.create_default_tiers(self.call, by=self.office)[1]
        return decisions.select(application, self.tier, by=self.office)


@pytest.fixture
def next_call(regions):
    return make_call(slug="next", year=2021, title="2021年智慧江苏重点工程")


@pytest.fixture
def world(call, next_call, office):
    """{name: application} for both calls (see the module's table)."""
    made = {}
    for target, rows in [(call, WORLD_2020), (next_call, WORLD_2021)]:
        build = Builder(target, office)
        for name, stage, seat, category, total, kind in rows:
            made[name] = build(name, stage, seat, category, total, kind)
    return made


def reviewer_of(name):
    return make_user(None, authority=Authority.objects.get(name=name))
