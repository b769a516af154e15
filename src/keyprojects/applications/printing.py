"""The application as read-only sections, for the detail page and the 申报书 PDF."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from keyprojects.audit.domain import history
from keyprojects.core.clock import china_time, now

from .domain import applicant_snapshot
from .forms import FORM_SECTIONS
from .models import Application, ManagementSystem, Technology
from .workflow import PROVINCIAL_ACTIONS, PROVINCIAL_STAGES, TRANSITIONS, Status

APPLICANT_ROWS = [
    ("name", _("单位名称")),
    ("credit_code", _("统一社会信用代码")),
    ("kind", _("单位类型")),
    ("seat", _("所在地区")),
    ("supervising_department", _("主管省级部门")),
    ("address", _("通讯地址")),
    ("legal_representative", _("法定代表人")),
]


EVENT_LABELS = {
    "create": _("创建草稿"),
    "save": _("保存草稿"),
    "submit": _("提交申报"),
    "withdraw": _("撤回申报"),
    "attach": _("上传附件"),
    "detach": _("删除附件"),
    "save_refused": _("保存被拒绝（他人已保存新版本）"),
}


def history_rows(application, *, for_applicant=False):
    """The application's events in Chinese: (event, action, from, to, detail).

    Consecutive draft saves by one person read as one line listing what they changed.
    The applicant does not see the province's internal steps (workflow.PROVINCIAL_ACTIONS).
    """
    states = dict(Status.choices)
    if for_applicant:  # the province's steps read as 已推荐, as on the status badge
        states.update({stage: Status.RECOMMENDED.label for stage in PROVINCIAL_STAGES})
    rows = []
    for event in history(application):
        if for_applicant and event.action in PROVINCIAL_ACTIONS:
            continue
        previous = rows[-1] if rows else None
        if (
            event.action == "save"
            and previous
            and previous[0].action == "save"
            and previous[0].actor_id == event.actor_id
        ):
            previous[4].update(event.data.get("fields", []))
            rows[-1] = (event, *previous[1:])
            continue
        detail = set(event.data.get("fields", [])) if event.action == "save" else None
        rows.append(
            (
                event,
                _action_label(event.action),
                states.get(event.from_state, event.from_state),
                states.get(event.to_state, event.to_state),
                detail,
            )
        )
    return [(*row[:4], _field_labels(row[4])) for row in rows]


def _action_label(action):
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    transition = TRANSITIONS.get(action)
    return transition.label if transition else action


# A first save fills in most of the form: say how much rather than list every field.
MANY_FIELDS = 8


def _field_labels(names):
    if not names:
        return ""
    if len(names) > MANY_FIELDS:
        return _("填写了 %(n)d 项内容") % {"n": len(names)}
    labels = {
        f.name: str(f.verbose_name)
        for f in Application._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    labels["partners"] = str(_("合作单位"))
    return "、".join(sorted(labels.get(name, name) for name in names))


def display(application, name):
    value = getattr(application, name)
    if name == "technologies":
        labels = [
            str(Technology(v).label)
            for v in value
            if v in Technology.values and v != Technology.OTHER
        ]
        if Technology.OTHER in value:
            labels.append(application.technologies_other or str(Technology.OTHER.label))
        return "、".join(labels)
    if name == "management_systems":
        return "、".join(
            str(ManagementSystem(v).label) for v in value if v in ManagementSystem.values
        )
    if name in {"start_month", "planned_completion_month"}:
        return f"{value:%Y年%m月}" if value else ""
    if isinstance(value, bool) or name == "in_it_plan":
        return {True: _("是"), False: _("否"), None: ""}[value]
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    field = Application._meta.get_field(name)
    if field.choices:
        return getattr(application, f"get_{name}_display")()
    if field.is_relation:
        return str(value or "")
    return value or ""


def sections(application):
    result = []
    for title, names in FORM_SECTIONS:
        rows = [
            (Application._meta.get_field(n).verbose_name, display(application, n))
            for n in names
            if n != "technologies_other"
        ]
        if names[0] == "total_investment":
            informatisation = application.informatisation_investment
            rows.insert(
                2,
                (
                    _("信息化投资（万元）"),
                    f"{informatisation:,.2f}" if informatisation is not None else "",
                ),
            )
        result.append((title, rows))
    extras = [
        (e["label"], application.extras.get(e["key"], "")) for e in application.call.form_extras
    ]
    if extras:
        result.insert(-1, (_("附加填报项"), extras))
    return result


def applicant_rows(application):
    snapshot = application.applicant_snapshot
    if not snapshot:  # not yet submitted: the organisation as it is now
        snapshot = applicant_snapshot(application.organisation)
    return [(label, snapshot.get(key, "")) for key, label in APPLICANT_ROWS]


def application_context(application):
    return {
        "application": application,
        "call": application.call,
        "sections": sections(application),
        "applicant": applicant_rows(application),
        "partners": application.partners.all(),
        "attachments": application.attachments.all(),
        "printed_at": china_time(now()),
        "submitted_at": china_time(application.submitted_at) if application.submitted_at else None,
    }


def blank_form_context(call):
    blank = Application(call=call)
    return {
        "application": blank,
        "call": call,
        "blank": True,
        "sections": [
            (title, [(label, "") for label, _value in rows]) for title, rows in sections(blank)
        ],
        "applicant": [(label, "") for _key, label in APPLICANT_ROWS],
        "partners": [],
        "attachments": [],
        "printed_at": None,
        "submitted_at": None,
    }
