"""Filters of the dashboard and of the funding list, and the funding priority forms."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.calls.models import Call, Category
from keyprojects.core.lists import ListFilter, Sort, search_field
from keyprojects.orgs.models import Region

from .queries import PROVINCIAL


def _choices(pairs):
    return [("", _("全部")), *pairs]


def category_choices():
    """Category codes of every call, each once, with its latest name."""
    names = {}
    for code, name in Category.objects.order_by("call__window_opens_at", "order").values_list(
        "code", "name"
    ):
        names[code] = name
    return list(names.items())


class DashboardFilter(forms.Form):
    call = forms.ModelChoiceField(
        label=_("年度批次"),
        queryset=Call.objects.order_by("-year", "-window_opens_at"),
        required=False,
        to_field_name="slug",
        empty_label=_("全部年度"),
    )
    category = forms.ChoiceField(label=_("工程类别"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices(category_choices())
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def criteria(self) -> dict:
        """The valid filters; an invalid value counts as "all" rather than an error page."""
        if not self.is_valid():
            return {"call": None, "category": ""}
        return {"call": self.cleaned_data["call"], "category": self.cleaned_data["category"]}


class FundingFilter(DashboardFilter, ListFilter):
    q = search_field(_("项目名称、申报单位或统一社会信用代码"))
    city = forms.ChoiceField(label=_("设区市"), required=False)
    marked = forms.ChoiceField(
        label=_("优先支持"),
        required=False,
        choices=_choices([("yes", _("已标记")), ("no", _("未标记"))]),
    )

    # Without a sort asked for: the newest call first, by category, then by name.
    sorts = {
        "name": Sort(_("项目名称"), ("name",)),
        "organisation": Sort(_("申报单位"), ("organisation__name",)),
        "city": Sort(_("设区市"), ("city",)),
        "category": Sort(_("类别"), ("category__order",)),
        "year": Sort(_("年度批次"), ("call__year",)),
        "total": Sort(_("总投资"), ("total_investment",)),
        "amount": Sort(_("支持金额"), ("funding_priority__amount",)),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cities = Region.objects.filter(kind=Region.Kind.CITY).values_list("code", "name")
        self.fields["city"].choices = _choices([*cities, (PROVINCIAL, _("省级"))])
        for name in ["city", "marked"]:
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def criteria(self) -> dict:
        if not self.is_valid():
            return {"call": None, "category": "", "city": "", "marked": ""}
        return {key: self.cleaned_data[key] for key in ["call", "category", "city", "marked"]}


class FundingForm(forms.Form):
    amount = forms.DecimalField(
        label=_("支持金额（万元）"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={
            "required": _("请填写支持金额。"),
            "invalid": _("请填写数字，例如 300 或 300.50。"),
            "min_value": _("支持金额须大于0。"),
            "max_decimal_places": _("支持金额最多保留两位小数。"),
            "max_digits": _("支持金额过大。"),
        },
    )
    note = forms.CharField(
        label=_("备注"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如支持方向、拨付安排。随导出表一并交财务流程。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean_amount(self):
        from .domain import amount_problem

        amount = self.cleaned_data["amount"]
        problem = amount_problem(self.application, amount) if self.application else None
        if problem:
            raise forms.ValidationError(problem)
        return amount


class UnmarkForm(forms.Form):
    reason = forms.CharField(
        label=_("取消理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写取消优先支持的理由。")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
