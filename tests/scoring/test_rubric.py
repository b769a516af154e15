"""The rubric: the 2020 default from the notice, a plan's own rubric, totals in Decimal."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyprojects.experts.models import ReviewPlan
from keyprojects.scoring.rubric import default_2020_rubric, normalised, rubric_for, total


def test_default_2020_rubric_is_the_notices_six_requirements_weighing_100():
    rubric = default_2020_rubric()
    assert len(rubric) == 6
    assert sum(Decimal(c["weight"]) for c in rubric) == 100
    assert [c["weight"] for c in rubric] == [20, 15, 20, 15, 15, 15]
    # Requirement 5 of 二、建设要求: independent core technology, domestic products, security.
    assert "自主可控" in rubric[4]["title"] and "国产" in rubric[4]["description"]
    assert all(c["min"] == 0 and c["max"] == c["weight"] for c in rubric)


def test_a_call_without_a_plan_or_with_an_empty_rubric_gets_the_default(call):
    assert [c["code"] for c in rubric_for(call)] == [c["code"] for c in default_2020_rubric()]
    ReviewPlan.objects.create(call=call, rubric=[])
    call.refresh_from_db()
    assert len(rubric_for(call)) == 6


def test_a_plans_rubric_is_used_and_scaled_to_its_weight(call):
    ReviewPlan.objects.create(
        call=call,
        rubric=[
            {"code": "a", "title": "创新", "weight": 60, "max": 10},
            {"code": "b", "title": "成效", "weight": 40, "min": 1, "max": 5},
        ],
    )
    call.refresh_from_db()
    rubric = rubric_for(call)
    # 60 × 7.5/10 + 40 × (3 − 1)/(5 − 1) = 45 + 20 = 65
    assert total(rubric, {"a": "7.5", "b": "3"}) == Decimal("65.00")
    assert total(rubric, {"a": "7.5"}) is None  # incomplete


def test_the_default_total_is_the_sum_of_points():
    rubric = default_2020_rubric()
    items = {"leadership": "18.5", "management": "12", "demand": "17", "integration": "13",
             "autonomy": "11.25", "promotion": "14"}  # fmt: skip
    assert total(rubric, items) == Decimal("85.75")


@pytest.mark.parametrize(
    ("rubric", "message"),
    [
        ([], "至少要有一项"),
        ([{"code": "a", "title": "甲", "weight": 50}], "合计应为 100，现为 50"),
        (
            [
                {"code": "a", "title": "甲", "weight": 50},
                {"code": "a", "title": "乙", "weight": 50},
            ],
            "重复",
        ),
        ([{"code": "a", "title": "甲", "weight": "很多"}], "不是数字"),
        ([{"code": "a", "title": "甲", "weight": 100, "min": 5, "max": 5}], "最高分须高于最低分"),
    ],
)
def test_a_bad_rubric_is_refused_with_a_clear_message(rubric, message):
    with pytest.raises(ValidationError) as refused:
        normalised(rubric)
    assert message in " ".join(refused.value.messages)
