"""scoring.demo.load_demo: the 2020 rounds, most scores in, one expert left to score."""

import datetime as dt

import pytest

from keyprojects.core.demo import DEMO_PASSWORD
from keyprojects.scoring.aggregation import ranking
from keyprojects.scoring.demo import load_demo
from keyprojects.scoring.models import ReviewRound, Score

pytestmark = pytest.mark.django_db

TODAY = dt.date(2020, 8, 20)


def test_without_assignments_it_does_nothing(call):
    assert load_demo(call, TODAY) == []
    assert not ReviewRound.objects.exists()


def test_it_opens_the_online_round_with_most_scores_in(assigned, experts, call):
    for expert in experts:
        expert.user.set_password(DEMO_PASSWORD)
        expert.user.save()
    accounts = load_demo(call, TODAY)
    assert [kind for kind in call.review_rounds.values_list("kind", flat=True)] == [
        "online",
        "defence",
        "combined",
    ]
    online = call.review_rounds.get(kind="online")
    assert online.state == "open"
    # Five experts × three applications, except the first expert by name (周五), left to
    # show the scoring form and the reminder.
    assert Score.objects.filter(round=online, state="submitted").count() == 12
    assert not Score.objects.filter(expert__name="周五").exists()
    assert len(accounts) == 5 and all(password == DEMO_PASSWORD for _u, password, _r in accounts)
    waiting = [username for username, _p, role in accounts if "尚未打分" in role]
    assert waiting == [experts[4].user.username]
    assert all(row.score is not None for row in ranking(call))
    # Idempotent.
    assert load_demo(call, TODAY) == accounts
    assert Score.objects.count() == 12 and ReviewRound.objects.count() == 3


def test_accounts_with_another_password_are_not_listed(assigned, call):
    assert load_demo(call, TODAY) == []  # the experts' passwords are the tests' own
    assert Score.objects.filter(state="submitted").count() == 12
