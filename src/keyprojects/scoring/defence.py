"""The defence round (答辩评审) and the combined meeting (综合会审).

Defence: the office shortlists applications per category (from the ranking of the round
before), sets up panels (category, date, place, experts) and gives each shortlisted
application a slot; the applicant is notified and downloads its slot as a PDF. Panel
experts score in the round like online reviewers, or the secretary types in their paper
sheets (domain.save_score(paper=True)).

Combined meeting: the office records the final list (each application's tier) and the
minutes, as one document under an optimistic lock, and closes the round.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.applications.models import Application
from keyprojects.audit.domain import record
from keyprojects.core.clock import CHINA, china_time, now
from keyprojects.notifications.domain import notify

from . import queries
from .domain import ScoringRefused
from .models import DefencePanel, DefenceSlot, ReviewRound, RoundEntry, Score, Tier

Kind, State = ReviewRound.Kind, ReviewRound.State


def previous_round(round_):
    """The scored round before this one (its ranking feeds the shortlist or final list)."""
    return (
        ReviewRound.objects.filter(
            call=round_.call, order__lt=round_.order, kind__in=[Kind.ONLINE, Kind.DEFENCE]
        )
        .order_by("-order")
        .first()
    )


def _ensure_editable(round_, kind):
    if round_.kind != kind:
        raise ScoringRefused(_("该轮次不是%(kind)s。") % {"kind": Kind(kind).label})
    if round_.state == State.CLOSED:
        raise ScoringRefused(_("本轮已结束，不能再修改。"))


# --- Shortlist --------------------------------------------------------------------------


def shortlist_candidates(round_):
    """Applications the office may shortlist: those ranked in the round before."""
    before = previous_round(round_)
    return [a for a, _assigned in queries.population(round_.call, before)]


def set_shortlist(round_, application_ids, *, by, at=None):
    """Make the shortlist exactly `application_ids` (applications with a slot stay)."""
    _ensure_editable(round_, Kind.DEFENCE)
    allowed = {a.pk: a for a in shortlist_candidates(round_)}
    wanted = {pk for pk in application_ids if pk in allowed}
    with transaction.atomic():
        current = set(round_.entries.values_list("application_id", flat=True))
        slotted = set(round_.slots.values_list("application_id", flat=True))
        kept = (current - wanted) & slotted
        if kept:
            names = "、".join(a.name for a in Application.objects.filter(pk__in=kept))
            raise ScoringRefused(
                _("%(names)s 已安排答辩，请先取消答辩安排再移出入围名单。") % {"names": names}
            )
        added, removed = wanted - current, current - wanted
        RoundEntry.objects.filter(round=round_, application_id__in=removed).delete()
        RoundEntry.objects.bulk_create(
            RoundEntry(round=round_, application_id=pk, added_by=by, added_at=at or now())
            for pk in added
        )
        if added or removed:
            record(
                round_,
                "shortlist",
                actor=by,
                data={
                    "added": sorted(str(p) for p in added),
                    "removed": sorted(str(p) for p in removed),
                },
            )
    return added, removed


# --- Panels and slots -------------------------------------------------------------------


def create_panel(round_, *, category, name, place, date, experts, by, at=None) -> DefencePanel:
    _ensure_editable(round_, Kind.DEFENCE)
    if category.call_id != round_.call_id:
        raise ScoringRefused(_("请选择本批次的工程类别。"))
    if not experts:
        raise ScoringRefused(_("请为评审组选择至少一位专家。"))
    with transaction.atomic():
        panel = DefencePanel.objects.create(
            round=round_,
            category=category,
            name=name,
            place=place,
            date=date,
            created_by=by,
            created_at=at or now(),
        )
        panel.experts.set(experts)
        record(
            panel,
            "create",
            actor=by,
            data={"name": name, "category": category.code, "experts": [e.name for e in experts]},
        )
    return panel


def slot_text(slot) -> str:
    start, end = china_time(slot.starts_at), china_time(slot.ends_at)
    return _("%(date)s %(start)s—%(end)s，%(place)s（%(panel)s）") % {
        "date": f"{start:%Y年%m月%d日}",
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
        "place": slot.panel.place,
        "panel": slot.panel.name,
    }


def add_slot(panel, application, *, start: dt.time, end: dt.time, by, at=None) -> DefenceSlot:
    round_ = panel.round
    _ensure_editable(round_, Kind.DEFENCE)
    if not round_.entries.filter(application=application).exists():
        raise ScoringRefused(_("“%(name)s”不在入围名单中。") % {"name": application.name})
    if application.category_id != panel.category_id:
        raise ScoringRefused(_("该项目不属于本评审组的工程类别。"))
    starts_at = dt.datetime.combine(panel.date, start, tzinfo=CHINA)
    ends_at = dt.datetime.combine(panel.date, end, tzinfo=CHINA)
    if ends_at <= starts_at:
        raise ScoringRefused(_("结束时间应晚于开始时间。"))
    with transaction.atomic():
        if DefenceSlot.objects.filter(round=round_, application=application).exists():
            raise ScoringRefused(_("“%(name)s”已安排答辩。") % {"name": application.name})
        clash = panel.slots.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).first()
        if clash is not None:
            raise ScoringRefused(
                _("与“%(name)s”的答辩时间重叠（%(time)s）。")
                % {"name": clash.application.name, "time": slot_text(clash)}
            )
        slot = DefenceSlot.objects.create(
            round=round_,
            panel=panel,
            application=application,
            starts_at=starts_at,
            ends_at=ends_at,
            created_by=by,
            created_at=at or now(),
        )
        record(slot, "schedule", actor=by, data={"time": slot_text(slot)})
        notify(
            application.organisation.users.all(),
            _("您的申报项目“%(name)s”入围答辩评审：%(time)s。请登录系统下载答辩通知。")
            % {"name": application.name, "time": slot_text(slot)},
            url=reverse("scoring:my_slots"),
        )
    return slot


def cancel_slot(slot, *, by, reason=""):
    _ensure_editable(slot.round, Kind.DEFENCE)
    with transaction.atomic():
        if Score.objects.filter(round=slot.round, application=slot.application).exists():
            raise ScoringRefused(_("该项目已有专家评分，不能取消答辩安排。"))
        record(
            slot.round,
            "cancel_slot",
            actor=by,
            reason=reason,
            data={"application": str(slot.application_id), "time": slot_text(slot)},
        )
        notify(
            slot.application.organisation.users.all(),
            _("您的申报项目“%(name)s”的答辩安排（%(time)s）已取消，新的安排将另行通知。")
            % {"name": slot.application.name, "time": slot_text(slot)},
            url=reverse("scoring:my_slots"),
        )
        slot.delete()


def panel_conflicts(panel) -> list[tuple]:
    """(slot, expert) where a panel expert works for the applicant or a partner (回避)."""
    experts = list(panel.experts.all())
    found = []
    for slot in panel.slots.select_related("application__organisation").prefetch_related(
        "application__partners"
    ):
        codes = {slot.application.organisation.credit_code} | {
            p.credit_code for p in slot.application.partners.all()
        }
        found += [(slot, e) for e in experts if e.organisation_credit_code in codes]
    return found


# --- Combined meeting -------------------------------------------------------------------


def final_list_candidates(round_):
    """What the combined meeting decides on: the round before's ranked applications."""
    before = previous_round(round_)
    candidates = {a.pk: a for a, _assigned in queries.population(round_.call, before)}
    for entry in round_.entries.select_related("application__category"):
        candidates.setdefault(entry.application_id, entry.application)
    return list(candidates.values())


def save_final_list(round_, tiers: dict, minutes: str, *, by, expected_version, at=None):
    """Record the meeting's list ({application pk: (tier or "", note)}) and its minutes."""
    _ensure_editable(round_, Kind.COMBINED)
    at = at or now()
    allowed = {a.pk for a in final_list_candidates(round_)}
    with transaction.atomic():
        updated = ReviewRound.objects.filter(pk=round_.pk, version=expected_version).update(
            minutes=minutes, version=expected_version + 1, updated_by=by, updated_at=at
        )
        if not updated:
            current = ReviewRound.objects.select_related("updated_by").get(pk=round_.pk)
            raise ScoringRefused(
                _(
                    "会议结果已于 %(when)s 由 %(who)s 保存过新的版本，为避免覆盖，本次保存未执行；"
                    "您填写的内容仍在下方，请刷新页面核对后再保存。"
                )
                % {
                    "when": f"{china_time(current.updated_at):%Y-%m-%d %H:%M:%S}",
                    "who": current.updated_by,
                }
            )
        listed = {}
        for pk, (tier, note) in tiers.items():
            if pk not in allowed or tier not in Tier.values:
                continue
            RoundEntry.objects.update_or_create(
                round=round_,
                application_id=pk,
                defaults={"tier": tier, "note": note, "added_by": by, "added_at": at},
            )
            listed[str(pk)] = tier
        RoundEntry.objects.filter(round=round_).exclude(
            application_id__in=[pk for pk in tiers if str(pk) in listed]
        ).delete()
        record(
            round_,
            "save_final_list",
            actor=by,
            data={"list": listed, "version": expected_version + 1},
        )
    round_.refresh_from_db()
    return round_
