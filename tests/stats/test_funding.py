"""Funding priority rules: selected projects only, 0 < amount ≤ total investment, versions,
unmarking with a reason, and an audit event for every change."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from keyprojects.audit.domain import history
from keyprojects.core.clock import now
from keyprojects.notices import decisions
from keyprojects.stats import domain
from keyprojects.stats.models import FundingPriority

from .conftest import reviewer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def selected(world):
    return world["苏州入选"]  # total investment 2600.00


def test_marking_a_selected_project_records_who_when_and_an_event(selected, office):
    priority = domain.mark(
        selected, amount=Decimal("300"), note="支持平台建设", by=office, expected_version=0
    )
    assert (priority.amount, priority.note, priority.version) == (
        Decimal("300.00"),
        "支持平台建设",
        1,
    )
    assert priority.marked_by == office and priority.is_marked
    [event] = history(priority)
    assert (event.action, event.from_state, event.to_state) == ("mark", "", "marked")
    assert event.data["amount"] == "300.00"
    assert event.actor == office


def test_the_amount_may_equal_but_not_exceed_the_total_investment(selected, office):
    with pytest.raises(
        domain.FundingRefused, match=re.escape("不能超过项目总投资（2600.00 万元）")
    ):
        domain.mark(selected, amount=Decimal("2600.01"), by=office, expected_version=0)
    priority = domain.mark(selected, amount=Decimal("2600.00"), by=office, expected_version=0)
    assert priority.amount == Decimal("2600.00")


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5"), None])
def test_the_amount_must_be_positive(selected, office, amount):
    with pytest.raises(domain.FundingRefused, match="支持金额须大于0"):
        domain.mark(selected, amount=amount, by=office, expected_version=0)
    assert not FundingPriority.objects.exists()


def test_the_database_refuses_a_zero_amount_too(selected, office):
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingPriority.objects.create(
            application=selected, amount=Decimal("0"), marked_by=office, marked_at=now()
        )


def test_a_project_not_selected_cannot_be_marked(world, office):
    with pytest.raises(PermissionDenied):
        domain.mark(world["南京推荐"], amount=Decimal("100"), by=office, expected_version=0)


def test_only_the_office_marks(selected, world):
    with pytest.raises(PermissionDenied):
        domain.mark(
            selected,
            amount=Decimal("100"),
            by=reviewer_of("苏州市信息化主管部门"),
            expected_version=0,
        )


def test_editing_keeps_the_previous_amount_in_the_event(selected, office):
    domain.mark(selected, amount=Decimal("300"), by=office, expected_version=0)
    priority = domain.mark(
        selected, amount=Decimal("450.5"), note="追加", by=office, expected_version=1
    )
    assert (priority.amount, priority.version) == (Decimal("450.50"), 2)
    last = history(priority).last()
    assert (last.action, last.data["previous_amount"], last.data["amount"]) == (
        "edit",
        "300.00",
        "450.50",
    )


def test_saving_the_same_values_again_changes_nothing(selected, office):
    domain.mark(selected, amount=Decimal("300"), by=office, expected_version=0)
    priority = domain.mark(selected, amount=Decimal("300.00"), by=office, expected_version=1)
    assert priority.version == 1
    assert history(priority).count() == 1


def test_a_stale_version_is_refused_and_says_so(selected, office):
    domain.mark(selected, amount=Decimal("300"), by=office, expected_version=0)
    with pytest.raises(domain.StaleFunding, match="已被他人修改") as stale:
        domain.mark(selected, amount=Decimal("999"), by=office, expected_version=0)
    assert stale.value.current.amount == Decimal("300.00")
    assert FundingPriority.objects.get().amount == Decimal("300.00")


def test_unmarking_needs_a_reason_and_keeps_the_row(selected, office):
    priority = domain.mark(selected, amount=Decimal("300"), by=office, expected_version=0)
    with pytest.raises(domain.FundingRefused, match="请填写取消优先支持的理由"):
        domain.unmark(selected, reason="  ", by=office, expected_version=1)
    unmarked = domain.unmark(selected, reason="另有资金渠道", by=office, expected_version=1)
    assert unmarked.pk == priority.pk and not unmarked.is_marked
    assert (unmarked.unmarked_by, unmarked.unmark_reason, unmarked.version) == (
        office,
        "另有资金渠道",
        2,
    )
    last = history(unmarked).last()
    assert (last.action, last.from_state, last.to_state, last.reason) == (
        "unmark",
        "marked",
        "unmarked",
        "另有资金渠道",
    )
    with pytest.raises(domain.FundingRefused, match="未标记"):
        domain.unmark(selected, reason="再取消", by=office, expected_version=2)


def test_marking_again_continues_the_same_record(selected, office):
    first = domain.mark(selected, amount=Decimal("300"), by=office, expected_version=0)
    domain.unmark(selected, reason="暂缓", by=office, expected_version=1)
    again = domain.mark(selected, amount=Decimal("200"), by=office, expected_version=2)
    assert again.pk == first.pk and again.is_marked
    assert (again.unmarked_at, again.unmark_reason, again.version) == (None, "", 3)
    assert [e.action for e in history(again)] == ["mark", "unmark", "mark"]
    assert history(again).last().from_state == "unmarked"


def test_a_project_withdrawn_from_the_list_can_only_be_unmarked(selected, office):
    domain.mark(selected, amount=Decimal("300"), by=office, expected_version=0)
    decisions.not_select(selected, "异议成立，撤销入选", by=office)
    with pytest.raises(domain.FundingRefused, match="只有入选项目"):
        domain.mark(selected, amount=Decimal("100"), by=office, expected_version=1)
    assert not domain.unmark(selected, reason="已撤销入选", by=office, expected_version=1).is_marked
