"""The progress report's states and transitions: the only code that writes its `state`.

pending → draft (first save) → submitted → evaluated, and submitted → returned (with a
reason) → submitted again. The owner saves and submits while the round is open — after the
due date too, when the report is marked late — and the office returns or evaluates.
Each transition locks the round and then the report (so closing a round and a submit never
cross), checks the permission on the locked report, the state and the optimistic-lock
version, and records an audit event in the same transaction.
"""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.audit.domain import record
from keyprojects.core.clock import now
from keyprojects.notifications.domain import notify
from keyprojects.orgs.models import User
from keyprojects.orgs.routing import NoAuthority, route

from .models import Evaluation, ProgressReport, TrackingRound

State = ProgressReport.State
EDITABLE = frozenset({State.PENDING, State.DRAFT, State.RETURNED})
REPORT_FIELDS = ["investment_completed", "milestones", "users_and_results", "problems"]
REQUIRED_ON_SUBMIT = ["investment_completed", "milestones", "users_and_results"]


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str | None  # None: pending becomes draft, other states stay
    permission: str
    label: str


TRANSITIONS = {
    t.name: t
    for t in [
        Transition("save", EDITABLE, None, "tracking.file_report", _("保存草稿")),
        Transition("submit", EDITABLE, State.SUBMITTED, "tracking.file_report", _("提交报告")),
        Transition(
            "return",
            frozenset({State.SUBMITTED}),
            State.RETURNED,
            "tracking.evaluate_report",
            _("退回修改"),
        ),
        Transition(
            "evaluate",
            frozenset({State.SUBMITTED, State.EVALUATED}),
            State.EVALUATED,
            "tracking.evaluate_report",
            _("评价"),
        ),
    ]
}


class ReportRefused(Exception):
    def __init__(self, message, problems=None):
        super().__init__(str(message))
        self.message = message
        self.problems = problems or []


class StaleReport(ReportRefused):
    """Someone saved the document since the page showing `expected_version` was opened."""

    def __init__(self, current):
        super().__init__(_("该记录已被他人修改，您的操作未保存。"))
        self.current = current


def lock(report) -> ProgressReport:
    """The round (locked first, always) and the report, read again under their locks."""
    round_ = TrackingRound.objects.select_for_update().get(pk=report.round_id)
    locked = (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("project__organisation", "project__application", "updated_by")
        .get(pk=report.pk)
    )
    locked.round = round_
    return locked


def perform(report, name, *, by, expected_version=None, reason="", change=None, data=None):
    """Move `report` through transition `name`; `change(locked)` sets its other fields."""
    transition = TRANSITIONS[name]
    with transaction.atomic():
        locked = lock(report)
        if not by.has_perm(transition.permission, locked):
            raise PermissionDenied
        if not locked.round.is_open:
            raise ReportRefused(_("本轮跟踪评价已结束，不能再修改。"))
        if expected_version is not None and int(expected_version) != locked.version:
            raise StaleReport(locked)
        if locked.state not in transition.sources:
            raise ReportRefused(
                _("报告当前状态为“%(state)s”，不能%(action)s。")
                % {"state": locked.get_state_display(), "action": transition.label}
            )
        from_state = locked.state
        if change is not None:
            change(locked)
        if transition.target is not None:
            locked.state = transition.target
        elif locked.state == State.PENDING:
            locked.state = State.DRAFT
        locked.version += 1
        locked.updated_by, locked.updated_at = by, now()
        locked.save()
        record(
            locked,
            name,
            actor=by,
            from_state=from_state,
            to_state=locked.state,
            reason=reason,
            data=data,
        )
    return locked


def _changed(locked, values) -> list[str]:
    return [field for field in REPORT_FIELDS if getattr(locked, field) != values.get(field)]


def save(report, values: dict, *, by, expected_version):
    """Keep what the owner typed (a draft); nothing is required yet."""
    changed = []

    def change(locked):
        changed.extend(_changed(locked, values))
        for field in REPORT_FIELDS:
            setattr(locked, field, values.get(field))

    return perform(
        report,
        "save",
        by=by,
        expected_version=expected_version,
        change=change,
        data={"fields": changed},
    )


def submission_problems(report) -> list[str]:
    labels = {f: ProgressReport._meta.get_field(f).verbose_name for f in REQUIRED_ON_SUBMIT}
    return [
        str(_("请填写“%(label)s”。") % {"label": labels[field]})
        for field in REQUIRED_ON_SUBMIT
        if getattr(report, field) in (None, "")
    ]


def authority_for(project):
    """Who comments: the application's authority for the platform's own projects, else the
    authority that would review the owner now."""
    if project.application_id is not None:
        return project.application.authority
    try:
        return route(project.organisation).authority
    except NoAuthority:
        return None


def submit(report, values: dict, *, by, expected_version, at=None):
    """Save and submit at once; after the due date the report is accepted and marked late."""
    at = at or now()
    details = {}

    def change(locked):
        details["fields"] = _changed(locked, values)
        for field in REPORT_FIELDS:
            setattr(locked, field, values.get(field))
        problems = submission_problems(locked)
        if problems:
            raise ReportRefused(" ".join(problems), problems)
        if locked.first_submitted_at is None:
            locked.first_submitted_at = at
            locked.late = at >= locked.round.due_at
        locked.submitted_at = at
        locked.authority = authority_for(locked.project)
        details["late"] = locked.late

    submitted = perform(
        report, "submit", by=by, expected_version=expected_version, change=change, data=details
    )
    if submitted.authority_id:
        notify(
            User.objects.filter(authority_id=submitted.authority_id),
            str(
                _("“%(project)s”提交了%(round)s进展报告，请填写属地意见。")
                % {"project": submitted.project.name, "round": submitted.round.title}
            ),
            url=reverse("tracking:area_report", args=[submitted.pk]),
            key=f"tracking-comment:{submitted.pk}",
        )
    return submitted


def owners(project):
    if project.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(organisation_id=project.organisation_id)


def return_for_revision(report, reason, *, by, expected_version=None):
    if not reason.strip():
        raise ReportRefused(_("请填写退回理由。"))
    returned = perform(
        report, "return", by=by, expected_version=expected_version, reason=reason.strip()
    )
    notify(
        owners(returned.project),
        str(
            _("“%(project)s”的%(round)s进展报告被退回修改：%(reason)s")
            % {"project": returned.project.name, "round": returned.round.title, "reason": reason}
        )[:500],
        url=reverse("tracking:my_report", args=[returned.pk]),
    )
    return returned


EVALUATION_FIELDS = [
    "on_schedule",
    "on_schedule_remark",
    "funds",
    "funds_remark",
    "results",
    "results_remark",
    "overall",
    "remark",
]


def evaluate(report, values: dict, *, by, expected_version=None, evaluation_version=None):
    """Record the office's grades (again, if it revises them); the report becomes evaluated.

    `evaluation_version` is the evaluation's version the office's page showed (0 for none).
    """
    at = now()

    def change(locked):
        evaluation = Evaluation.objects.select_for_update().filter(report=locked).first()
        shown = int(evaluation_version or 0)
        if (evaluation.version if evaluation else 0) != shown:
            raise StaleReport(locked)
        if evaluation is None:
            evaluation = Evaluation(report=locked, version=0)
        for field in EVALUATION_FIELDS:
            setattr(evaluation, field, values.get(field, ""))
        evaluation.evaluated_by, evaluation.evaluated_at = by, at
        evaluation.version += 1
        evaluation.full_clean(exclude=["report"])
        evaluation.save()

    evaluated = perform(
        report,
        "evaluate",
        by=by,
        expected_version=expected_version,
        change=change,
        data={field: values.get(field, "") for field in EVALUATION_FIELDS},
    )
    notify(
        owners(evaluated.project),
        str(
            _("“%(project)s”的%(round)s进展报告已评价。")
            % {"project": evaluated.project.name, "round": evaluated.round.title}
        ),
        url=reverse("tracking:my_report", args=[evaluated.pk]),
        key=f"tracking-evaluated:{evaluated.pk}",
    )
    return evaluated


def investment_warnings(report, amount) -> list[str]:
    """Figures worth a second look, shown beside the form; they do not block a submit
    (projects do overrun their plan, and then say why under 存在的问题)."""
    if amount is None:
        return []
    warnings = []
    planned = report.project.informatisation_investment
    if amount > planned:
        warnings.append(
            str(
                _(
                    "累计完成投资 %(amount)s 万元超过项目计划的信息化投资 %(planned)s 万元，"
                    "请核对单位（万元），或在“存在的问题和下一步计划”中说明原因。"
                )
                % {"amount": f"{amount:,.2f}", "planned": f"{planned:,.2f}"}
            )
        )
    earlier = (
        ProgressReport.objects.filter(
            project_id=report.project_id,
            state__in=[State.SUBMITTED, State.EVALUATED],
            round__opened_at__lt=report.round.opened_at,
            investment_completed__isnull=False,
        )
        .order_by("-round__opened_at")
        .values_list("investment_completed", flat=True)
        .first()
    )
    if earlier is not None and amount < earlier:
        warnings.append(
            str(
                _("累计完成投资低于上一轮报告的 %(earlier)s 万元，累计数一般不会减少，请核对。")
                % {"earlier": f"{earlier:,.2f}"}
            )
        )
    return warnings
