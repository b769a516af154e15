"""Demo data for scoring: the 2020 rounds, the online round open, most scores in.

Runs after the experts' demo (it needs experts and their assignments; without them it
does nothing and returns []). Idempotent: rounds are found by kind, scores by their
expert and application. One expert with an account is left with nothing scored, so the
demo shows unfinished progress, the reminder and the scoring form.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from keyprojects.core.clock import china_midnight
from keyprojects.core.demo import DEMO_PASSWORD
from keyprojects.experts.models import Assignment
from keyprojects.orgs.models import OFFICE_GROUP, User

from . import domain
from .models import ReviewRound, Score
from .rubric import CENT

ROUNDS = [
    (1, ReviewRound.Kind.ONLINE),
    (2, ReviewRound.Kind.DEFENCE),
    (3, ReviewRound.Kind.COMBINED),
]


def _share(i: int, j: int) -> Decimal:
    """A repeatable spread of marks between 60 % and 94 %."""
    return Decimal(60 + (i * 7 + j * 13) % 35) / 100


@transaction.atomic
def load_demo(call, today: dt.date) -> list[tuple[str, str, str]]:
    assignments = list(
        Assignment.objects.filter(application__call=call)
        .select_related("expert__user", "application", "assigned_by")
        .order_by("expert__name", "application__name")
    )
    if not assignments:
        return []
    office = User.objects.filter(groups__name=OFFICE_GROUP).first() or assignments[0].assigned_by
    rounds = {}
    for order, kind in ROUNDS:
        existing = ReviewRound.objects.filter(call=call, kind=kind).first()
        rounds[kind] = existing or domain.create_round(
            call,
            kind=kind,
            order=order,
            deadline=china_midnight(today + dt.timedelta(days=8)) if kind == "online" else None,
            by=office,
        )
    online = rounds[ReviewRound.Kind.ONLINE]
    if online.state == ReviewRound.State.PLANNED:
        online = domain.change_round(online, "open", by=office)
    with_accounts = sorted({a.expert for a in assignments if a.expert.user}, key=lambda e: e.name)
    left_open = with_accounts[0] if with_accounts else None
    experts = sorted({a.expert for a in assignments}, key=lambda e: e.name)
    applications = sorted({a.application for a in assignments}, key=lambda a: a.name)
    if online.state == ReviewRound.State.OPEN:
        for a in assignments:
            _score(online, a, experts.index(a.expert), applications.index(a.application), left_open)
    accounts = []
    for expert in with_accounts:
        if expert.user.check_password(DEMO_PASSWORD):
            role = (
                "评审专家（网评进行中，尚未打分）"
                if expert == left_open
                else "评审专家（网评已提交）"
            )
            accounts.append((expert.user.username, DEMO_PASSWORD, role))
    return accounts


def _score(online, assignment, i, j, left_open):
    expert, application = assignment.expert, assignment.application
    if expert == left_open or expert.user is None:
        return
    if Score.objects.filter(round=online, expert=expert, application=application).exists():
        return
    share = _share(i, j)
    domain.save_score(
        online,
        application,
        expert,
        items={c["code"]: (Decimal(c["max"]) * share).quantize(CENT) for c in online.rubric},
        comments={},
        opinion="项目建设内容清晰，应用成效较好。（演示数据）",
        by=expert.user,
        expected_version=0,
        submit=True,
    )
