"""The office's list of recommended applications (形式审查总览): filters, sorts, export."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.listings import (
    matching,
    money_columns,
    name_column,
    organisation_columns,
    with_informatisation,
)
from keyprojects.applications.workflow import Status
from keyprojects.calls.models import Call
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import DATETIME, NUMBER, Column, label_of, yes

from . import queries
from .forms import OverviewFilter

FILTERS = ("category", "city", "authority", "state")
CHECK_LABELS = {"pending": _("待审查"), "passed": _("已通过"), "failed": _("未通过")}


def check_state(application) -> str:
    for key, statuses in queries.CHECK_STATES.items():
        if application.status in statuses:
            return str(CHECK_LABELS[key])
    return ""


@register
class SelectionOverview(Listing):
    name = "selection_overview"
    title = _("形式审查项目")
    permission = "selection.view_overview"
    url_name = "selection:overview"
    filter_class = OverviewFilter
    columns = [
        name_column(),
        *organisation_columns(),
        Column(
            _("设区市"),
            lambda a: a.organisation.seat.parent.name if a.organisation.seat.parent else "",
            10,
        ),
        Column(_("所在地区"), lambda a: str(a.organisation.seat), 16),
        Column(_("推荐单位"), lambda a: a.authority.name if a.authority else "", 22),
        Column(_("类别"), lambda a: a.category.name if a.category else "", 12),
        *money_columns(),
        Column(_("审查状态"), check_state, 10),
        Column(_("项目状态"), label_of(Status.choices, lambda a: a.status), 12),
        Column(_("审查人"), lambda a: (a.checked_by or "") if a.checked_at else None, 12),
        Column(_("审查时间"), lambda a: a.checked_at, 17, DATETIME),
        Column(_("缺少必传附件"), lambda a: yes(a.missing_attachments), 8),
        Column(_("疑似重复"), lambda a: a.pair_count or None, 8, NUMBER),
        Column(_("疑似续期"), lambda a: yes(a.continuation), 8),
        Column(_("提交时间"), lambda a: a.submitted_at, 17, DATETIME),
    ]

    def load(self, params):
        call = Call.objects.prefetch_related("categories").filter(slug=params.get("call")).first()
        if call is None:
            raise Http404
        return {"call": call}

    def permission_object(self, context):
        return context["call"]

    def form_kwargs(self, user, context):
        return {"call": context["call"]}

    def rows(self, user, query, context):
        criteria = {name: query.criteria[name] for name in FILTERS if name in query.criteria}
        rows = queries.overview(context["call"], **criteria)
        rows = with_informatisation(matching(rows, query.criteria.get("q", "")))
        return query.order(rows)

    def export_rows(self, user, query, context):
        return queries.flagged(context["call"], self.rows(user, query, context))

    def url_kwargs(self, context):
        return {"slug": context["call"].slug}

    def context_params(self, context):
        return {"call": context["call"].slug}

    def heading(self, context):
        return f"{self.title}-{context['call'].title}"
