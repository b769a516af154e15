"""The public notice of a call: drafting, publishing, the list it shows, finalising.

While a notice is published the list it shows is live (a project withdrawn after an upheld
objection disappears from it); finalising freezes the list into `final_list`, from which the
exports are made, and tells every decided applicant its outcome.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.audit.domain import record
from keyprojects.core.clock import china_time, now
from keyprojects.notifications.domain import notify

from . import queries, workflow
from .models import PublicNotice
from .workdays import next_working_day, working_days_end

NOTICE_FIELDS = [
    "title",
    "text",
    "starts_on",
    "ends_on",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_address",
]
DEFAULT_WORKING_DAYS = 5


def today() -> dt.date:
    return china_time(now()).date()


def initial_values(call) -> dict:
    """A proposed notice: five working days from the next working day, the call's contact."""
    starts_on = next_working_day(today() + dt.timedelta(days=1))
    return {
        "title": _("%(call)s拟入选项目公示") % {"call": call.title},
        "text": _(
            "经申报推荐、形式审查、专家评审和综合会审，现将拟入选项目予以公示。"
            "公示期内，任何单位和个人对公示项目有异议的，可通过本页面以实名方式提出，"
            "并提供必要的证明材料。"
        ),
        "starts_on": starts_on,
        "ends_on": working_days_end(starts_on, DEFAULT_WORKING_DAYS),
        "contact_name": call.contact_name,
        "contact_phone": call.contact_phone,
        "contact_address": call.contact_address,
    }


def save_notice(call, values: dict, *, by, expected_version=None) -> PublicNotice:
    """Create the call's notice or change it (refused once final, or if stale)."""
    with transaction.atomic():
        notice = PublicNotice.objects.select_for_update().filter(call=call).first()
        if notice is None:
            notice = PublicNotice(call=call, created_by=by, updated_by=by, **values)
            notice.save()
            record(notice, "create", actor=by, data={"fields": list(values)})
            return notice
        workflow.ensure_version(notice, expected_version)
        if notice.state == PublicNotice.State.FINALISED:
            raise TransitionRefused(_("最终名单已确定，公示不能再修改。"))
        if notice.state == PublicNotice.State.PUBLISHED and values["starts_on"] != notice.starts_on:
            raise TransitionRefused(_("公示已发布，开始日期不能再修改。"))
        changed = [f for f in NOTICE_FIELDS if getattr(notice, f) != values[f]]
        for field in changed:
            setattr(notice, field, values[field])
        notice.updated_by = by
        notice.version += 1
        notice.save()
        record(notice, "edit", actor=by, data={"fields": changed})
    return notice


def publish(notice, *, by, expected_version=None) -> PublicNotice:
    def check(locked):
        problems = []
        if locked.starts_on < today():
            problems.append(_("公示开始日期已过，请改为今天或以后的日期。"))
        if locked.ends_on < locked.starts_on:
            problems.append(_("公示截止日期不能早于开始日期。"))
        if not queries.selected(locked.call).exists():
            problems.append(_("还没有入选项目，不能发布公示。"))
        if problems:
            raise TransitionRefused(" ".join(str(p) for p in problems), problems)
        locked.published_at = now()

    return workflow.perform(
        notice, "publish", by=by, expected_version=expected_version, check=check
    )


def finalisation_problems(notice, at=None) -> list[str]:
    """Why the list cannot be final yet; [] when it can."""
    problems = []
    if (at or now()) < notice.closes_at:
        problems.append(
            _("公示期至 %(end)s 24:00 结束，期满后才能确定最终名单。")
            % {"end": f"{notice.ends_on:%Y-%m-%d}"}
        )
    open_receipts = list(queries.open_objections(notice).values_list("receipt", flat=True))
    if open_receipts:
        problems.append(
            _("还有 %(n)d 件异议未答复（回执号：%(receipts)s），全部答复后才能确定最终名单。")
            % {"n": len(open_receipts), "receipts": "、".join(open_receipts)}
        )
    undecided = list(
        notice.call.applications.filter(status=Status.CHECK_PASSED).values_list("name", flat=True)
    )
    if undecided:
        problems.append(
            _("还有 %(n)d 个项目尚未作出是否入选的决定：%(names)s。")
            % {"n": len(undecided), "names": "、".join(undecided)}
        )
    return [str(p) for p in problems]


def finalise(notice, *, by, expected_version=None, at=None) -> PublicNotice:
    at = at or now()

    def check(locked):
        problems = finalisation_problems(locked, at)
        if problems:
            raise TransitionRefused(" ".join(problems), problems)
        locked.finalised_at = at
        locked.final_list = list_content(locked.call)

    finalised = workflow.perform(
        notice, "finalise", by=by, expected_version=expected_version, check=check
    )
    _notify_outcomes(finalised)
    return finalised


OUTCOME_MESSAGES = {
    Status.SELECTED: _("您的申报项目“%(name)s”已列入%(call)s最终名单（%(tier)s）。"),
    Status.NOT_SELECTED: _("您的申报项目“%(name)s”未列入%(call)s最终名单。"),
}
# A project that failed the formal check learns it with the others: it is not on the list.
OUTCOME_MESSAGES[Status.CHECK_FAILED] = OUTCOME_MESSAGES[Status.NOT_SELECTED]


def _notify_outcomes(notice):
    applications = notice.call.applications.filter(
        status__in=list(OUTCOME_MESSAGES)
    ).select_related("notice_decision__tier", "organisation")
    for application in applications:
        decision = getattr(application, "notice_decision", None)
        tier = decision.tier.name if decision and decision.tier else ""
        notify(
            application.organisation.users.all(),
            OUTCOME_MESSAGES[application.status]
            % {"name": application.name, "call": notice.call.title, "tier": tier},
            url=reverse("applications:detail", args=[application.pk]),
            key=f"notice-outcome-{application.pk}",
        )


# --- The list ------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    ("serial", _("序号")),
    ("tier", _("档次")),
    ("category", _("工程类别")),
    ("name", _("项目名称")),
    ("applicant", _("申报单位")),
    ("city", _("所在设区市")),
    ("total_investment", _("总投资（万元）")),
    ("informatisation_investment", _("信息化投资（万元）")),
]
MONEY = {"total_investment", "informatisation_investment"}


def list_content(call, selected=None) -> dict:
    """The selected projects as they stand (`selected`, when loaded already), amounts as
    exact strings (JSON-safe)."""
    rows, total, informatisation = [], 0, 0
    if selected is None:
        selected = queries.selected(call)
    for serial, application in enumerate(selected, start=1):
        decision = getattr(application, "notice_decision", None)
        rows.append(
            {
                "serial": serial,
                "tier": decision.tier.name if decision and decision.tier else "",
                "tier_order": decision.tier.order if decision and decision.tier else 0,
                "category": application.category.name if application.category else "",
                "name": application.name,
                "applicant": application.organisation.name,
                "city": queries.city_name(application.organisation.seat),
                "total_investment": f"{application.total_investment or 0:.2f}",
                "informatisation_investment": f"{application.informatisation_investment or 0:.2f}",
            }
        )
        total += application.total_investment or 0
        informatisation += application.informatisation_investment or 0
    return {
        "call": call.title,
        "rows": rows,
        "total_investment": f"{total:.2f}",
        "informatisation_investment": f"{informatisation:.2f}",
    }


def shown_list(notice, selected=None) -> dict:
    """What a notice shows: the frozen list once final, the live one before."""
    if notice.state == PublicNotice.State.FINALISED and notice.final_list:
        return notice.final_list
    return list_content(notice.call, selected)


def grouped(rows) -> list[tuple[str, list[tuple[str, list[dict]]]]]:
    """Rows by tier, then by category, keeping their order: [(tier, [(category, rows)])]."""
    tiers: dict[str, dict[str, list]] = {}
    for row in rows:
        tiers.setdefault(row["tier"], {}).setdefault(row["category"], []).append(row)
    return [(tier, list(categories.items())) for tier, categories in tiers.items()]
