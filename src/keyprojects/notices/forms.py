import re

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import TRANSITIONS
from keyprojects.core.lists import ListFilter, Sort, search_field

from . import queries
from .models import Objection, PublicNotice
from .publication import NOTICE_FIELDS

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


class DecisionForm(forms.Form):
    """One decision applied to the ticked applications of the decision page."""

    action = forms.ChoiceField(
        label=_("决定"),
        choices=[(name, TRANSITIONS[name].label) for name in ["select", "not_select"]],
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择“确定入选”或“确定不入选”。")},
    )
    tier = forms.ModelChoiceField(
        label=_("入选档次"), queryset=None, required=False, empty_label=_("（请选择）")
    )
    reason = forms.CharField(
        label=_("不入选理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("名单确定后，理由将告知申报单位。"),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].queryset = call.tiers.all()

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action == "select" and not cleaned.get("tier"):
            self.add_error("tier", _("确定入选须选择入选档次。"))
        if action == "not_select" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("请填写确定不入选的理由。"))
        return cleaned


class NoticeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PublicNotice
        fields = NOTICE_FIELDS
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if not PHONE.match(phone):
            raise forms.ValidationError(
                _("请填写有效的电话号码，例如 025-83000000 或 13800000000。")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("公示截止日期不能早于开始日期。"))
        return cleaned


class ObjectionForm(forms.Form):
    application = forms.ModelChoiceField(
        label=_("异议项目"),
        queryset=None,
        empty_label=_("（请选择公示名单中的项目）"),
        error_messages={
            "required": _("请选择提出异议的项目。"),
            "invalid_choice": _("所选项目不在本次公示名单中。"),
        },
    )
    reasons = forms.CharField(
        label=_("异议事项及理由"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("请填写异议事项及理由。"),
            "min_length": _("请具体写明异议事项及理由（至少 %(limit_value)d 个字）。"),
        },
    )
    name = forms.CharField(
        label=_("姓名或单位名称"),
        max_length=64,
        error_messages={"required": _("请填写您的姓名或单位名称（实名提出）。")},
    )
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请填写有效的电子邮箱地址。")},
    )
    evidence = forms.FileField(
        label=_("证明材料（可选）"),
        required=False,
        help_text=_("PDF、JPG 或 PNG，一个文件；仅省信息化办可查看。"),
    )
    # Hidden from people (see spam.py); robots tend to fill every field they find.
    website = forms.CharField(required=False, label=_("网址"))
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, notice, selected=None, **kwargs):
        """`selected`: the notice's applications when the page has them loaded already,
        so the choices need no second query (validation still asks the database)."""
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        field.queryset = queries.selected(notice.call)
        field.label_from_instance = lambda a: f"{a.name}（{a.organisation.name}）"
        if selected is not None:
            field.choices = [("", field.empty_label)] + [
                (a.pk, field.label_from_instance(a)) for a in selected
            ]

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(
                _("请填写有效的手机号码或带区号的固定电话，例如 13800000000 或 025-83000000。")
            )
        return phone

    def clean(self):
        cleaned = super().clean()
        contact_given = cleaned.get("phone") or cleaned.get("email")
        if not contact_given and not self.has_error("phone") and not self.has_error("email"):
            self.add_error("phone", _("请至少填写联系电话或电子邮箱中的一项，以便答复。"))
        return cleaned


class InvestigationForm(forms.Form):
    notes = forms.CharField(
        label=_("调查核实情况"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写调查核实情况。")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("处理结论"),
        choices=Objection.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择处理结论。")},
    )
    answer = forms.CharField(
        label=_("答复意见"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写答复意见。")},
    )
    withdraw = forms.BooleanField(
        label=_("异议成立，撤销该项目入选（以本异议为理由确定不入选）"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("withdraw") and cleaned.get("outcome") != Objection.Outcome.UPHELD:
            self.add_error("withdraw", _("只有异议成立时才能撤销该项目入选。"))
        return cleaned


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ObjectionFilter(ListFilter):
    """The objections of a notice on the office's page: GET parameters, all optional."""

    q = search_field(_("回执号、提出人或项目名称"))
    state = forms.ChoiceField(
        label=_("办理状态"),
        required=False,
        choices=[("", _("全部")), *Objection.State.choices],
    )
    outcome = forms.ChoiceField(
        label=_("处理结论"),
        required=False,
        choices=[("", _("全部")), *Objection.Outcome.choices],
    )

    # Without a sort asked for: in the order they were filed.
    sorts = {
        "receipt": Sort(_("回执号"), ("receipt",)),
        "project": Sort(_("异议项目"), ("application__name",)),
        "filed": Sort(_("提交时间"), ("filed_at",)),
        "state": Sort(_("办理状态"), ("state",)),
    }
