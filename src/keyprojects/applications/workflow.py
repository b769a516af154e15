"""The application's states and transitions: the only code that writes `status`.

Each transition names the states it starts from, the state it leads to, the permission it
needs (rules.py of applications and review), the deadline it must meet (the application
window for applicants, the recommendation deadline for reviewers) and whether it needs a
reason; performing it records an event. Later stages (selection) add their transitions here.
"""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.audit.domain import record
from keyprojects.calls.domain import ensure_before_recommendation_deadline, ensure_window_open
from keyprojects.core.clock import now


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    WITHDRAWN = "withdrawn", _("已撤回")
    RETURNED = "returned", _("退回修改")
    RECOMMENDED = "recommended", _("已推荐")
    NOT_RECOMMENDED = "not_recommended", _("不予推荐")
    CHECK_PASSED = "check_passed", _("形式审查通过")
    CHECK_FAILED = "check_failed", _("形式审查未通过")
    SELECTED = "selected", _("入选")
    NOT_SELECTED = "not_selected", _("未入选")


# The applicant may edit in these states (while the window is open).
EDITABLE = {Status.DRAFT, Status.WITHDRAWN, Status.RETURNED}
# Recommended by the local authority, whatever the province has made of it since.
RECOMMENDED_ONWARDS = {
    Status.RECOMMENDED,
    Status.CHECK_PASSED,
    Status.CHECK_FAILED,
    Status.SELECTED,
    Status.NOT_SELECTED,
}
# The province's internal stages: applicants learn the outcome from the final public list
# (notices), not from each step on the way, where an upheld objection can still change it.
PROVINCIAL_STAGES = RECOMMENDED_ONWARDS - {Status.RECOMMENDED}
PROVINCIAL_ACTIONS = {"pass_check", "fail_check", "select", "not_select"}
# These count towards the per-applicant limit of a call.
COUNTED = {Status.SUBMITTED, Status.RETURNED, Status.NOT_RECOMMENDED} | RECOMMENDED_ONWARDS
# Reviewers see applications in these states.
REVIEWABLE = COUNTED


class Deadline(models.TextChoices):
    WINDOW = "window", _("网上申报截止时间")
    RECOMMENDATION = "recommendation", _("推荐意见截止时间")
    NONE = "none", _("无截止时间")  # the provincial office's own stages


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: Status
    permission: str
    deadline: Deadline
    label: str
    needs_reason: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            frozenset({Status.DRAFT, Status.WITHDRAWN, Status.RETURNED}),
            Status.SUBMITTED,
            "applications.submit_application",
            Deadline.WINDOW,
            label=_("提交申报"),
        ),
        Transition(
            "withdraw",
            frozenset({Status.SUBMITTED}),
            Status.WITHDRAWN,
            "applications.withdraw_application",
            Deadline.WINDOW,
            label=_("撤回申报"),
        ),
        Transition(
            "recommend",
            frozenset({Status.SUBMITTED, Status.NOT_RECOMMENDED}),
            Status.RECOMMENDED,
            "review.decide",
            Deadline.RECOMMENDATION,
            label=_("推荐"),
        ),
        Transition(
            "not_recommend",
            frozenset({Status.SUBMITTED, Status.RECOMMENDED}),
            Status.NOT_RECOMMENDED,
            "review.decide",
            Deadline.RECOMMENDATION,
            label=_("不予推荐"),
            needs_reason=True,
        ),
        Transition(
            "return",
            frozenset({Status.SUBMITTED, Status.RECOMMENDED, Status.NOT_RECOMMENDED}),
            Status.RETURNED,
            "review.decide",
            Deadline.RECOMMENDATION,
            label=_("退回修改"),
            needs_reason=True,
        ),
        # --- The provincial office: formal check (selection app) ---
        Transition(
            "pass_check",
            frozenset({Status.RECOMMENDED, Status.CHECK_FAILED}),
            Status.CHECK_PASSED,
            "selection.formal_check",
            Deadline.NONE,
            label=_("形式审查通过"),
        ),
        Transition(
            "fail_check",
            frozenset({Status.RECOMMENDED, Status.CHECK_PASSED}),
            Status.CHECK_FAILED,
            "selection.formal_check",
            Deadline.NONE,
            label=_("形式审查不通过"),
            needs_reason=True,
        ),
        Transition(
            "return_to_authority",
            frozenset({Status.RECOMMENDED, Status.CHECK_PASSED, Status.CHECK_FAILED}),
            Status.SUBMITTED,
            "selection.formal_check",
            Deadline.NONE,
            label=_("退回推荐单位"),
            needs_reason=True,
        ),
        # --- The provincial office: decision and public notice (notices app) ---
        Transition(
            "select",
            frozenset({Status.CHECK_PASSED, Status.NOT_SELECTED}),
            Status.SELECTED,
            "notices.decide",
            Deadline.NONE,
            label=_("确定入选"),
        ),
        Transition(
            "not_select",
            frozenset({Status.CHECK_PASSED, Status.SELECTED}),
            Status.NOT_SELECTED,
            "notices.decide",
            Deadline.NONE,
            label=_("确定不入选"),
            needs_reason=True,
        ),
    ]
}


class TransitionRefused(Exception):
    """A transition is not allowed now; the message says why, in Chinese."""

    def __init__(self, message, problems=()):
        super().__init__(str(message))
        self.message = message
        self.problems = list(problems)


def ensure_deadline(call, deadline, at, extended_until=None):
    if deadline == Deadline.WINDOW:
        ensure_window_open(call, at)
    elif deadline == Deadline.RECOMMENDATION:
        ensure_before_recommendation_deadline(call, at, extended_until)


# What a step by someone outside the organisation changes of the application.
STEP_FIELDS = ["status", "limit_slot", "version", "submitted_at"]


def perform(application, name, *, by, at=None, reason="", check=None, extended_until=None):
    """Move `application` through transition `name`, atomically, recording an event.

    `check(locked_application)` may raise TransitionRefused with the domain's reasons;
    it runs inside the transaction, after the locks are taken. `extended_until` is a later
    recommendation deadline the office granted the application's authority.
    """
    transition = TRANSITIONS[name]
    at = at or now()
    with transaction.atomic():
        # Lock the organisation first: submits of one organisation queue here, so the
        # per-applicant limit holds even when two colleagues press "submit" at once.
        type(application.organisation).objects.select_for_update().get(
            pk=application.organisation_id
        )
        locked = type(application).objects.select_for_update().get(pk=application.pk)
        if not by.has_perm(transition.permission, locked):
            raise PermissionDenied
        ensure_deadline(locked.call, transition.deadline, at, extended_until)
        if transition.needs_reason and not reason.strip():
            raise TransitionRefused(_("请填写%(action)s的理由。") % {"action": transition.label})
        if locked.status not in transition.sources:
            raise TransitionRefused(
                _("当前状态为“%(status)s”，不能%(action)s。")
                % {"status": locked.get_status_display(), "action": transition.label}
            )
        if check is not None:
            check(locked)
        from_state = locked.status
        locked.previous_status = from_state  # for callers that react to where it came from
        locked.status = transition.target
        if transition.target not in COUNTED:
            locked.limit_slot = None  # its place under the per-applicant limit is free again
        locked.version += 1
        if transition.target == Status.SUBMITTED:
            locked.submitted_at = at
        if by.organisation_id == locked.organisation_id:
            locked.updated_by = by
            locked.save()
        else:
            # 最后保存 is the organisation's own: an authority's or the office's step is an
            # event, and the applicant's list must not show who at the province acted when.
            locked.save(update_fields=STEP_FIELDS)
        record(locked, name, actor=by, from_state=from_state, to_state=locked.status, reason=reason)
    return locked
