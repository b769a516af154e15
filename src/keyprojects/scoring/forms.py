from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.experts.models import Expert

from .domain import parse_items
from .models import ReviewRound, Tier


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("评审方式"), choices=ReviewRound.Kind.choices)
    order = forms.IntegerField(
        label=_("顺序"),
        min_value=1,
        max_value=20,
        error_messages={"invalid": _("顺序请填写 1～20 的整数。")},
    )
    deadline = forms.DateTimeField(
        label=_("评分截止时间（北京时间，可不填）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("请按“年-月-日 时:分”填写截止时间。")},
    )


class DeadlineForm(forms.Form):
    deadline = RoundForm.base_fields["deadline"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ScoreForm(forms.Form):
    """One field per criterion (kept as typed text, checked against its range), an
    optional comment per criterion, the overall opinion and the version it is based on."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    opinion = forms.CharField(
        label=_("总体评审意见"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("提交时必填。"),
    )

    def __init__(self, *args, rubric, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.criteria = []
        for c in rubric:
            score = forms.CharField(
                label=f"{c['title']}（{c['min']}～{c['max']}）",
                required=False,
                max_length=12,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            comment = forms.CharField(
                label=_("意见（可不填）"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"item_{c['code']}"] = score
            self.fields[f"comment_{c['code']}"] = comment
            self.criteria.append((c, f"item_{c['code']}", f"comment_{c['code']}"))

    def criterion_fields(self):
        return [(c, self[item], self[comment]) for c, item, comment in self.criteria]

    def clean(self):
        cleaned = super().clean()
        raw = {c["code"]: cleaned.get(item, "") for c, item, _comment in self.criteria}
        items, errors = parse_items(self.rubric, raw)
        for code, message in errors.items():
            self.add_error(f"item_{code}", message)
        if self.data.get("action") == "submit":
            for c, item, _comment in self.criteria:
                if items.get(c["code"]) is None and c["code"] not in errors:
                    self.add_error(item, _("提交前请为“%(title)s”打分。") % {"title": c["title"]})
            if not cleaned.get("opinion", "").strip():
                self.add_error("opinion", _("提交前请填写总体评审意见。"))
        cleaned["items"] = items
        cleaned["comments"] = {
            c["code"]: cleaned.get(comment, "") for c, _item, comment in self.criteria
        }
        return cleaned

    def score_values(self) -> dict:
        """What domain.save_score takes from a valid form."""
        data = self.cleaned_data
        return {
            "items": data["items"],
            "comments": data["comments"],
            "opinion": data["opinion"],
            "expected_version": data["version"],
        }

    @classmethod
    def initial_for(cls, score):
        if score is None:
            return {"version": 0}
        initial = {"version": score.version, "opinion": score.opinion}
        initial.update({f"item_{code}": value for code, value in score.items.items()})
        initial.update({f"comment_{code}": text for code, text in score.comments.items()})
        return initial


class PanelForm(forms.Form):
    category = forms.ModelChoiceField(label=_("工程类别"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("评审组名称"), max_length=64, initial=_("第一评审组"))
    place = forms.CharField(label=_("地点"), max_length=200)
    date = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("请按“年-月-日”填写日期。")},
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("评审组专家"),
        queryset=Expert.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请为评审组选择至少一位专家。")},
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = call.categories.all()


class SlotForm(forms.Form):
    application = forms.ChoiceField(label=_("入围项目"))
    start = forms.TimeField(
        label=_("开始时间"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("请按“时:分”填写时间。")},
    )
    end = forms.TimeField(
        label=_("结束时间"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("请按“时:分”填写时间。")},
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = {str(a.pk): a for a in applications}
        self.fields["application"].choices = [(pk, a.name) for pk, a in self.applications.items()]
        self.fields["application"].error_messages["invalid_choice"] = _(
            "请选择本类别中尚未安排答辩的入围项目。"
        )


class FinalListForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    minutes = forms.CharField(
        label=_("会议纪要"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for a in applications:
            self.fields[f"tier_{a.pk}"] = forms.ChoiceField(
                label=a.name, required=False, choices=[("", _("不列入")), *Tier.choices]
            )
            self.fields[f"note_{a.pk}"] = forms.CharField(
                label=_("说明"), required=False, max_length=300
            )
            self.rows.append((a, f"tier_{a.pk}", f"note_{a.pk}"))

    def row_fields(self):
        return [(a, self[tier], self[note]) for a, tier, note in self.rows]

    def tiers(self):
        return {
            a.pk: (self.cleaned_data.get(tier, ""), self.cleaned_data.get(note, ""))
            for a, tier, note in self.rows
        }
