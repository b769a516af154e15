"""The applicant's list of its organisation's applications (我的申报), and what every list of
applications shares: the search, the computed investment to sort by, common columns."""

from django import forms
from django.db.models import DecimalField, ExpressionWrapper, F
from django.utils.translation import gettext_lazy as _

from keyprojects.calls.models import Call
from keyprojects.core.lists import ListFilter, Sort, containing, search_field
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import DATETIME, MONEY, NUMBER, Column

from .queries import organisation_applications
from .workflow import EDITABLE, RECOMMENDED_ONWARDS, Status

# --- Shared by the lists of applications (review, selection, funding) -----------------------

SEARCH_HELP = _("项目名称、申报单位或统一社会信用代码")


def matching(applications, text: str):
    """Applications whose name or applicant (name, credit code) contains `text`."""
    return containing(
        applications, text, ("name", "organisation__name", "organisation__credit_code")
    )


def with_informatisation(applications):
    """Annotate `informatisation` (总投资 − 土建, the model's property) to sort by it."""
    return applications.annotate(
        informatisation=ExpressionWrapper(
            F("total_investment") - F("civil_works_investment"),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    )


def name_column():
    return Column(_("项目名称"), lambda a: a.name, 34)


def organisation_columns():
    return [
        Column(_("申报单位"), lambda a: a.organisation.name, 28),
        Column(_("统一社会信用代码"), lambda a: a.organisation.credit_code, 21),
    ]


def money_columns():
    return [
        Column(_("总投资（万元）"), lambda a: a.total_investment, 14, MONEY),
        Column(_("其中土建（万元）"), lambda a: a.civil_works_investment, 14, MONEY),
        Column(_("信息化投资（万元）"), lambda a: a.informatisation_investment, 14, MONEY),
    ]


# --- 我的申报 -------------------------------------------------------------------------------

# What an applicant may filter by: the statuses it is shown (the province's internal steps
# read as 已推荐, so filtering must not tell them apart either).
SHOWN_STATUSES = {
    Status.DRAFT: [Status.DRAFT],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.WITHDRAWN: [Status.WITHDRAWN],
    Status.RETURNED: [Status.RETURNED],
    Status.RECOMMENDED: list(RECOMMENDED_ONWARDS),
    Status.NOT_RECOMMENDED: [Status.NOT_RECOMMENDED],
}


class HomeFilter(ListFilter):
    q = search_field(SEARCH_HELP)
    call = forms.ChoiceField(label=_("年度批次"), required=False)
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), *[(s.value, s.label) for s in SHOWN_STATUSES]],
        error_messages={"invalid_choice": _("请选择列表中的状态。")},
    )
    editable = forms.BooleanField(label=_("仅看可修改的"), required=False)

    sorts = {
        "name": Sort(_("项目名称"), ("name",)),
        "call": Sort(_("年度批次"), ("call__window_opens_at",)),
        "category": Sort(_("类别"), ("category__order",)),
        "attachments": Sort(_("附件"), ("attachment_count",)),
        "updated": Sort(_("最后保存"), ("updated_at",)),
    }

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["call"].choices = [("", _("全部")), *[(c.slug, c.title) for c in calls]]
        self.fields["call"].error_messages["invalid_choice"] = _("请选择列表中的年度批次。")


@register
class ApplicantHome(Listing):
    name = "applicant_home"
    title = _("我的申报")
    permission = "applications.start_application"
    url_name = "applications:home"
    filter_class = HomeFilter
    columns = [
        name_column(),
        Column(_("年度批次"), lambda a: a.call.title, 24),
        Column(_("类别"), lambda a: a.category.name if a.category else "", 12),
        Column(_("状态"), lambda a: a.status_shown_to_applicant.label, 10),
        *money_columns(),
        Column(_("附件数"), lambda a: a.attachment_count, 8, NUMBER),
        Column(_("提交时间"), lambda a: a.submitted_at, 17, DATETIME),
        Column(_("最后保存"), lambda a: a.updated_at, 17, DATETIME),
        Column(_("保存人"), lambda a: str(a.updated_by) if a.updated_by else "", 12),
    ]

    def form_kwargs(self, user, context):
        calls = Call.objects.filter(applications__organisation_id=user.organisation_id)
        return {"calls": calls.distinct().order_by("-window_opens_at")}

    def rows(self, user, query, context):
        rows = matching(organisation_applications(user), query.criteria.get("q", ""))
        if query.criteria.get("call"):
            rows = rows.filter(call__slug=query.criteria["call"])
        if query.criteria.get("status"):
            rows = rows.filter(status__in=SHOWN_STATUSES[query.criteria["status"]])
        if query.criteria.get("editable"):
            rows = rows.filter(status__in=EDITABLE)
        return query.order(rows)

    def heading(self, context):
        return str(self.title)
