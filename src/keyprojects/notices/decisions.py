"""The office's decisions: selected (with a tier) or not selected (with a reason).

Statuses change only through applications.workflow.perform (`select`, `not_select`); the
tier is kept on a Decision row. A tier's maximum is cumulative (see models.Tier). Every
decision of a call first locks the call's tiers, so two office members deciding at once
queue there and a maximum can never be exceeded.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.applications import workflow
from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.audit.domain import record
from keyprojects.core.clock import now

from .models import Decision, PublicNotice, Tier
from .workflow import StaleVersion

# The 2020 list: 50 key projects, 10 of them flagship (苏信息化办〔2021〕1号).
DEFAULT_TIERS = [(_("标志性工程"), 1, 10), (_("重点工程"), 2, 50)]


def create_default_tiers(call, *, by):
    """Give a call the 2020 tiers if it has none yet; returns the call's tiers."""
    with transaction.atomic():
        if not call.tiers.exists():
            for name, order, max_count in DEFAULT_TIERS:
                Tier.objects.create(call=call, name=str(name), order=order, max_count=max_count)
            record(call, "create_default_tiers", actor=by, data={"tiers": len(DEFAULT_TIERS)})
    return list(call.tiers.all())


def cumulative_count(call, order, *, exclude=None) -> int:
    """Selected applications in the tier of `order` or any higher tier."""
    queryset = Decision.objects.filter(
        call=call, application__status=Status.SELECTED, tier__order__lte=order
    )
    if exclude is not None:
        queryset = queryset.exclude(application=exclude)
    return queryset.count()


def tier_counts(call) -> list[tuple]:
    """(tier, selected in it, selected in it or above) for each tier of the call."""
    rows = []
    tiers = list(call.tiers.all())
    own = dict.fromkeys((t.pk for t in tiers), 0)
    for tier_id in Decision.objects.filter(
        call=call, application__status=Status.SELECTED
    ).values_list("tier_id", flat=True):
        if tier_id in own:
            own[tier_id] += 1
    running = 0
    for tier in tiers:
        running += own[tier.pk]
        rows.append((tier, own[tier.pk], running))
    return rows


def row_version(application) -> str:
    """What the decision page saw of an application: its version and its decision's."""
    try:
        decision_version = application.notice_decision.version
    except Decision.DoesNotExist:
        decision_version = 0
    return f"{application.version}.{decision_version}"


def _tier_id(application):
    try:
        return application.notice_decision.tier_id
    except Decision.DoesNotExist:
        return None


def _ensure_version(application, expected):
    if expected is not None and expected != row_version(application):
        raise StaleVersion()


def _ensure_list_open(call, *, adding):
    state = PublicNotice.objects.filter(call=call).values_list("state", flat=True).first()
    if state == PublicNotice.State.FINALISED:
        raise TransitionRefused(_("最终名单已确定，不能再更改遴选决定。"))
    if adding and state == PublicNotice.State.PUBLISHED:
        raise TransitionRefused(
            _(
                "公示已发布，不能再新增入选项目或调整档次（否则新名单未经完整公示）；"
                "撤销入选项目请使用“确定不入选”并写明理由。"
            )
        )


def _ensure_room(tiers, tier, application):
    for other in tiers:
        if other.max_count is None or other.order < tier.order:
            continue  # the new tier counts towards itself and every lower tier
        count = cumulative_count(application.call, other.order, exclude=application) + 1
        if count > other.max_count:
            higher = _("（含更高档次）") if other.order > tiers[0].order else ""
            raise TransitionRefused(
                _(
                    "“%(tier)s”%(higher)s最多 %(max)d 项，已有 %(n)d 项入选，"
                    "不能再将“%(name)s”列入“%(target)s”。"
                )
                % {
                    "tier": other.name,
                    "higher": higher,
                    "max": other.max_count,
                    "n": count - 1,
                    "name": application.name,
                    "target": tier.name,
                }
            )


def _lock_tiers(call):
    return list(Tier.objects.select_for_update().filter(call=call).order_by("order"))


def _save_decision(application, *, by, at, tier=None, reason=""):
    decision, _created = Decision.objects.select_for_update().get_or_create(
        application=application,
        defaults={"call": application.call, "decided_by": by, "decided_at": at},
    )
    previous = decision.tier
    decision.tier, decision.reason = tier, reason
    decision.decided_by, decision.decided_at = by, at
    decision.version += 1
    decision.save()
    return decision, previous


def select(application, tier, *, by, expected=None, at=None):
    """Select `application` into `tier`, or move a selected one to another tier."""
    at = at or now()
    if tier is None or tier.call_id != application.call_id:
        raise TransitionRefused(_("请选择入选档次。"))
    with transaction.atomic():
        tiers = _lock_tiers(application.call)
        _ensure_list_open(application.call, adding=True)
        fresh = Application.objects.select_related("call", "notice_decision").get(pk=application.pk)
        _ensure_version(fresh, expected)
        if not by.has_perm("notices.decide", fresh):
            raise PermissionDenied
        if fresh.status == Status.SELECTED and _tier_id(fresh) == tier.pk:
            raise TransitionRefused(_("“%(name)s”已列入该档次。") % {"name": fresh.name})
        _ensure_room(tiers, tier, fresh)
        if fresh.status != Status.SELECTED:
            fresh = workflow.perform(fresh, "select", by=by, at=at, reason=str(tier.name))
        decision, previous = _save_decision(fresh, by=by, at=at, tier=tier)
        record(
            decision,
            "set_tier",
            actor=by,
            from_state=previous.name if previous else "",
            to_state=tier.name,
            data={"application": str(fresh.pk)},
        )
    return fresh


def not_select(application, reason, *, by, expected=None, at=None, data=None):
    """Decide that `application` is not selected (or withdraw it from the list), with why."""
    at = at or now()
    with transaction.atomic():
        _lock_tiers(application.call)
        _ensure_list_open(application.call, adding=False)

        def check(locked):
            _ensure_version(locked, expected)

        decided = workflow.perform(
            application, "not_select", by=by, at=at, reason=reason, check=check
        )
        decision, previous = _save_decision(decided, by=by, at=at, reason=reason)
        record(
            decision,
            "set_tier",
            actor=by,
            from_state=previous.name if previous else "",
            to_state="",
            reason=reason,
            data={"application": str(decided.pk), **(data or {})},
        )
    return decided


def apply_batch(applications, action, *, by, tier=None, reason="", versions=None):
    """Decide several at once; returns (decided, [(application, why refused)])."""
    versions = versions or {}
    done, refused = [], []
    for application in applications:
        expected = versions.get(str(application.pk))
        try:
            if action == "select":
                done.append(select(application, tier, by=by, expected=expected))
            else:
                done.append(not_select(application, reason, by=by, expected=expected))
        except TransitionRefused as error:
            refused.append((application, str(error)))
    return done, refused
