from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.listings import SEARCH_HELP
from keyprojects.applications.workflow import TRANSITIONS, Status
from keyprojects.core.lists import ListFilter, Sort, search_field


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("审核意见"),
        choices=[
            (name, TRANSITIONS[name].label) for name in ["recommend", "not_recommend", "return"]
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("意见或理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予推荐和退回修改须写明理由；退回理由申报单位可见。"),
    )

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action")
        if action and TRANSITIONS[action].needs_reason and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", _("请填写%(action)s的理由。") % {"action": TRANSITIONS[action].label}
            )
        return cleaned


class QueueFilter(ListFilter):
    q = search_field(SEARCH_HELP)
    category = forms.TypedChoiceField(label=_("类别"), required=False, coerce=int, empty_value=None)
    county = forms.ChoiceField(label=_("县（市、区）"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部"))]
        + [(s.value, s.label) for s in Status if s not in {Status.DRAFT, Status.WITHDRAWN}],
    )
    missing = forms.BooleanField(label=_("缺少必传附件"), required=False)

    # Without a sort asked for, the queue reads by place, then in order of submission.
    sorts = {
        "name": Sort(_("项目名称"), ("name",)),
        "organisation": Sort(_("申报单位"), ("organisation__name",)),
        "seat": Sort(_("所在地区"), ("organisation__seat_id", "submitted_at")),
        "category": Sort(_("类别"), ("category__order",)),
        "investment": Sort(_("信息化投资"), ("informatisation",)),
        "status": Sort(_("状态"), ("status",)),
        "submitted": Sort(_("提交时间"), ("submitted_at",)),
    }

    def __init__(self, *args, call, counties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部"))] + [
            (c.pk, c.name) for c in call.categories.all()
        ]
        self.fields["county"].choices = [("", _("全部"))] + [(r.code, str(r)) for r in counties]


class ScanForm(forms.Form):
    file = forms.FileField(
        label=_("盖章扫描件（PDF、JPG 或 PNG）"),
        # The notice, 三(一): the words of the stamp requirement.
        help_text=_(
            "对审核通过的项目，出具推荐意见并附申报系统自动生成的推荐项目汇总表"
            "（加盖单位公章），扫描上传系统（通知三（一））。"
        ),
    )
    typed_code = forms.CharField(
        label=_("校验码（无法识别二维码时填写）"), required=False, max_length=32
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(ReasonForm):
    until = forms.DateTimeField(
        label=_("补报截止时间（北京时间）"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("推荐意见截止时间已过时必填：推荐单位在此之前修改并重新报送。"),
    )
