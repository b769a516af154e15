import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    Application,
    AttachmentKind,
    ManagementSystem,
    PartnerRole,
    SecurityLevel,
    Technology,
)

FORM_SECTIONS = [
    (
        _("一、项目基本情况"),
        [
            "name",
            "category",
            "summary",
            "construction_content",
            "innovation",
            "technologies",
            "technologies_other",
            "core_technology",
            "domestic_products",
            "security_level",
            "security_protection",
            "in_it_plan",
            "it_plan_name",
            "approval_document_no",
            "management_systems",
        ],
    ),
    (
        _("二、应用成效与推广前景"),
        [
            "problems_solved",
            "users_served",
            "economic_benefit",
            "social_benefit",
            "promotion_prospects",
        ],
    ),
    (
        _("三、投资与建设周期"),
        [
            "total_investment",
            "civil_works_investment",
            "funding_sources",
            "investment_completed",
            "start_month",
            "planned_completion_month",
        ],
    ),
    (_("四、项目联系人"), ["contact_name", "contact_phone", "contact_email"]),
    (_("五、合作建设"), ["is_cooperative", "applicant_role", "ownership_statement"]),
    (_("六、声明"), ["declares_whole_project", "declares_truthful"]),
]

HELP = {
    "construction_content": _("建设目标、主要建设内容和建设规模。"),
    "innovation": _("在技术、模式、机制上的创新（通知建设要求第1、4条）。"),
    "core_technology": _("自主研发的关键核心技术及其自主可控情况（建设要求第5条）。"),
    "domestic_products": _("采用的国产智能化产品、软件、工具和装备。"),
    "problems_solved": _("依托信息化手段解决的企业、群众关注的难点、痛点问题（建设要求第3条）。"),
    "total_investment": _("单位：万元，保留两位小数。"),
    "civil_works_investment": _("信息化投资 = 总投资 − 土建工程投资，须不低于本批次下限。"),
    "start_month": _("建设期不早于本批次规定的最早开工月份。"),
    "planned_completion_month": _("实施周期原则上在2年左右。"),
    "ownership_statement": _("合作建设的项目应明确项目权属或工作分工。"),
    "declares_whole_project": _("项目分期建设的，以整体项目申报；不接受续期建设项目申报。"),
}


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return f"{value:%Y-%m}"
        return value


class MonthField(forms.DateField):
    """A month, stored as the first day of that month."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


YES_NO = [("", _("请选择")), ("true", _("是")), ("false", _("否"))]


class ApplicationForm(forms.ModelForm):
    """The 申报表. Nothing is required here: a draft may be incomplete; the notice's rules
    are checked by domain.submission_problems() on submit."""

    technologies = forms.MultipleChoiceField(
        label=Application._meta.get_field("technologies").verbose_name,
        choices=Technology.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    management_systems = forms.MultipleChoiceField(
        label=Application._meta.get_field("management_systems").verbose_name,
        choices=ManagementSystem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    in_it_plan = forms.TypedChoiceField(
        label=Application._meta.get_field("in_it_plan").verbose_name,
        choices=YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )
    start_month = MonthField(label=_("开工时间"), required=False)
    planned_completion_month = MonthField(label=_("计划完成时间"), required=False)

    class Meta:
        model = Application
        fields = [name for _title, names in FORM_SECTIONS for name in names]
        widgets = {
            field: forms.Textarea(attrs={"rows": 3})
            for field in [
                "construction_content",
                "innovation",
                "core_technology",
                "domestic_products",
                "security_protection",
                "problems_solved",
                "economic_benefit",
                "social_benefit",
                "promotion_prospects",
                "funding_sources",
                "ownership_statement",
            ]
        }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["category"].queryset = call.categories.all()
        self.fields["category"].empty_label = _("请选择类别")
        self.fields["applicant_role"].choices = [("", _("请选择")), *PartnerRole.choices]
        self.fields["security_level"].choices = [("", _("请选择")), *SecurityLevel.choices]
        if self.instance.in_it_plan is not None:
            self.initial["in_it_plan"] = "true" if self.instance.in_it_plan else "false"
        for name, field in self.fields.items():
            field.required = False
            if name in HELP:
                field.help_text = HELP[name]
        for name in ["total_investment", "civil_works_investment", "investment_completed"]:
            self.fields[name].widget.attrs.update(
                {"step": "0.01", "min": "0", "inputmode": "decimal"}
            )
        self.extra_names = []
        for extra in call.form_extras:
            name = f"extra_{extra['key']}"
            self.fields[name] = _extra_field(extra)
            self.extra_names.append(name)
            if self.instance and extra["key"] in self.instance.extras:
                self.initial[name] = self.instance.extras[extra["key"]]

    def sections(self):
        sections = [(title, [self[name] for name in names]) for title, names in FORM_SECTIONS]
        if self.extra_names:
            sections.insert(-1, (_("附加填报项"), [self[name] for name in self.extra_names]))
        return sections

    def draft_values(self) -> dict:
        """The values that parsed, ready to save; fields with errors keep their old value."""
        values = {
            name: value for name, value in self.cleaned_data.items() if name in self._meta.fields
        }
        if any(name in self.cleaned_data for name in self.extra_names):
            extras = dict(self.instance.extras)
            for name in self.extra_names:
                if name in self.cleaned_data:
                    extras[name.removeprefix("extra_")] = self.cleaned_data[name]
            values["extras"] = extras
        return values


def _extra_field(extra):
    kind = extra.get("type", "text")
    options = {"label": extra["label"], "required": False, "help_text": extra.get("help", "")}
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **options)
    if kind == "integer":
        return forms.IntegerField(**options)
    if kind == "boolean":
        return forms.NullBooleanField(**options)
    return forms.CharField(max_length=500, **options)


class PartnerForm(forms.Form):
    """One cooperating organisation. Drafts keep whatever was typed; the credit code is
    checked on submit, so an unfinished row is never thrown away."""

    role = forms.ChoiceField(
        label=_("角色"), choices=[("", "—"), *PartnerRole.choices], required=False
    )
    name = forms.CharField(label=_("单位名称"), max_length=128, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    work_division = forms.CharField(label=_("承担的工作"), max_length=300, required=False)

    def is_blank(self):
        return not any(
            self.cleaned_data.get(f) for f in ["role", "name", "credit_code", "work_division"]
        )


PartnerFormSet = forms.formset_factory(PartnerForm, extra=2, max_num=10, absolute_max=10)


def partner_rows(formset):
    return [form.cleaned_data for form in formset if form.is_valid() and not form.is_blank()]


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("附件类型"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("文件"))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
