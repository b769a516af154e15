"""ranking(call): the interface other apps use, read from the database."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.scoring import defence, domain
from keyprojects.scoring.aggregation import RankedApplication, ranking, ranking_round
from keyprojects.scoring.models import ReviewRound

from ..factories import make_organisation, make_user
from .helpers import assign, full_marks, recommend, score

pytestmark = pytest.mark.django_db


def by_name(call):
    return {a.name: a for a in call.applications.all()}


@pytest.fixture
def scored(online, experts):
    """城市运行: 60, 70, 80, 90, 100 (trimmed: 80); 政务数据: four submitted, 70, 75, 80, 85
    and one draft (mean 77.50); 智慧养老: drafts only."""
    apps = by_name(online.call)
    for expert, share in zip(experts, ["0.6", "0.7", "0.8", "0.9", "1"], strict=True):
        score(online, apps["玄武区城市运行一网统管平台"], expert, full_marks(online.rubric, share))
    for expert, share in zip(experts[:4], ["0.7", "0.75", "0.8", "0.85"], strict=True):
        score(online, apps["玄武区政务数据共享平台"], expert, full_marks(online.rubric, share))
    score(online, apps["玄武区政务数据共享平台"], experts[4], {}, submit=False)
    score(online, apps["秦淮区智慧养老服务平台"], experts[0], {}, submit=False)
    return online


def test_the_interface_is_exactly_as_agreed():
    assert [f.name for f in dataclasses.fields(RankedApplication)] == [
        "application",
        "category",
        "score",
        "rank",
        "scores_count",
        "assigned_count",
        "spread",
        "tie_note",
        "outlier_notes",
    ]
    assert RankedApplication.__dataclass_params__.frozen


def test_ranking_uses_submitted_scores_only(scored):
    rows = ranking(scored.call)
    assert [
        (r.application.name, r.score, r.rank, r.scores_count, r.assigned_count) for r in rows
    ] == [
        ("玄武区城市运行一网统管平台", Decimal("80.00"), 1, 5, 5),
        ("玄武区政务数据共享平台", Decimal("77.50"), 2, 4, 5),
        ("秦淮区智慧养老服务平台", None, None, 0, 5),
    ]
    first = rows[0]
    assert first.category.code == "digital_governance"
    # SD of 60…100: √((400+100+0+100+400)/5) = √200 = 14.14
    assert first.spread == Decimal("14.14")
    assert first.tie_note == ""
    assert not any("标准差" in note for note in first.outlier_notes)  # evenly spread
    # 赵一 (60 and 70): −25 against (70+80+90+100)/4 and −10 against (75+80+85)/3 → −17.50;
    # 李四 (90 and 85): +12.50 against 77.50 and +10 against 75 → +11.25.
    assert "评分专家 赵一 整体偏低：平均比同项目其他专家偏低 17.50 分。" in first.outlier_notes
    assert "评分专家 李四 整体偏高：平均比同项目其他专家偏高 11.25 分。" in first.outlier_notes


def test_before_any_score_the_assigned_applications_are_listed_unranked(call, assigned):
    rows = ranking(call)
    assert len(rows) == 3
    assert all(r.score is None and r.rank is None and r.assigned_count == 5 for r in rows)


def test_the_latest_round_with_submitted_scores_is_used(scored, office, experts):
    call = scored.call
    assert ranking_round(call) == scored
    domain.change_round(scored, "close", by=office)
    panel_round = domain.create_round(call, kind=ReviewRound.Kind.DEFENCE, order=2, by=office)
    apps = by_name(call)
    shortlisted = apps["玄武区政务数据共享平台"]
    defence.set_shortlist(panel_round, [shortlisted.pk], by=office)
    panel = defence.create_panel(
        panel_round,
        category=shortlisted.category,
        name="第一评审组",
        place="苏兴大厦902室",
        date=call.window_closes_at.date(),
        experts=experts[:3],
        by=office,
    )
    defence.add_slot(panel, shortlisted, start=dt.time(9), end=dt.time(9, 30), by=office)
    panel_round = domain.change_round(panel_round, "open", by=office)
    # The defence round has no submitted score yet: still the online round.
    score(panel_round, shortlisted, experts[0], {}, submit=False)
    assert ranking_round(call) == scored
    score(panel_round, shortlisted, experts[0], full_marks(panel_round.rubric, "0.95"))
    assert ranking_round(call) == panel_round
    (row,) = ranking(call)
    assert (row.application, row.score, row.scores_count, row.assigned_count) == (
        shortlisted,
        Decimal("95.00"),
        1,
        3,
    )


def test_normalised_ranking_runs_on_the_same_rows(scored):
    plain = ranking(scored.call)
    fair = ranking(scored.call, normalise=True)
    # The same applications, the unscored one last; the scores are the z-score mapping's
    # (its arithmetic is checked by hand in test_aggregation.py).
    assert {r.application for r in fair} == {r.application for r in plain}
    assert fair[-1].score is None and all(r.score is not None for r in fair[:2])
    assert [r.score for r in fair[:2]] != [r.score for r in plain[:2]]


def test_ranking_runs_a_fixed_number_of_queries(scored, applicant, reviewer, experts, office):
    with CaptureQueriesContext(connection) as few:
        ranking(scored.call)
    for n in range(3):
        owner = make_user(make_organisation(seat="320104"))
        application = recommend(scored.call, owner, f"第{n}个新项目", reviewer)
        for expert in experts:
            assign(expert, application, office)
            score(scored, application, expert, full_marks(scored.rubric, "0.5"))
    with CaptureQueriesContext(connection) as more:
        rows = ranking(scored.call)
    assert len(rows) == 6
    assert len(more.captured_queries) == len(few.captured_queries)
