"""The office's formal check: the checklist it saves and the verdict it records.

A verdict is a transition of the application workflow (pass_check, fail_check,
return_to_authority) performed in the same transaction as the checklist is saved, so the
two never disagree. Returning an application to its authority also reopens the
authority's sent recommendation, with a later deadline the office picks.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.applications import workflow
from keyprojects.applications.workflow import Status
from keyprojects.audit.domain import record
from keyprojects.core.clock import now
from keyprojects.notifications.domain import notify
from keyprojects.review import domain as review
from keyprojects.review.models import RecommendationBatch

from . import checklist
from .models import FormalCheck, SimilarPair

Verdict = FormalCheck.Verdict
# The office may (re)check an application in these states; later stages freeze the check.
CHECKABLE = {Status.RECOMMENDED, Status.CHECK_PASSED, Status.CHECK_FAILED}
# The transition each verdict performs, unless the application is already where it leads.
TRANSITION = {Verdict.PASS: "pass_check", Verdict.FAIL: "fail_check"}
RETURN_DAYS = 5  # the default time the office gives an authority to decide again


class CheckRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class StaleCheck(Exception):
    """Someone else saved the checklist since this page was loaded."""

    def __init__(self, current):
        super().__init__("stale formal check")
        self.current = current


def default_until(at=None):
    return (at or now()) + dt.timedelta(days=RETURN_DAYS)


def stored_items(items, results: dict) -> list[dict]:
    """The checklist as saved: the machine's finding and the office's ruling per item."""
    return [
        {
            "key": item.key,
            "label": item.label,
            "auto": item.auto,
            "detail": item.detail,
            "result": results.get(item.key) or "",
        }
        for item in items
    ]


def _ensure_consistent(verdict, items, reason):
    if verdict in {Verdict.FAIL, Verdict.RETURN} and not reason.strip():
        raise CheckRefused(_("请填写%(verdict)s的理由。") % {"verdict": Verdict(verdict).label})
    if verdict != Verdict.PASS:
        return
    for item in items:
        if item["result"] == checklist.FAIL:
            raise CheckRefused(
                _(
                    "审查要点“%(label)s”判为不符合，不能通过形式审查。"
                    "如核实后符合，请改为符合并在备注中说明。"
                )
                % {"label": item["label"]}
            )
        if item["result"] != checklist.PASS:
            raise CheckRefused(
                _("通过形式审查前，请逐项判断审查要点；“%(label)s”尚未判断。")
                % {"label": item["label"]}
            )


def record_check(
    application,
    *,
    results,
    notes,
    verdict,
    reason,
    by,
    expected_version,
    until=None,
    at=None,
):
    """Save the office's checklist and perform its verdict; returns the FormalCheck.

    `expected_version` is the checklist version the office's page showed (0 when there was
    none); if someone saved since, StaleCheck is raised and nothing changes.
    """
    at = at or now()
    _ensure_checkable(application.status)
    items = stored_items(checklist.items_for(application), results)
    _ensure_consistent(verdict, items, reason)
    try:
        with transaction.atomic():
            check = _locked_check(application, expected_version)
            # Read again under the checklist's lock: another verdict may have just landed.
            application.status = (
                type(application).objects.values_list("status", flat=True).get(pk=application.pk)
            )
            _ensure_checkable(application.status)
            before = check.verdict
            check.items, check.notes, check.verdict = items, notes, verdict
            check.reason = reason if verdict in {Verdict.FAIL, Verdict.RETURN} else ""
            check.checked_by, check.checked_at = by, at
            check.version += 1
            check.save()
            _perform(application, verdict, reason=reason, by=by, at=at, until=until)
            record(
                check,
                "formal_check",
                actor=by,
                from_state=before,
                to_state=verdict,
                reason=check.reason,
                data={
                    "application": str(application.pk),
                    "version": check.version,
                    "results": {item["key"]: item["result"] for item in items},
                    "notes": notes,
                    "until": until.isoformat() if verdict == Verdict.RETURN and until else None,
                },
            )
    except IntegrityError:
        # Two first saves at once: the other one created the checklist.
        raise StaleCheck(FormalCheck.objects.get(application=application)) from None
    return check


def _ensure_checkable(status):
    if status not in CHECKABLE:
        raise CheckRefused(
            _("该项目当前状态为“%(status)s”，不能进行形式审查。") % {"status": Status(status).label}
        )


def _locked_check(application, expected_version):
    check = (
        # Only the check's own row: PostgreSQL cannot lock the nullable side of a join.
        FormalCheck.objects.select_for_update(of=("self",))
        .select_related("checked_by")
        .filter(application=application)
        .first()
    )
    current = check.version if check else 0
    if current != expected_version:
        raise StaleCheck(check)
    return check or FormalCheck(application=application)


def _perform(application, verdict, *, reason, by, at, until):
    if verdict == Verdict.RETURN:
        return_to_authority(application, reason=reason, by=by, at=at, until=until)
    elif verdict in TRANSITION and application.status != _target(verdict):
        workflow.perform(application, TRANSITION[verdict], by=by, at=at, reason=reason)


def _target(verdict):
    return workflow.TRANSITIONS[TRANSITION[verdict]].target


def return_to_authority(application, *, reason, by, at=None, until=None):
    """Send the application back to its authority to decide again.

    If the authority has sent its recommendation, it is reopened so the authority can act;
    after the call's recommendation deadline it then needs the later deadline `until`.
    """
    at = at or now()
    returned = workflow.perform(application, "return_to_authority", by=by, at=at, reason=reason)
    batch = RecommendationBatch.objects.filter(
        call_id=application.call_id, authority_id=application.authority_id
    ).first()
    if batch is not None and batch.is_submitted:
        try:
            review.reopen(
                batch,
                by=by,
                reason=str(_("项目“%(name)s”退回重新审核：%(reason)s"))
                % {"name": application.name, "reason": reason},
                until=until,
                at=at,
            )
        except review.SubmitRefused as error:
            raise CheckRefused(error.message) from None
    notify(
        application.authority.reviewers.all(),
        _("省信息化办在形式审查中将项目“%(name)s”（%(org)s）退回，请重新出具审核意见：%(reason)s")
        % {"name": application.name, "org": application.organisation, "reason": reason},
        url=reverse("review:application", args=[application.pk]),
    )
    return returned


# --- The office's ruling on a suspected pair ------------------------------------------


def judge_pair(pair, verdict, *, note="", by, at=None):
    """Rule a suspected pair a duplicate (or continuation), not a duplicate, or undecided."""
    if verdict not in SimilarPair.Verdict.values:
        raise CheckRefused(_("请选择判断结果。"))
    if verdict == SimilarPair.Verdict.NOT_DUPLICATE and not note.strip():
        raise CheckRefused(_("判断为“不是重复”时，请简要说明理由。"))
    with transaction.atomic():
        locked = SimilarPair.objects.select_for_update().get(pk=pair.pk)
        before = locked.verdict
        locked.verdict, locked.verdict_note = verdict, note
        locked.verdict_by, locked.verdict_at = by, at or now()
        locked.save()
        record(
            locked,
            "judge_pair",
            actor=by,
            from_state=before,
            to_state=verdict,
            reason=note,
            data={"application": str(locked.application_id), "score": round(locked.score, 4)},
        )
    return locked
