"""Marking selected projects for priority support from the provincial special fund.

The only writer of FundingPriority. Each change locks the application and its mark, checks
the office's permission, the optimistic-lock version the page was opened with, the rules
(a selected project; 0 < amount ≤ the project's total investment) and records an audit event
in the same transaction.

Why the total investment bounds the amount: the fund supports a share of what the project
costs, and the total is the only figure every application states and the office checked;
the informatisation share would exclude civil works the fund may also support.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status
from keyprojects.audit.domain import record
from keyprojects.core.clock import now

from .models import FundingPriority

MARKED, UNMARKED = "marked", "unmarked"


class FundingRefused(Exception):
    """The change is not allowed; the message says why, in Chinese."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class StaleFunding(FundingRefused):
    """Someone else changed the mark since the page was opened; `current` is what they saved."""

    def __init__(self, current):
        super().__init__(
            _("该项目的支持信息已被他人修改，您的修改未保存。请核对最新内容后再提交。")
        )
        self.current = current


def version_of(priority) -> int:
    """What a form carries: 0 while the project has never been marked."""
    return priority.version if priority is not None else 0


def amount_problem(application, amount):
    """Why `amount` cannot be the support of `application`, or None."""
    if amount is None or amount <= 0:
        return _("支持金额须大于0。")
    total = application.total_investment
    if total is not None and amount > total:
        return _("支持金额不能超过项目总投资（%(total)s 万元）。") % {"total": f"{total:.2f}"}
    return None


def _lock(application, by, expected_version):
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if not by.has_perm("stats.mark_funding", locked):
        raise PermissionDenied
    priority = FundingPriority.objects.select_for_update().filter(application=locked).first()
    if expected_version is None or int(expected_version) != version_of(priority):
        raise StaleFunding(priority)
    return locked, priority


def mark(application, *, amount, note="", by, expected_version, at=None) -> FundingPriority:
    """Mark (or re-mark) a selected project, or change the amount and note of its mark."""
    at = at or now()
    amount = Decimal(amount).quantize(Decimal("0.01")) if amount is not None else None
    note = (note or "").strip()
    with transaction.atomic():
        locked, priority = _lock(application, by, expected_version)
        if locked.status != Status.SELECTED:
            raise FundingRefused(_("只有入选项目才能标记或修改专项资金优先支持。"))
        problem = amount_problem(locked, amount)
        if problem:
            raise FundingRefused(problem)
        if priority is not None and priority.is_marked:
            if (priority.amount, priority.note) == (amount, note):
                return priority  # nothing changed: no new version, no event
            action, from_state, previous = "edit", MARKED, priority.amount
        else:
            action, from_state = "mark", UNMARKED if priority else ""
            previous = None
            priority = priority or FundingPriority(application=locked, version=0)
            priority.marked_by, priority.marked_at = by, at
            priority.unmarked_by, priority.unmarked_at, priority.unmark_reason = None, None, ""
        priority.amount, priority.note = amount, note
        priority.version += 1
        priority.save()
        record(
            priority,
            action,
            actor=by,
            from_state=from_state,
            to_state=MARKED,
            data={
                "application": str(locked.pk),
                "amount": f"{amount:.2f}",
                "previous_amount": f"{previous:.2f}" if previous is not None else "",
                "note": note,
            },
        )
    return priority


def unmark(application, *, reason, by, expected_version, at=None) -> FundingPriority:
    """Remove the mark, saying why; the row and its history stay."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked, priority = _lock(application, by, expected_version)
        if priority is None or not priority.is_marked:
            raise FundingRefused(_("该项目未标记专项资金优先支持。"))
        if not reason:
            raise FundingRefused(_("请填写取消优先支持的理由。"))
        priority.unmarked_by, priority.unmarked_at = by, at or now()
        priority.unmark_reason = reason
        priority.version += 1
        priority.save()
        record(
            priority,
            "unmark",
            actor=by,
            from_state=MARKED,
            to_state=UNMARKED,
            reason=reason,
            data={"application": str(locked.pk), "amount": f"{priority.amount:.2f}"},
        )
    return priority
