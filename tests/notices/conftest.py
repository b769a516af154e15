"""A call with applications that passed the formal check, the office, and a notice.

Applications reach check_passed the way production brings them there: submitted by their
applicant, recommended by 南京市's reviewer, passed by the office's formal check. Each has an
organisation of its own (the per-applicant limit is 2 per call).
"""

import datetime as dt
import time

import pytest
from django.core.cache import cache

from keyprojects.notices import decisions, publication, spam
from keyprojects.orgs.models import Authority

from ..factories import make_office, make_user, passed_maker


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the rate limit lives in the (per-process) cache
    yield
    cache.clear()


@pytest.fixture
def office(regions):
    return make_office(username="office")


@pytest.fixture
def reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))


@pytest.fixture
def make_passed(call, office):
    """make_passed(name, total, civil, category code, seat): a check_passed application."""
    return passed_maker(call, office)


@pytest.fixture
def tiers(call, office):
    """The 2020 tiers: 标志性工程 (max 10), 重点工程 (max 50, flagships included)."""
    return default_tiers(call, office)


def default_tiers(call, office):
    flagship, key = decisions.create_default_tiers(call, by=office)
    return {"flagship": flagship, "key": key}


@pytest.fixture
def listed(make_passed, tiers, office):
    """Three decided applications: a flagship, a key project, one not selected."""
    return decide_three(make_passed, tiers, office)


def decide_three(make_passed, tiers, office):
    flagship = decisions.select(make_passed("玄武区城市大脑"), tiers["flagship"], by=office)
    key = decisions.select(
        make_passed("苏州工业互联网平台", "850.50", "100.25", "digital_economy", "320505"),
        tiers["key"],
        by=office,
    )
    rejected = decisions.not_select(
        make_passed("未入选的智慧停车项目"), "综合评审得分较低", by=office
    )
    return {"flagship": flagship, "key": key, "rejected": rejected}


def notice_values(call, **overrides):
    today = publication.today()
    return {
        "title": f"{call.title}拟入选项目公示",
        "text": "现将拟入选项目予以公示。",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=6),
        "contact_name": "省信息化办王处",
        "contact_phone": "025-83000000",
        "contact_email": "notice@example.com",
        "contact_address": "南京市北京东路41号",
        **overrides,
    }


@pytest.fixture
def notice(call, listed, office):
    """A published notice of `listed`, in its period now."""
    return publish_notice(call, office)


def publish_notice(call, office):
    draft = publication.save_notice(call, notice_values(call), by=office)
    return publication.publish(draft, by=office)


def old_token(notice):
    """A form stamp from a minute ago: a person who took their time."""
    return spam.fill_token(notice.pk, issued_at=time.time() - 60)
