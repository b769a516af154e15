"""The audit trail as the office reads it: Chinese labels, on the page and in an XLSX file."""

import functools
import json
import tempfile

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from keyprojects.applications.printing import EVENT_LABELS as APPLICATION_EVENT_LABELS
from keyprojects.applications.workflow import TRANSITIONS, Status
from keyprojects.core.clock import china_time

from .models import Event
from .queries import SECURITY_TARGETS

# Exports are built while the office waits; larger ones wait for background exports.
DEFAULT_MAX_ROWS = 100_000


def max_rows() -> int:
    return getattr(settings, "AUDIT_EXPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


ROLE_LABELS = {
    "office": _("省信息化办"),
    "admin": _("系统管理员"),
    "reviewer": _("主管部门审核员"),
    "applicant": _("申报单位用户"),
    "expert": _("评审专家"),
    "user": _("其他用户"),
    "anonymous": _("未登录"),
}

# Actions that read the same whatever the target.
GENERIC_ACTIONS = {
    "login": _("登录"),
    "logout": _("退出登录"),
    "login_failed": _("登录失败"),
    "download": _("下载文件"),
    "permission_denied": _("拒绝访问"),
    "unlock": _("解除登录锁定"),
    "export_audit": _("导出审计日志"),
}

APPLICATION = "applications.application"
# An application's own steps ("create" there means a draft, elsewhere it does not).
ACTIONS_BY_TARGET = {
    APPLICATION: {
        **APPLICATION_EVENT_LABELS,
        **{name: t.label for name, t in TRANSITIONS.items()},
    },
}

TARGET_LABELS = {
    "auth.user": _("用户账号"),
    "download": _("文件下载"),
    "request": _("请求"),
    "audit.event": _("审计日志"),
}
STATE_LABELS = dict(Status.choices)


def action_label(target_type: str, action: str) -> str:
    labels = ACTIONS_BY_TARGET.get(target_type, {})
    return str(labels.get(action) or GENERIC_ACTIONS.get(action) or action)


@functools.cache
def target_label(target_type: str) -> str:
    """The target's name in Chinese: its model's verbose name, else the code."""
    if target_type in TARGET_LABELS:
        return str(TARGET_LABELS[target_type])
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type


def known_actions() -> list[tuple[str, str]]:
    """(code, label) of the actions with a Chinese name, for the filter's suggestions."""
    labels = {code: str(label) for code, label in GENERIC_ACTIONS.items()}
    for code, label in ACTIONS_BY_TARGET[APPLICATION].items():
        labels.setdefault(code, str(label))
    return sorted(labels.items())


def known_targets() -> list[tuple[str, str]]:
    codes = set(SECURITY_TARGETS) | set(TARGET_LABELS)
    codes |= {
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.startswith("keyprojects.")
    }
    return sorted((code, target_label(code)) for code in codes)


def describe(event: Event) -> dict:
    """One event's values for display (the actor must be selected with the event)."""
    actor = event.actor
    return {
        "event": event,
        "at": china_time(event.at),
        "username": actor.username if actor else "",
        "name": actor.full_name if actor else "",
        "role": str(ROLE_LABELS.get(event.role, event.role)),
        "ip": event.ip or "",
        "action": action_label(event.target_type, event.action),
        "target": target_label(event.target_type),
        "from_state": str(STATE_LABELS.get(event.from_state, event.from_state)),
        "to_state": str(STATE_LABELS.get(event.to_state, event.to_state)),
        "outcome": str(event.get_outcome_display()),
        "data": json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else "",
    }


# --- The XLSX file -----------------------------------------------------------------------

COLUMNS = [
    (_("时间（北京时间）"), 20, lambda r: r["at"].replace(tzinfo=None)),
    (_("序号"), 10, lambda r: r["event"].seq),
    (_("账号"), 16, lambda r: r["username"]),
    (_("姓名"), 12, lambda r: r["name"]),
    (_("角色"), 14, lambda r: r["role"]),
    (_("IP 地址"), 16, lambda r: r["ip"]),
    (_("动作"), 18, lambda r: r["action"]),
    (_("动作代码"), 16, lambda r: r["event"].action),
    (_("对象类型"), 16, lambda r: r["target"]),
    (_("对象类型代码"), 24, lambda r: r["event"].target_type),
    (_("对象编号"), 38, lambda r: r["event"].target_id),
    (_("原状态"), 12, lambda r: r["from_state"]),
    (_("新状态"), 12, lambda r: r["to_state"]),
    (_("原因"), 30, lambda r: r["event"].reason),
    (_("结果"), 8, lambda r: r["outcome"]),
    (_("详情（JSON）"), 40, lambda r: r["data"]),
]
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"


def _cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    # Typed text stays text: a reason starting with "=" must not become a formula.
    cell.data_type = "s"
    return cell


def _row(sheet, event):
    values = describe(event)
    cells = []
    for _label, _width, read in COLUMNS:
        value = read(values)
        if isinstance(value, str):
            cells.append(_cell(sheet, value))
        elif value is not None and hasattr(value, "hour"):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = TIME_FORMAT
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def write_xlsx(events):
    """All `events` in a write-only workbook in a temporary file, rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("审计日志")))
    for index, (_label, width, _read) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([str(label) for label, _width, _read in COLUMNS])
    for event in events.iterator(chunk_size=2000):
        sheet.append(_row(sheet, event))
    # Outlives this function: the response streams it, then closes (and so deletes) it.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle
