"""Demo data: one or two selected projects of a call marked for funding priority."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from keyprojects.applications.workflow import Status
from keyprojects.orgs.models import User

from . import domain
from .models import FundingPriority

NOTE = "（演示）优先支持平台建设和推广应用。"


@transaction.atomic
def load_demo(call, today: dt.date) -> list[tuple[str, str, str]]:
    """Idempotent: marks up to two of the call's selected projects (by the "office" account)
    once, at a tenth of their total investment; returns the accounts it created (none)."""
    office = User.objects.filter(username="office").first()
    if office is None or FundingPriority.objects.filter(application__call=call).exists():
        return []
    selected = call.applications.filter(status=Status.SELECTED).order_by("name")[:2]
    for application in selected:
        amount = ((application.total_investment or Decimal("100")) / 10).quantize(Decimal("0.01"))
        domain.mark(application, amount=amount, note=NOTE, by=office, expected_version=0)
    return []
