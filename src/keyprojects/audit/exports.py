"""The audit trail as the office reads it: Chinese labels, on the page and in its export
(listings.py)."""

import functools
import json

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.printing import EVENT_LABELS as APPLICATION_EVENT_LABELS
from keyprojects.applications.workflow import TRANSITIONS, Status
from keyprojects.core.clock import china_time

from .models import Event
from .queries import SECURITY_TARGETS

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
    "sso_login": _("统一身份认证登录"),
    "sso_link": _("关联统一身份认证账号"),
    "download": _("下载文件"),
    "permission_denied": _("拒绝访问"),
    "unlock": _("解除登录锁定"),
    "export_audit": _("导出审计日志"),
    "export_list": _("导出列表"),
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
