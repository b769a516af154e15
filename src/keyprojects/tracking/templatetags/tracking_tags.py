"""Template helpers of tracking: Chinese labels of report states and recorded actions."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..models import ProgressReport

register = template.Library()

ACTIONS = {
    "create": _("加入本轮"),
    "save": _("保存草稿"),
    "submit": _("提交报告"),
    "return": _("退回修改"),
    "evaluate": _("评价"),
    "attach": _("上传附件"),
    "detach": _("删除附件"),
    "comment": _("填写属地意见"),
    "revise_comment": _("修改属地意见"),
}
STATES = dict(ProgressReport.State.choices)
# Bootstrap's own colours: the site stylesheet's status classes belong to applications.
BADGES = {
    "pending": "text-bg-secondary",
    "draft": "text-bg-info",
    "submitted": "text-bg-success",
    "returned": "text-bg-warning",
    "evaluated": "text-bg-primary",
}


@register.filter
def action_label(action):
    return ACTIONS.get(action, action)


@register.filter
def state_label(state):
    return STATES.get(state, state)


@register.filter
def state_badge(state):
    return BADGES.get(state, "text-bg-light")


@register.filter
def column(values, name):
    """A cell of an imported row by its column heading (headings such as 信息化投资（万元）
    are not valid template variable names)."""
    return values.get(name, "")
