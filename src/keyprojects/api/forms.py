"""The office's form for issuing a token, and the revocation form."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.clock import china_midnight, china_time, now
from keyprojects.orgs.models import Authority

from .models import Scope

DEFAULT_DAYS = 365
MAX_DAYS = 730


def today() -> dt.date:
    return china_time(now()).date()


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("名称"),
        max_length=64,
        help_text=_("使用该令牌的系统及单位，例如“南京市大数据局项目库”。"),
    )
    authority = forms.ModelChoiceField(
        label=_("数据范围"),
        queryset=Authority.objects.order_by("kind", "name"),
        required=False,
        empty_label=_("全省（全部项目和报告）"),
        help_text=_("选择主管部门时，令牌只能读取推荐或抄报给该部门的项目及报送给该部门的报告。"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("权限范围"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项权限范围。")},
    )
    expires_on = forms.DateField(
        label=_("有效期至"),
        help_text=_("含当日（北京时间24:00止），最长两年。"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = today() + dt.timedelta(days=DEFAULT_DAYS)

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value < today():
            raise forms.ValidationError(_("有效期不能早于今天。"))
        if value > today() + dt.timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("有效期最长两年。"))
        return value

    @property
    def expires_at(self):
        """The end of the last valid day, China Standard Time."""
        return china_midnight(self.cleaned_data["expires_on"] + dt.timedelta(days=1))


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("吊销原因"),
        max_length=200,
        required=False,
        help_text=_("例如：系统停用、令牌可能泄露。"),
    )
