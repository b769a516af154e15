"""The edges of typical cases: the office's forms, the applicant's consent, the public filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.lists import ListFilter, Sort, search_field

from .domain import TEXT_FIELDS
from .models import Case, Figure, Image
from .queries import PROVINCIAL
from .workflow import OFFICE_ACTIONS, TRANSITIONS

TEXTAREA = {"rows": 6}


class CaseTextForm(forms.Form):
    """The text of a case. A plain form (not a ModelForm): a refused save re-renders exactly
    what was typed, while the instance keeps what is stored."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(
            Case,
            fields=TEXT_FIELDS,
            widgets={
                "summary": forms.Textarea(attrs={"rows": 3}),
                "problem": forms.Textarea(attrs=TEXTAREA),
                "solution": forms.Textarea(attrs={"rows": 10}),
                "results": forms.Textarea(attrs=TEXTAREA),
            },
            help_texts={
                "summary": _("一两句话说明案例做了什么、服务谁，显示在案例库列表中。"),
                "technologies": _("例如：人工智能、大数据、数字孪生。"),
                "results": _("文字说明成效；可量化的数据请在“成效数据”中逐项填写。"),
            },
        )
        version = self.fields.pop("version")
        self.fields.update(fields)
        self.fields["version"] = version

    @classmethod
    def for_case(cls, case):
        initial = {name: getattr(case, name) for name in TEXT_FIELDS}
        return cls(initial={**initial, "version": case.version})


class FigureForm(forms.ModelForm):
    class Meta:
        model = Figure
        fields = ["label", "value", "unit"]
        widgets = {
            "label": forms.TextInput(attrs={"placeholder": _("如：服务人次")}),
            "value": forms.NumberInput(attrs={"placeholder": "1200", "step": "any"}),
            "unit": forms.TextInput(attrs={"placeholder": _("如：万")}),
        }


class ImageForm(forms.Form):
    file = forms.FileField(
        label=_("图片文件"),
        help_text=_(
            "JPG 或 PNG，不超过 10 MB。保存时去除拍摄信息等元数据，长边缩至 2000 像素以内。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    caption = forms.CharField(
        label=Image._meta.get_field("caption").verbose_name,
        max_length=120,
        help_text=Image._meta.get_field("caption").help_text,
    )


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, TRANSITIONS[name].label) for name in OFFICE_ACTIONS])
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ChooseForm(forms.Form):
    application = forms.UUIDField()


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("贵单位意见"),
        choices=[("given", _("同意按以上内容公开发布")), ("refused", _("不同意发布"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("说明或修改意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不同意时必填，请写明原因或需要修改的内容。"),
    )
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refused" and not (data.get("note") or "").strip():
            self.add_error("note", _("请说明不同意发布的原因或修改意见。"))
        return data


class LibraryFilter(forms.Form):
    """The public filters, read leniently from the query string: a tampered or outdated
    link shows the library, never an error page."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=200)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    category = forms.ChoiceField(label=_("工程类别"), required=False)
    city = forms.ChoiceField(label=_("地区"), required=False)

    def __init__(self, data, *, years, categories, cities):
        super().__init__(data)
        everything = [("", _("全部"))]
        self.fields["year"].choices = everything + [(y, _("%(y)s年") % {"y": y}) for y in years]
        self.fields["category"].choices = everything + list(categories)
        self.fields["city"].choices = everything + list(cities) + [(PROVINCIAL, _("省级"))]

    def values(self):
        if self.is_valid():
            return self.cleaned_data
        return {
            name: self.cleaned_data.get(
                name, self.fields[name].empty_value if name == "year" else ""
            )
            for name in self.fields
        }


class OfficeListFilter(ListFilter):
    """The office's list of cases: GET parameters, all optional."""

    q = search_field(_("案例标题、项目名称或申报单位"))
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *Case.State.choices]
    )
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    consent = forms.ChoiceField(
        label=_("申报单位意见"),
        required=False,
        choices=[("", _("全部")), *Case.Consent.choices],
    )

    # Without a sort asked for: the most recently changed first.
    sorts = {
        "title": Sort(_("案例标题"), ("title",)),
        "organisation": Sort(_("申报单位"), ("organisation__name",)),
        "year": Sort(_("年度"), ("year",)),
        "state": Sort(_("状态"), ("state",)),
        "updated": Sort(_("最后修改"), ("updated_at",)),
    }

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部")), *[(y, y) for y in years]]
