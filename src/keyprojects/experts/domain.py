"""The review plan of a call and the declared conflicts of interest (回避)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.audit.domain import history, record
from keyprojects.core.clock import china_time, now
from keyprojects.notifications.domain import notify
from keyprojects.orgs.credit_code import validate_credit_code
from keyprojects.orgs.models import OFFICE_GROUP, Organisation, User

from . import assignment
from .models import ConflictDeclaration, ReviewPlan

PLAN_FIELDS = ["experts_per_application", "max_per_expert", "blind"]


class Refused(Exception):
    """A request the rules refuse; the message says why, in Chinese."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def update_plan(plan, values: dict, *, expected_version, by) -> ReviewPlan:
    """Save the office's plan if nobody saved it since `expected_version` was read."""
    with transaction.atomic():
        # From the database: a bound ModelForm has already written its values on `plan`.
        before = ReviewPlan.objects.select_for_update().values(*PLAN_FIELDS).get(pk=plan.pk)
        updated = ReviewPlan.objects.filter(pk=plan.pk, version=expected_version).update(
            **{f: values[f] for f in PLAN_FIELDS}, version=F("version") + 1
        )
        if not updated:
            raise Refused(_stale_message(plan))
        plan.refresh_from_db()
        record(
            plan,
            "update_plan",
            actor=by,
            data={"before": before, "after": {f: getattr(plan, f) for f in PLAN_FIELDS}},
        )
    return plan


def _stale_message(plan) -> str:
    last = history(plan).filter(action="update_plan").last()
    if last is None:
        return _("评审方案已被他人修改，请刷新页面后重新填写。")
    return _(
        "评审方案已于 %(when)s 被 %(who)s 修改，您的修改未保存。请查看最新内容后重新填写。"
    ) % {"when": f"{china_time(last.at):%Y-%m-%d %H:%M}", "who": last.actor or _("他人")}


def declare_conflict(
    expert,
    *,
    by,
    source,
    reason,
    application=None,
    credit_code="",
    organisation_name="",
):
    """Record a conflict (by the expert or the office) and take the expert off whatever it
    now forbids. Returns (declaration, dropped assignments)."""
    reason, credit_code = reason.strip(), credit_code.strip().upper()
    organisation_name = organisation_name.strip()
    if not reason:
        raise Refused(_("请填写回避理由。"))
    if (application is None) == (not credit_code):
        raise Refused(_("请选择回避的项目，或填写回避单位的统一社会信用代码（二者选其一）。"))
    if credit_code:
        try:
            validate_credit_code(credit_code)
        except ValidationError as error:
            raise Refused(" ".join(error.messages)) from None
        known = Organisation.objects.filter(credit_code=credit_code).first()
        organisation_name = organisation_name or (known.name if known else "")
        if not organisation_name:
            raise Refused(_("请填写回避单位名称。"))
    duplicate = ConflictDeclaration.objects.filter(
        expert=expert, application=application, organisation_credit_code=credit_code
    )
    if duplicate.exists():
        raise Refused(_("已申报过对该项目或单位的回避。"))
    with transaction.atomic():
        declaration = ConflictDeclaration.objects.create(
            expert=expert,
            application=application,
            organisation_credit_code=credit_code,
            organisation_name=organisation_name,
            reason=reason,
            source=source,
            created_by=by,
            created_at=now(),
        )
        record(
            declaration,
            "declare_conflict",
            actor=by,
            reason=reason,
            data={
                "expert": str(expert.pk),
                "source": source,
                "application": str(application.pk) if application else None,
                "credit_code": credit_code,
            },
        )
        dropped = assignment.drop_conflicted(expert, by=by)
    if dropped:
        _tell_office(expert, dropped)
    return declaration, dropped


def _tell_office(expert, dropped):
    """Applications that lost an expert need another: the office hears of it."""
    names = "、".join(f"“{a.application.name}”" for a in dropped)
    call = dropped[0].application.call
    notify(
        User.objects.filter(groups__name=OFFICE_GROUP, is_active=True),
        _("专家%(expert)s因回避已移出以下项目的评审：%(names)s，请补充分配专家。")
        % {"expert": expert.name, "names": names},
        url=reverse("experts:assignment", args=[call.slug]),
    )
