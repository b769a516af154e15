from django import template
from django.utils.translation import gettext_lazy as _

from keyprojects.scoring.models import Tier

register = template.Library()

EVENT_LABELS = {
    "create": _("创建"),
    "open": _("开始"),
    "close": _("结束"),
    "reopen": _("重新开启 / 退回"),
    "set_deadline": _("修改截止时间"),
    "remind": _("提醒专家"),
    "save": _("保存草稿"),
    "submit": _("提交评分"),
    "shortlist": _("调整入围名单"),
    "schedule": _("安排答辩"),
    "cancel_slot": _("取消答辩安排"),
    "save_final_list": _("保存会议结果和纪要"),
}
STATE_LABELS = {
    "planned": _("未开始"),
    "open": _("进行中"),
    "closed": _("已结束"),
    "draft": _("草稿"),
    "submitted": _("已提交"),
}


@register.filter
def event_label(action):
    return EVENT_LABELS.get(action, action)


@register.filter
def state_label(state):
    return STATE_LABELS.get(state, state)


@register.filter
def tier_label(code):
    return Tier(code).label if code in Tier.values else "—"
