from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.listings import SEARCH_HELP
from keyprojects.core.clock import china_time
from keyprojects.core.lists import ListFilter, Sort, search_field
from keyprojects.orgs.models import Authority, Region

from . import checklist
from .models import FormalCheck, SimilarPair


def _choices(pairs):
    return [("", _("全部")), *pairs]


class OverviewFilter(ListFilter):
    q = search_field(SEARCH_HELP)
    category = forms.TypedChoiceField(label=_("类别"), required=False, coerce=int, empty_value=None)
    city = forms.ChoiceField(label=_("设区市"), required=False)
    authority = forms.TypedChoiceField(
        label=_("推荐单位"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(
        label=_("审查状态"),
        required=False,
        choices=_choices(
            [("pending", _("待审查")), ("passed", _("已通过")), ("failed", _("未通过"))]
        ),
    )

    # Without a sort asked for: by recommending authority, then in order of submission.
    sorts = {
        "name": Sort(_("项目名称"), ("name",)),
        "organisation": Sort(_("申报单位"), ("organisation__name",)),
        "seat": Sort(_("设区市"), ("organisation__seat_id",)),
        "authority": Sort(_("推荐单位"), ("authority__kind", "authority__name", "submitted_at")),
        "category": Sort(_("类别"), ("category__order",)),
        "investment": Sort(_("信息化投资"), ("informatisation",)),
        "state": Sort(_("审查状态"), ("status",)),
        "submitted": Sort(_("提交时间"), ("submitted_at",)),
    }

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _choices([(c.pk, c.name) for c in call.categories.all()])
        self.fields["city"].choices = _choices(
            [(r.code, r.name) for r in Region.objects.filter(kind=Region.Kind.CITY)]
        )
        self.fields["authority"].choices = _choices(
            [(a.pk, a.name) for a in Authority.objects.all()]
        )


ITEM_CHOICES = [(checklist.PASS, _("符合")), (checklist.FAIL, _("不符合"))]


class CheckForm(forms.Form):
    """The checklist with the office's ruling per item, its notes and its verdict."""

    notes = forms.CharField(
        label=_("审查备注"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如改判某一要点的依据。仅省信息化办可见。"),
    )
    verdict = forms.ChoiceField(
        label=_("审查结论"),
        choices=[
            (FormalCheck.Verdict.NONE, _("仅保存审查要点，暂不结论")),
            (FormalCheck.Verdict.PASS, _("通过")),
            (FormalCheck.Verdict.FAIL, _("不通过")),
            (FormalCheck.Verdict.RETURN, _("退回推荐单位重新审核")),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    reason = forms.CharField(
        label=_("理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不通过和退回须写明理由；退回理由推荐单位可见。"),
    )
    until = forms.DateTimeField(
        label=_("推荐单位补报截止时间（北京时间）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("仅退回时使用：推荐单位在此之前重新出具意见并报送。"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.key}"] = forms.ChoiceField(
                label=item.label,
                choices=ITEM_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )

    def item_fields(self):
        """(item, bound field) in checklist order, for the template."""
        return [(item, self[f"item_{item.key}"]) for item in self.items]

    def results(self):
        return {item.key: self.cleaned_data.get(f"item_{item.key}", "") for item in self.items}

    def clean(self):
        cleaned = super().clean()
        verdict = cleaned.get("verdict") or ""
        if (
            verdict in {FormalCheck.Verdict.FAIL, FormalCheck.Verdict.RETURN}
            and not (cleaned.get("reason") or "").strip()
        ):
            self.add_error(
                "reason",
                _("请填写%(verdict)s的理由。") % {"verdict": FormalCheck.Verdict(verdict).label},
            )
        cleaned["verdict"] = verdict
        return cleaned


def check_initial(items, check, until):
    """What the form shows first: the office's saved rulings, else the machine's finding
    (a warning or a judgement is left for the office to decide)."""
    saved = {item["key"]: item["result"] for item in check.items} if check else {}
    initial = {
        f"item_{item.key}": saved.get(item.key)
        or (item.auto if item.auto in {checklist.PASS, checklist.FAIL} else "")
        for item in items
    }
    return {
        **initial,
        "notes": check.notes if check else "",
        "verdict": check.verdict if check else "",
        "reason": check.reason if check else "",
        "until": china_time(until).replace(second=0, microsecond=0),
        "version": check.version if check else 0,
    }


class PairFilter(forms.Form):
    kind = forms.ChoiceField(
        label=_("比对对象"),
        required=False,
        choices=_choices(
            [
                ("applications", _("本批次其他申报")),
                ("past", _("往年重点工程")),
                ("continuation", _("疑似续期")),
            ]
        ),
    )
    verdict = forms.ChoiceField(
        label=_("判断"),
        required=False,
        choices=_choices(
            [("open", _("待判断")), *[(v, label) for v, label in SimilarPair.Verdict.choices if v]]
        ),
    )


class PairForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("判断"),
        choices=SimilarPair.Verdict.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("判断为“不是重复”时须说明理由。"),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("verdict") == SimilarPair.Verdict.NOT_DUPLICATE
            and not (cleaned.get("note") or "").strip()
        ):
            self.add_error("note", _("判断为“不是重复”时，请简要说明理由。"))
        return cleaned
