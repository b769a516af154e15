from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.lists import ListFilter, Sort

from .exports import ROLE_LABELS
from .models import Event

ALL = [("", _("全部"))]


class EventFilter(ListFilter):
    """The office's search of the audit trail; GET parameters, all optional."""

    # Without a sort asked for: the newest first.
    sorts = {
        "at": Sort(_("时间"), ("at", "seq")),
        "user": Sort(_("用户"), ("actor__username",)),
        "action": Sort(_("动作"), ("action",)),
        "target": Sort(_("对象"), ("target_type", "target_id")),
        "outcome": Sort(_("结果"), ("outcome",)),
    }

    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请输入有效的日期，例如 2026-03-01。")},
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请输入有效的日期，例如 2026-03-31。")},
    )
    user = forms.CharField(
        label=_("用户（账号或姓名）"),
        required=False,
        max_length=64,
        error_messages={"max_length": _("用户最多 64 个字符。")},
    )
    role = forms.ChoiceField(
        label=_("角色"),
        required=False,
        choices=ALL + list(ROLE_LABELS.items()),
        error_messages={"invalid_choice": _("请选择列表中的角色。")},
    )
    action = forms.CharField(
        label=_("动作"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "audit-actions"}),
        error_messages={"max_length": _("动作代码最多 64 个字符。")},
    )
    target_type = forms.CharField(
        label=_("对象类型"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"list": "audit-targets"}),
        error_messages={"max_length": _("对象类型代码最多 64 个字符。")},
    )
    target_id = forms.CharField(
        label=_("对象编号"),
        required=False,
        max_length=255,
        error_messages={"max_length": _("对象编号最多 255 个字符。")},
    )
    outcome = forms.ChoiceField(
        label=_("结果"),
        required=False,
        choices=ALL + list(Event.Outcome.choices),
        error_messages={"invalid_choice": _("请选择列表中的结果。")},
    )
    ip = forms.GenericIPAddressField(
        label=_("IP 地址"),
        required=False,
        error_messages={"invalid": _("请输入有效的 IPv4 或 IPv6 地址。")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期。"))
        return cleaned

    def filters(self) -> dict:
        """The filters given (valid form), as keyword arguments of queries.search."""
        return {
            name: value for name, value in self.cleaned_data.items() if value and name != "sort"
        }
