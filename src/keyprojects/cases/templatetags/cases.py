"""Labels for the history of a case (audit actions and states) in Chinese."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..models import Case
from ..workflow import TRANSITIONS

register = template.Library()

EVENT_LABELS = {
    "create": _("根据入选项目创建案例"),
    "save": _("保存修改"),
    "add_figure": _("添加成效数据"),
    "delete_figure": _("删除成效数据"),
    "add_image": _("添加图片"),
    "delete_image": _("删除图片"),
    "consent_requested": _("请申报单位确认"),
    "consent_given": _("申报单位同意发布"),
    "consent_refused": _("申报单位不同意发布"),
    "consent_lapsed": _("内容已修改，申报单位原意见失效"),
    **{name: t.label for name, t in TRANSITIONS.items()},
}
STATE_LABELS = {**dict(Case.State.choices), **dict(Case.Consent.choices)}


@register.filter
def case_event(action):
    return EVENT_LABELS.get(action, action)


@register.filter
def case_state(value):
    return STATE_LABELS.get(value, value)


@register.filter
def is_transition(action):
    """Only the workflow's moves show their states (a consent names its own outcome)."""
    return action in TRANSITIONS
