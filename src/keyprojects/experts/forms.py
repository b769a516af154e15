from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.lists import ListFilter, Sort, search_field

from .models import ReviewPlan


class PoolFilter(ListFilter):
    q = search_field(_("姓名、单位、信用代码、电话或邮箱"))
    category = forms.ChoiceField(label=_("评审领域"), required=False)
    city = forms.ChoiceField(label=_("所在设区市"), required=False)
    active = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("yes", _("在库")), ("no", _("已出库"))],
    )

    # Without a sort asked for: experts in the pool first, by name.
    sorts = {
        "name": Sort(_("姓名"), ("name",)),
        "organisation": Sort(_("工作单位"), ("organisation_name",)),
        "city": Sort(_("所在设区市"), ("city_id",)),
        "active": Sort(_("状态"), ("is_active", "name")),
    }

    def __init__(self, *args, categories, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部")), *categories]
        self.fields["city"].choices = [("", _("全部"))] + [(c.code, c.name) for c in cities]


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReviewPlan
        fields = ["experts_per_application", "max_per_expert", "blind"]
        help_texts = {
            "experts_per_application": _("每个形式审查通过的项目由几名同类别专家评审。"),
            "max_per_expert": _("每位专家在本批次中最多评审的项目数。"),
            "blind": _("匿名评审时，专家看不到同一项目的其他评审专家。"),
        }

    def clean_experts_per_application(self):
        value = self.cleaned_data["experts_per_application"]
        if not 1 <= value <= 15:
            raise forms.ValidationError(_("每个项目的评审专家数应在 1 到 15 之间。"))
        return value

    def clean_max_per_expert(self):
        value = self.cleaned_data["max_per_expert"]
        if not 1 <= value <= 500:
            raise forms.ValidationError(_("每位专家最多评审项目数应在 1 到 500 之间。"))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AddExpertForm(forms.Form):
    expert = forms.ChoiceField(label=_("专家"))
    reason = forms.CharField(label=_("调整理由"), required=False, max_length=2000)

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].choices = [("", _("请选择"))] + [
            (str(e.pk), _("%(name)s（%(org)s，%(city)s，已分配 %(load)d 项）") % label)
            for e in experts
            for label in [
                {"name": e.name, "org": e.organisation_name, "city": e.city.name, "load": e.load}
            ]
        ]


class DeclarationForm(forms.Form):
    """An expert's or the office's declaration: an application, or an organisation."""

    application = forms.ChoiceField(label=_("回避项目"), required=False)
    credit_code = forms.CharField(
        label=_("或：回避单位统一社会信用代码"), required=False, max_length=18
    )
    organisation_name = forms.CharField(label=_("回避单位名称"), required=False, max_length=128)
    reason = forms.CharField(
        label=_("回避理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：曾在该单位任职、近亲属在该单位工作、参与过该项目的咨询。"),
        error_messages={"required": _("请填写回避理由。")},
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = {str(a.pk): a for a in applications}
        self.fields["application"].choices = [("", _("（不针对具体项目）"))] + [
            (pk, str(a)) for pk, a in self.applications.items()
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["application"] = self.applications.get(cleaned.get("application") or "")
        return cleaned


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("验证码或恢复码"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": _("请输入验证码。")},
    )
