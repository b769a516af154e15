"""The decision page: rank order within each category, scores, a fixed number of queries."""

import datetime as dt
import importlib.util

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.core.clock import now

from ..factories import PASSWORD

pytestmark = pytest.mark.django_db

SCORING_EXISTS = importlib.util.find_spec("keyprojects.scoring") is not None


def test_queries_do_not_grow_with_the_rows(client, make_passed, tiers, office):
    client.login(username=office.username, password=PASSWORD)
    url = reverse("notices:decisions", args=["test"])
    make_passed("第一个项目")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for name in ["第二个项目", "第三个项目"]:
        make_passed(name, category="digital_economy", seat="320505")
    with CaptureQueriesContext(connection) as three:
        page = client.get(url).content.decode()
    assert "第三个项目" in page
    assert len(three.captured_queries) == len(one.captured_queries)


@pytest.fixture
def scored(call, make_passed, office):
    """Three 数字治理 projects: one scored 90, one scored 80, one never scored."""
    from keyprojects.scoring import domain as scoring
    from keyprojects.scoring.models import ReviewRound

    from ..scoring.helpers import EXPERT_NAMES, assign, full_marks, make_expert, score

    low, high, unscored = (make_passed(n) for n in ["得分低的项目", "得分高的项目", "未评分项目"])
    experts = [make_expert(name) for name in EXPERT_NAMES[:3]]
    for application in [low, high]:
        for expert in experts:
            assign(expert, application, office)
    round_ = scoring.create_round(
        call,
        kind=ReviewRound.Kind.ONLINE,
        order=1,
        deadline=now() + dt.timedelta(days=3),
        by=office,
    )
    round_ = scoring.change_round(round_, "open", by=office)
    for expert in experts:
        score(round_, high, expert, full_marks(round_.rubric, "0.9"))
        score(round_, low, expert, full_marks(round_.rubric, "0.8"))
    return {"low": low, "high": high, "unscored": unscored}


@pytest.mark.skipif(not SCORING_EXISTS, reason="the scoring module is not installed yet")
def test_rank_order_and_scores_from_the_experts(client, scored, tiers, office):
    client.login(username=office.username, password=PASSWORD)
    page = client.get(reverse("notices:decisions", args=["test"])).content.decode()
    high, low, unscored = scored["high"], scored["low"], scored["unscored"]
    assert page.index(high.name) < page.index(low.name) < page.index(unscored.name)
    assert "90.00" in page and "80.00" in page and "(3/3)" in page
    assert "专家评分尚未汇总" not in page
