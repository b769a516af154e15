import datetime as dt

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import precheck
from .models import (
    Application,
    AttachmentKind,
    ManagementSystem,
    PartnerRole,
    SecurityLevel,
    Technology,
)

# (title, field names) of the paper form's sections; precheck.FORM_SECTIONS is the source.
FORM_SECTIONS = [(s.title, list(s.fields)) for s in precheck.FORM_SECTIONS]

# Help beside the fields, in the words of the notice 苏信息化办〔2020〕4号; each cites the
# part it comes from ("建设要求第N条" is part 二, item N). Amounts and dates that a call
# configures are added per call by ApplicationForm._call_help().
HELP = {
    "construction_content": _("建设目标、主要建设内容和建设规模。"),
    "innovation": _("在技术、模式、机制上的创新（通知建设要求第1、4条）。"),
    # 二、4
    "technologies": _(
        "通知要求深化5G、人工智能、大数据等新一代信息技术在工程建设中的创新应用和深度融合"
        "（建设要求第4条）。"
    ),
    "core_technology": _("自主研发的关键核心技术及其自主可控情况（建设要求第5条）。"),
    "domestic_products": _("采用的国产智能化产品、软件、工具和装备。"),
    # 二、5
    "security_protection": _("具备相应的网络与信息安全防护能力（建设要求第5条）。"),
    # 二、2
    "in_it_plan": _("通知要求纳入本地或本系统信息化发展规划（建设要求第2条）。"),
    "approval_document_no": _("严格履行工程审批程序（建设要求第2条）；批复文件请在右侧上传。"),
    "management_systems": _("实行法人负责、招投标、监理等项目管理制度（建设要求第2条）。"),
    "problems_solved": _("依托信息化手段解决的企业、群众关注的难点、痛点问题（建设要求第3条）。"),
    # 二、6
    "promotion_prospects": _(
        "具有广阔的市场推广前景、较为成熟的应用模式和推进保障机制，"
        "能够形成本行业、本领域的优秀解决方案（建设要求第6条）。"
    ),
    "total_investment": _("单位：万元，保留两位小数。"),
    "civil_works_investment": _("信息化投资 = 总投资 − 土建工程投资，须不低于本批次下限。"),
    "investment_completed": _("单位：万元，保留两位小数；不能大于总投资。"),
    "start_month": _("建设期不早于本批次规定的最早开工月份。"),
    "planned_completion_month": _("实施周期原则上在2年左右。"),
    # 一、(一)
    "is_cooperative": _(
        "对于合作建设的信息化工程项目，建设主体为开发单位和应用单位（通知一（一））。"
    ),
    "applicant_role": _("本单位是开发单位还是应用单位；另一方填写在下方“合作单位”中。"),
    "ownership_statement": _("合作建设的项目应明确项目权属或工作分工。"),
    "declares_whole_project": _("项目分期建设的，以整体项目申报；不接受续期建设项目申报。"),
    # 四、(一)
    "declares_truthful": _("各有关单位须做好申报项目符合性和真实性审查（通知四（一））。"),
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
# What is wrong with an amount and how to write it (万元, two decimals).
MONEY_ERRORS = {
    "invalid": _("请填写数字，单位万元，例如 1200.50（不要写“万元”或逗号）。"),
    "max_decimal_places": _("最多保留两位小数，例如 1200.50。"),
    "max_digits": _("金额位数过多，请核对单位是否为万元。"),
    "max_whole_digits": _("金额位数过多，请核对单位是否为万元。"),
    "min_value": _("金额不能为负数。"),
}


class ApplicationForm(forms.ModelForm):
    """The 申报表. Nothing is required here: a draft may be incomplete; the notice's rules
    are checked by domain.submit_problems() on submit and in the pre-check."""

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

    def __init__(self, *args, call, shown=True, **kwargs):
        """`shown` is False where the form only parses (autosave): the help, which reads the
        call's categories, is then left out."""
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
            self.fields[name].error_messages.update(MONEY_ERRORS)
        for name in ["start_month", "planned_completion_month"]:
            self.fields[name].error_messages["invalid"] = _("请按“年-月”填写，例如 2019-03。")
        if shown:
            self._call_help(call)
        self.extra_names = []
        for extra in call.form_extras:
            name = f"extra_{extra['key']}"
            self.fields[name] = _extra_field(extra)
            self.extra_names.append(name)
            if self.instance and extra["key"] in self.instance.extras:
                self.initial[name] = self.instance.extras[extra["key"]]

    def _get_validation_exclusions(self):
        # The category field found the category among this call's own; the model's check
        # of the foreign key would only ask the database again (every autosave).
        return super()._get_validation_exclusions() | {"category"}

    def _call_help(self, call):
        """The notice's figures as this call configures them, after the general help."""
        # 一、(二)
        self.fields["category"].help_text = _category_help(call)
        # 二、7
        self.fields["total_investment"].help_text = _(
            "%(general)s本批次要求项目投资规模在 %(minimum)s 万元以上（不包含土建工程）。"
        ) % {"general": HELP["total_investment"], "minimum": call.min_informatisation_investment}
        earliest = call.earliest_start
        self.fields["start_month"].help_text = _(
            "%(general)s本批次：建设期不早于 %(earliest)s。"
        ) % {"general": HELP["start_month"], "earliest": date_format(earliest, "YEAR_MONTH_FORMAT")}
        self.fields["planned_completion_month"].help_text = _(
            "%(general)s本批次约 %(months)d 个月。"
        ) % {"general": HELP["planned_completion_month"], "months": call.nominal_period_months}

    def sections(self):
        """(section key, title, bound fields) in the order of the paper form."""
        sections = [
            (s.key, s.title, [self[name] for name in s.fields]) for s in precheck.FORM_SECTIONS
        ]
        if self.extra_names:
            extras = precheck.EXTRAS
            sections.insert(-1, (extras.key, extras.title, [self[n] for n in self.extra_names]))
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


def _category_help(call):
    # The separators are interface text: "；" and "：" in Chinese, "; " and ": " in English.
    described = str(_("；")).join(
        f"{c.name}{_('：')}{c.description.rstrip('。')}" for c in call.categories.all()
    )
    if not described:
        return ""
    return str(_("通知规定的工程类别。%(categories)s。") % {"categories": described})


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
    kind = forms.ChoiceField(
        label=_("附件类型"),
        choices=AttachmentKind.choices,
        error_messages={"required": _("请选择附件类型。")},
    )
    file = forms.FileField(
        label=_("文件"),
        error_messages={
            "required": _("请选择要上传的文件。"),
            "empty": _("所选文件是空的，请检查后重新选择。"),
        },
    )

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        if call is not None and call.required_attachment_kinds:
            required = "、".join(
                str(AttachmentKind(k).label) for k in call.required_attachment_kinds
            )
            # 三、(一): 在线填写申报表，并上传其他申报材料
            self.fields["kind"].help_text = _(
                "申报单位在线填写申报表，并上传其他申报材料。本批次必须上传：%(required)s。"
            ) % {"required": required}


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回原因"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
