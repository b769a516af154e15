"""The office edits a call's rubric in the admin; a rubric that does not add up is refused."""

import json

import pytest
from django.urls import reverse

from keyprojects.experts.models import ReviewPlan

from ..factories import make_user


@pytest.fixture
def admin_client(client, regions):
    client.force_login(make_user(None, is_staff=True, is_superuser=True))
    return client


def post_plan(client, call, rubric):
    return client.post(
        reverse("admin:experts_reviewplan_add"),
        {
            "call": call.pk,
            "experts_per_application": 5,
            "max_per_expert": 20,
            "blind": "on",
            "rubric": json.dumps(rubric, ensure_ascii=False),
        },
    )


def test_a_rubric_whose_weights_do_not_add_up_is_refused(admin_client, call):
    response = post_plan(admin_client, call, [{"code": "a", "title": "创新性", "weight": 60}])
    assert response.status_code == 200
    assert "权重合计应为 100，现为 60" in response.content.decode()
    assert not ReviewPlan.objects.exists()


def test_a_good_rubric_is_saved_with_its_ranges(admin_client, call):
    rubric = [
        {"code": "a", "title": "创新性", "weight": 60},
        {"code": "b", "title": "示范性", "weight": 40, "max": 40},
    ]
    assert post_plan(admin_client, call, rubric).status_code == 302
    saved = ReviewPlan.objects.get(call=call).rubric
    assert [(c["code"], c["min"], c["max"]) for c in saved] == [("a", "0", "60"), ("b", "0", "40")]
