"""Assigning experts to a call's applications: the computed run and the office's hand edits.

A run takes every application that passed the formal check (check_passed), keeps the
assignments it must not touch (the office's manual ones, and all those of applications an
expert has started scoring), and lets solver.solve() fill each application up to k experts
of its category, at most L per expert, never a conflicted pair. A feasible result replaces
the previous automatic assignments of the applications not yet scored; an infeasible one
changes nothing and says why. Every run is kept (AssignmentRun) with its parameters and
summary, and every assignment added or removed is an audit event.
"""

import itertools
from collections import Counter

from django.apps import apps
from django.core.exceptions import FieldError
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.applications.workflow import Status
from keyprojects.audit.domain import event as audit_event
from keyprojects.audit.domain import record, record_many
from keyprojects.core.clock import now

from . import solver
from .conflicts import conflict_map, conflicts, with_facts
from .models import Assignment, AssignmentRun, Expert, ReviewPlan


class AssignmentRefused(Exception):
    """A hand edit that would break a rule; the message says which, in Chinese."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def plan_for(call) -> ReviewPlan:
    plan, _created = ReviewPlan.objects.get_or_create(call=call)
    return plan


def candidates(call):
    """The applications to be reviewed by experts: formally checked and passed."""
    return with_facts(call.applications.filter(status=Status.CHECK_PASSED)).order_by("pk")


def scored_application_ids(application_ids) -> set:
    """Applications an expert has started scoring (any row of scoring.Score, if that app is
    installed): their assignments are no longer replaced by a new run."""
    try:
        score = apps.get_model("scoring", "Score")
    except LookupError:
        return set()
    try:
        ids = score.objects.filter(application_id__in=list(application_ids))
        return {str(pk) for pk in ids.values_list("application_id", flat=True)}
    except FieldError:
        return set()


def run(call, *, by, seed=0) -> AssignmentRun:
    """Compute and (if feasible) apply the assignment of `call`; returns the recorded run."""
    at = now()
    with transaction.atomic():
        # One run at a time per call: the plan row is the lock.
        plan_for(call)
        plan = ReviewPlan.objects.select_for_update().get(call=call)
        applications = list(candidates(call))
        experts = list(Expert.objects.filter(is_active=True).order_by("pk"))
        ids = {str(a.pk) for a in applications}
        existing = list(Assignment.objects.filter(application__call=call).order_by("pk"))
        scored = scored_application_ids(ids)
        replaced = [
            a for a in existing if not a.is_manual and str(a.application_id) in ids - scored
        ]
        kept = [a for a in existing if a not in replaced]
        conflicted = conflict_map(experts, applications)
        problem = _problem(plan, applications, experts, kept, conflicted, seed)
        solution = solver.solve(problem)
        parameters = {
            "k": plan.experts_per_application,
            "max_per_expert": plan.max_per_expert,
            "seed": seed,
            "applications": len(applications),
            "experts": len(experts),
            "conflicted_pairs": len(conflicted),
            "kept_manual": sum(a.is_manual for a in kept),
            "kept_scored": sum(not a.is_manual for a in kept if str(a.application_id) in ids),
        }
        result = _summary(solution, plan, applications, experts, replaced)
        assignment_run = AssignmentRun.objects.create(
            call=call, parameters=parameters, result=result, created_by=by, created_at=at
        )
        if solution.feasible:
            _apply(assignment_run, solution, replaced, by=by, at=at)
        record(
            assignment_run,
            "run_assignment",
            actor=by,
            to_state="applied" if solution.feasible else "infeasible",
            data={"call": call.slug, **parameters, "assigned": solution.assigned},
        )
    return assignment_run


def _problem(plan, applications, experts, kept, conflicted, seed) -> solver.Problem:
    kept_per_application = Counter(str(a.application_id) for a in kept)
    load = Counter(str(a.expert_id) for a in kept)
    return solver.Problem(
        needs=tuple(
            solver.Need(
                str(a.pk),
                a.category.code if a.category else "",
                max(plan.experts_per_application - kept_per_application[str(a.pk)], 0),
            )
            for a in applications
        ),
        reviewers=tuple(
            solver.Reviewer(str(e.pk), frozenset(e.category_codes), load[str(e.pk)])
            for e in experts
        ),
        max_load=plan.max_per_expert,
        forbidden=frozenset(conflicted) | {(str(a.expert_id), str(a.application_id)) for a in kept},
        seed=seed,
    )


def _apply(assignment_run, solution, replaced, *, by, at):
    Assignment.objects.filter(pk__in=[a.pk for a in replaced]).delete()
    places = _free_places([application for application, _expert in solution.pairs])
    created = Assignment.objects.bulk_create(
        Assignment(
            expert_id=expert,
            application_id=application,
            slot=next(places[application]),
            run=assignment_run,
            is_manual=False,
            assigned_by=by,
            assigned_at=at,
        )
        for application, expert in solution.pairs
    )
    # One event per assignment added or removed, appended together (a run makes thousands).
    events = [
        _event(a, "unassign", by, reason=_("重新计算专家分配"), run=assignment_run)
        for a in replaced
    ]
    events += [_event(a, "assign", by, run=assignment_run) for a in created]
    record_many(events)


def _free_places(application_ids) -> dict:
    """{application id: iterator over its free places 1, 2, … (those kept are skipped)}."""
    taken = {}
    kept = Assignment.objects.filter(application_id__in=set(application_ids)).exclude(slot=None)
    for application_id, slot in kept.values_list("application_id", "slot"):
        taken.setdefault(str(application_id), set()).add(slot)

    def free(application_id):
        used = taken.get(str(application_id), set())
        return (n for n in itertools.count(1) if n not in used)

    return {application_id: free(application_id) for application_id in set(application_ids)}


def _event(assignment, action, by, *, reason="", run=None):
    """The event record() would write about an assignment (for record_many)."""
    return audit_event(
        Assignment._meta.label_lower,
        assignment.pk,
        action,
        actor=by,
        reason=reason,
        data={
            "expert": str(assignment.expert_id),
            "application": str(assignment.application_id),
            "run": str(run.pk) if run else None,
            "manual": assignment.is_manual,
        },
    )


def _summary(solution, plan, applications, experts, replaced) -> dict:
    loads = [solution.loads[str(e.pk)] for e in experts]
    return {
        "feasible": solution.feasible,
        "needed": solution.needed,
        "assigned": solution.assigned,
        "replaced": len(replaced),
        "objective": solution.objective,
        "load_squares": solution.load_squares,
        "min_load": min(loads, default=0),
        "max_load": max(loads, default=0),
        "build_seconds": round(solution.build_seconds, 3),
        "solve_seconds": round(solution.solve_seconds, 3),
        "messages": explain(solution, plan, applications),
    }


def explain(solution, plan, applications) -> list[str]:
    """Why a run is infeasible, in Chinese: categories, then applications by name."""
    if solution.feasible:
        return []
    by_id = {str(a.pk): a for a in applications}
    names = {a.category.code: a.category.name for a in applications if a.category}
    messages = [
        _(
            "%(category)s：%(n)d 个项目 × 每个项目 %(k)d 名专家 = 需要 %(needed)d 人次；"
            "该类别可用专家 %(experts)d 名，每人最多 %(limit)d 个项目，最多只能提供 "
            "%(capacity)d 人次，缺 %(missing)d 人次。请增加该类别的专家或提高每位专家的评审上限。"
        )
        % {
            "category": names.get(s.category, s.category or _("（未选类别）")),
            "n": s.applications,
            "k": plan.experts_per_application,
            "needed": s.needed,
            "experts": s.experts,
            "limit": plan.max_per_expert,
            "capacity": s.capacity,
            "missing": s.needed - s.capacity,
        }
        for s in solution.category_shortfalls
    ]
    for s in solution.application_shortfalls:
        application = by_id[s.application]
        messages.append(
            _(
                "项目“%(name)s”（%(organisation)s，%(category)s）只有 %(eligible)d 名"
                "无需回避且未满额的该类别专家，少于所需的 %(needed)d 名。"
            )
            % {
                "name": application.name,
                "organisation": application.organisation.name,
                "category": application.category or _("未选类别"),
                "eligible": s.eligible,
                "needed": s.needed,
            }
        )
    if not messages:
        short = "、".join(f"“{by_id[a].name}”（{got}/{n}）" for a, got, n in solution.short_in_best)
        messages.append(
            _(
                "各类别分开看专家容量足够，但兼属多个类别的专家无法同时满足所有项目："
                "最多只能分配 %(assigned)d / %(needed)d 人次。仍缺专家的项目：%(short)s。"
            )
            % {"assigned": solution.assigned, "needed": solution.needed, "short": short}
        )
    return messages


# --- The office's hand edits -------------------------------------------------------------------


def add_expert(application, expert, *, by, reason=""):
    """Assign `expert` to `application` by hand; refused for a conflict or a full load."""
    with transaction.atomic():
        plan_for(application.call)
        plan = ReviewPlan.objects.select_for_update().get(call=application.call)
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        application = type(application).objects.select_related("category").get(pk=application.pk)
        _check_addition(application, expert, plan)
        assignment = Assignment.objects.create(
            expert=expert,
            application=application,
            slot=_free_place(application, plan),
            is_manual=True,
            assigned_by=by,
            assigned_at=now(),
        )
        record(
            assignment,
            "assign",
            actor=by,
            reason=reason,
            data={"expert": str(expert.pk), "application": str(application.pk), "manual": True},
        )
    return assignment


def _free_place(application, plan) -> int:
    """One of the application's k places; refused when all are filled. The database's
    unique constraint on the place keeps k whatever the code around it."""
    taken = set(
        Assignment.objects.filter(application=application)
        .exclude(slot=None)
        .values_list("slot", flat=True)
    )
    count = Assignment.objects.filter(application=application).count()
    free = set(range(1, plan.experts_per_application + 1)) - taken
    if count >= plan.experts_per_application or not free:
        raise AssignmentRefused(
            _(
                "该项目已分配 %(count)d 名评审专家，达到每个项目 %(k)d 名的设定。"
                "如需更换，请先移除一名专家；如需增加，请先调整每个项目的评审专家数。"
            )
            % {"count": count, "k": plan.experts_per_application}
        )
    return min(free)


def _check_addition(application, expert, plan):
    if application.status != Status.CHECK_PASSED:
        raise AssignmentRefused(
            _("只有形式审查通过的项目才能分配专家，该项目当前状态为“%(status)s”。")
            % {"status": application.get_status_display()}
        )
    if not expert.is_active:
        raise AssignmentRefused(_("专家%(name)s已不在专家库中。") % {"name": expert.name})
    category = application.category
    if category is None or category.code not in expert.category_codes:
        raise AssignmentRefused(
            _("专家%(name)s的评审领域不含“%(category)s”。")
            % {"name": expert.name, "category": category or _("未选类别")}
        )
    if Assignment.objects.filter(expert=expert, application=application).exists():
        raise AssignmentRefused(_("专家%(name)s已分配评审该项目。") % {"name": expert.name})
    found = conflicts(expert, application)
    if found:
        raise AssignmentRefused(
            _("专家%(name)s须回避该项目：%(reasons)s。")
            % {"name": expert.name, "reasons": "；".join(found)}
        )
    load = Assignment.objects.filter(expert=expert, application__call=application.call).count()
    if load >= plan.max_per_expert:
        raise AssignmentRefused(
            _("专家%(name)s已分配 %(load)d 个项目，达到每位专家最多 %(limit)d 个的上限。")
            % {"name": expert.name, "load": load, "limit": plan.max_per_expert}
        )


def remove(assignment, *, by, reason, forced=False):
    """Take an expert off an application, with a reason. Refused once scoring has started,
    unless `forced` (a conflict of interest found later must be honoured regardless)."""
    if not reason.strip():
        raise AssignmentRefused(_("请填写移除的理由。"))
    if not forced and scored_application_ids([assignment.application_id]):
        raise AssignmentRefused(_("该项目已有专家开始评分，不能移除其评审专家。"))
    with transaction.atomic():
        record(
            assignment,
            "unassign",
            actor=by,
            reason=reason,
            data={
                "expert": str(assignment.expert_id),
                "application": str(assignment.application_id),
                "manual": assignment.is_manual,
            },
        )
        assignment.delete()


def drop_conflicted(expert, *, by) -> list:
    """Remove the expert's assignments that a (new) conflict now forbids; returns them."""
    dropped = []
    for assignment in expert.assignments.select_related("application"):
        found = conflicts(expert, assignment.application)
        if found:
            remove(assignment, by=by, reason="；".join(found), forced=True)
            dropped.append(assignment)
    return dropped
