"""The demo marks one or two selected projects of a call, once."""

import datetime as dt

import pytest

from keyprojects.audit.domain import history
from keyprojects.stats.demo import load_demo
from keyprojects.stats.models import FundingPriority

pytestmark = pytest.mark.django_db


def test_marks_two_selected_projects_once(world, call):
    assert load_demo(call, dt.date(2020, 9, 1)) == []
    marks = list(FundingPriority.objects.select_related("application"))
    assert len(marks) == 2
    for mark in marks:
        assert mark.application.call == call and mark.application.status == "selected"
        assert mark.amount == (mark.application.total_investment / 10).quantize(mark.amount)
        assert mark.marked_by.username == "office"
        assert [e.action for e in history(mark)] == ["mark"]
    load_demo(call, dt.date(2020, 9, 1))
    assert FundingPriority.objects.count() == 2


def test_does_nothing_without_selected_projects(call, office):
    assert load_demo(call, dt.date(2020, 9, 1)) == []
    assert not FundingPriority.objects.exists()
