"""The forms of tracking evaluation: what each page reads from the user, checked in Chinese."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.clock import CHINA, now
from keyprojects.core.lists import ListFilter, Sort, search_field
from keyprojects.orgs.models import Region

from .models import Grade, ProgressReport, TrackedProject

ROUND_DAYS = 30


def _choices(pairs):
    return [("", _("全部")), *pairs]


def _cities():
    return [(r.code, r.name) for r in Region.objects.filter(kind=Region.Kind.CITY)] + [
        ("province", _("省级单位"))
    ]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=128)
    period = forms.CharField(label=_("报告期"), max_length=32, help_text=_("例如 2026年度"))
    due_on = forms.DateField(
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("含当日，至当日24:00（北京时间）止；逾期仍可报送，但记为逾期。"),
    )
    instructions = forms.CharField(
        label=_("填报要求"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @staticmethod
    def defaults():
        today = now().astimezone(CHINA).date()
        return {
            "title": f"{today.year}年度智慧江苏重点工程跟踪评价",
            "period": f"{today.year}年度",
            "due_on": today + dt.timedelta(days=ROUND_DAYS),
        }

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < now().astimezone(CHINA).date():
            raise forms.ValidationError(_("截止日期不能早于今天。"))
        return due_on


class RoundFilter(ListFilter):
    q = search_field(_("项目名称或建设单位"))
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=_choices(ProgressReport.State.choices)
    )
    city = forms.ChoiceField(label=_("设区市"), required=False)
    late = forms.ChoiceField(
        label=_("逾期"),
        required=False,
        choices=_choices([("overdue", _("逾期未报")), ("late", _("逾期提交"))]),
    )

    # Without a sort asked for: by city, then by project name.
    sorts = {
        "name": Sort(_("项目名称"), ("project__name",)),
        "applicant": Sort(_("建设单位"), ("project__applicant_name",)),
        "city": Sort(_("设区市"), ("project__city_id", "project__name")),
        "completed": Sort(_("累计完成投资"), ("investment_completed",)),
        "state": Sort(_("状态"), ("state",)),
        "submitted": Sort(_("提交时间"), ("submitted_at",)),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].choices = _choices(_cities())


class AreaFilter(ListFilter):
    """The local authority's list of reports: the round, the state, a search."""

    q = search_field(_("项目名称或建设单位"))
    round = forms.ChoiceField(label=_("轮次"), required=False)
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=_choices(
            [
                (s, label)
                for s, label in ProgressReport.State.choices
                if s in {"submitted", "evaluated"}
            ]
        ),
    )
    comment = forms.ChoiceField(
        label=_("属地意见"),
        required=False,
        choices=_choices([("yes", _("已填写")), ("no", _("待填写"))]),
    )

    # Without a sort asked for: the newest round first, then by state and project name.
    sorts = {
        "round": Sort(_("轮次"), ("round__opened_at",)),
        "name": Sort(_("项目名称"), ("project__name",)),
        "applicant": Sort(_("建设单位"), ("project__applicant_name",)),
        "state": Sort(_("状态"), ("state",)),
        "submitted": Sort(_("提交时间"), ("submitted_at",)),
    }

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = _choices([(str(r.pk), r.title) for r in rounds])


class ProjectFilter(ListFilter):
    q = search_field(_("项目名称、申报单位或统一社会信用代码"))
    source = forms.ChoiceField(
        label=_("来源"), required=False, choices=_choices(TrackedProject.Source.choices)
    )
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    city = forms.ChoiceField(label=_("设区市"), required=False)
    matched = forms.ChoiceField(
        label=_("建设单位账号"),
        required=False,
        choices=_choices([("yes", _("已关联")), ("no", _("未注册"))]),
    )

    # Without a sort asked for: the latest year first, then by name.
    sorts = {
        "year": Sort(_("年度"), ("year", "name")),
        "name": Sort(_("项目名称"), ("name",)),
        "applicant": Sort(_("申报单位"), ("applicant_name",)),
        "category": Sort(_("类别"), ("category_name",)),
        "city": Sort(_("设区市"), ("city_id",)),
        "investment": Sort(_("信息化投资"), ("informatisation_investment",)),
        "source": Sort(_("来源"), ("source",)),
    }

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _choices([(y, y) for y in years])
        self.fields["city"].choices = _choices(_cities())


class ReportForm(forms.Form):
    investment_completed = forms.DecimalField(
        label=_("累计完成信息化投资（万元）"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("截至本报告期末，不含土建。"),
    )
    milestones = forms.CharField(
        label=_("已完成的建设内容和里程碑"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    users_and_results = forms.CharField(
        label=_("应用情况和建设成效"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("用户数量、使用情况，取得的经济和社会效益。"),
    )
    problems = forms.CharField(
        label=_("存在的问题和下一步计划"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "investment_completed": data.get("investment_completed"),
            "milestones": data.get("milestones", "").strip(),
            "users_and_results": data.get("users_and_results", "").strip(),
            "problems": data.get("problems", "").strip(),
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件（PDF、图片、Word、Excel）"))


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("属地意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("建设单位可见。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _grade_field(label):
    return forms.ChoiceField(label=label, choices=Grade.choices, widget=forms.RadioSelect)


def _remark_field(label):
    return forms.CharField(label=label, required=False, max_length=500)


class EvaluationForm(forms.Form):
    """The rubric: three criteria graded 好/较好/一般/差 with a remark each, and overall."""

    on_schedule = _grade_field(_("进度是否符合计划"))
    on_schedule_remark = _remark_field(_("进度说明"))
    funds = _grade_field(_("资金使用"))
    funds_remark = _remark_field(_("资金说明"))
    results = _grade_field(_("成效"))
    results_remark = _remark_field(_("成效说明"))
    overall = _grade_field(_("总体评价"))
    remark = forms.CharField(
        label=_("评价意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    evaluation_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    CRITERIA = [
        ("on_schedule", "on_schedule_remark"),
        ("funds", "funds_remark"),
        ("results", "results_remark"),
    ]

    def criteria(self):
        return [(self[grade], self[remark]) for grade, remark in self.CRITERIA]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("overall") == Grade.POOR and not cleaned.get("remark", "").strip():
            self.add_error("remark", _("总体评价为“差”时，请写明评价意见。"))
        return cleaned


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
