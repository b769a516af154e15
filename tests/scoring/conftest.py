"""A call under expert review: recommended applications, experts, assignments, the office.

Experts are created directly (the pool import is another app's work); their pages need a
session verified with the second factor, which helpers.sign_in_expert sets up as
django-otp's middleware expects (a confirmed TOTP device named in the session).
"""

import datetime as dt

import pytest

from keyprojects.core.clock import now
from keyprojects.orgs.models import Authority
from keyprojects.scoring import domain
from keyprojects.scoring.models import ReviewRound

from ..factories import make_office, make_organisation, make_user
from .helpers import EXPERT_NAMES, assign, make_expert, recommend


@pytest.fixture
def office(regions):
    return make_office(username="office_secretary")


@pytest.fixture
def reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))


@pytest.fixture
def recommended(call, applicant, reviewer):
    """Three recommended 数字治理 applications: two of `applicant`'s organisation, one of
    another 南京 organisation."""
    other = make_user(make_organisation(seat="320104"))
    return [
        recommend(call, applicant, "玄武区城市运行一网统管平台", reviewer),
        recommend(call, applicant, "玄武区政务数据共享平台", reviewer),
        recommend(call, other, "秦淮区智慧养老服务平台", reviewer),
    ]


@pytest.fixture
def experts(regions):
    return [make_expert(name) for name in EXPERT_NAMES]


@pytest.fixture
def assigned(recommended, experts, office):
    """Every expert is assigned every application (5 per application)."""
    for application in recommended:
        for expert in experts:
            assign(expert, application, office)
    return recommended


@pytest.fixture
def online(call, office, assigned):
    """The online round, open, with a deadline three days ahead."""
    round_ = domain.create_round(
        call,
        kind=ReviewRound.Kind.ONLINE,
        order=1,
        deadline=now() + dt.timedelta(days=3),
        by=office,
    )
    return domain.change_round(round_, "open", by=office)
