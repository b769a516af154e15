"""The audit trail as the office reads it: Chinese labels, on the page and in its export
(listings.py)."""

import functools
import json

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.printing import EVENT_LABELS as APPLICATION_EVENT_LABELS
from keyprojects.applications.workflow import TRANSITIONS
from keyprojects.cases.workflow import TRANSITIONS as CASE_TRANSITIONS
from keyprojects.core.clock import china_time
from keyprojects.notices.workflow import NOTICE_TRANSITIONS, OBJECTION_TRANSITIONS
from keyprojects.tracking.workflow import TRANSITIONS as REPORT_TRANSITIONS

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
    "system": _("系统（后台任务）"),
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
    "register": _("注册单位"),
    "invite": _("邀请同事"),
    "join": _("加入单位"),
    "second_factor_setup": _("绑定身份验证器"),
    "second_factor_reset": _("重置身份验证器"),
    "recovery_code_used": _("使用恢复码登录"),
    "create": _("创建"),
    "save": _("保存"),
    "edit": _("修改"),
    "submit": _("提交"),
    "open": _("开启"),
    "close": _("关闭"),
    "reopen": _("重新开启"),
    "publish": _("发布"),
    "revoke": _("撤销"),
    "attach": _("上传附件"),
    "detach": _("删除附件"),
    "generate_table": _("生成推荐汇总表"),
    "upload_scan": _("上传盖章扫描件"),
    "submit_to_province": _("报送省信息化办"),
    "formal_check": _("形式审查"),
    "request": _("发起相似度计算"),
    "compute": _("相似度计算"),
    "judge_pair": _("判断疑似重复"),
    "update_plan": _("修改专家评审方案"),
    "declare_conflict": _("声明回避"),
    "run_assignment": _("自动分配评审专家"),
    "assign": _("分配评审专家"),
    "unassign": _("取消专家分配"),
    "set_deadline": _("设置评审截止时间"),
    "remind": _("催办"),
    "shortlist": _("确定答辩名单"),
    "schedule": _("安排答辩"),
    "cancel_slot": _("取消答辩安排"),
    "save_final_list": _("保存最终名单"),
    "create_default_tiers": _("创建默认档次"),
    "set_tier": _("确定入选档次"),
    "file": _("提出异议"),
    "withdraw_project": _("撤销入选项目"),
    "consent_requested": _("请求发布授权"),
    "consent_given": _("同意发布案例"),
    "consent_lapsed": _("发布授权失效"),
    "add_figure": _("添加数据图表"),
    "add_image": _("添加图片"),
    "mark": _("标记专项资金优先支持"),
    "unmark": _("取消专项资金优先支持"),
    "track": _("纳入跟踪"),
    "add_projects": _("添加跟踪项目"),
    "remind_late": _("催报跟踪报告"),
    "evaluate": _("评价"),
    "preview": _("预览导入"),
    "confirm": _("确认导入"),
    "import": _("导入"),
    "refuse": _("拒绝导入"),
    "fail": _("导入失败"),
    "expired": _("导入已过期"),
    "purge": _("清除导入文件"),
    "import_create": _("导入新建账号"),
    "import_update": _("导入更新账号"),
    "import_expert": _("导入专家"),
    "import_reviewer": _("导入审核员账号"),
    "comment": _("填写主管部门意见"),
    "revise_comment": _("修改主管部门意见"),
    "use_refused": _("拒绝使用接口令牌"),
    "virus_found": _("发现病毒文件"),
    "rotate_field_keys": _("轮换字段加密密钥"),
}

APPLICATION = "applications.application"
# An application's own steps ("create" there means a draft, elsewhere it does not).
ACTIONS_BY_TARGET = {
    APPLICATION: {
        **APPLICATION_EVENT_LABELS,
        **{name: t.label for name, t in TRANSITIONS.items()},
    },
    # the other state machines name their own steps
    "cases.case": {name: t.label for name, t in CASE_TRANSITIONS.items()},
    "notices.publicnotice": {name: t.label for name, t in NOTICE_TRANSITIONS.items()},
    "notices.objection": {name: t.label for name, t in OBJECTION_TRANSITIONS.items()},
    "tracking.progressreport": {name: t.label for name, t in REPORT_TRANSITIONS.items()},
}

TARGET_LABELS = {
    "auth.user": _("用户账号"),
    "download": _("文件下载"),
    "request": _("请求"),
    "audit.event": _("审计日志"),
}
STATE_FIELDS = ("status", "state", "verdict", "consent")  # what the models call a state


@functools.cache
def state_labels(target_type: str) -> dict:
    """The Chinese names of the target's states: the choices of its model's state fields."""
    try:
        fields = apps.get_model(target_type)._meta
    except (LookupError, ValueError):
        return {}
    labels = {}
    for name in STATE_FIELDS:
        try:
            field = fields.get_field(name)
        except FieldDoesNotExist:
            continue
        labels.update({str(value): label for value, label in field.flatchoices if value})
    return labels


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
    states = state_labels(event.target_type)
    return {
        "event": event,
        "at": china_time(event.at),
        "username": actor.username if actor else "",
        "name": actor.full_name if actor else "",
        "role": str(ROLE_LABELS.get(event.role, event.role)),
        "ip": event.ip or "",
        "action": action_label(event.target_type, event.action),
        "target": target_label(event.target_type),
        "from_state": str(states.get(event.from_state, event.from_state)),
        "to_state": str(states.get(event.to_state, event.to_state)),
        "outcome": str(event.get_outcome_display()),
        "data": json.dumps(event.data, ensure_ascii=False, sort_keys=True) if event.data else "",
    }
