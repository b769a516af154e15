"""The office's funding priority list (专项资金优先支持) as a list: search, filters, sorts, export.

The list's own export holds every listed project, marked or not; the finance process's
table of marked projects stays its own document (exports.funding_xlsx).
"""

from django.utils.translation import gettext_lazy as _

from keyprojects.applications.listings import matching, name_column, organisation_columns
from keyprojects.applications.workflow import Status
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import DATETIME, MONEY, Column, yes

from .forms import FundingFilter
from .queries import funding_candidates


def _marked(application, read, default=None):
    priority = getattr(application, "funding_priority", None)
    return read(priority) if priority is not None and priority.is_marked else default


@register
class FundingList(Listing):
    name = "funding"
    title = _("专项资金优先支持")
    permission = "stats.view_funding"
    url_name = "stats:funding"
    filter_class = FundingFilter
    columns = [
        name_column(),
        *organisation_columns(),
        Column(_("设区市"), lambda a: a.city_name or "", 9),
        Column(_("类别"), lambda a: a.category.name if a.category else "", 12),
        Column(_("年度批次"), lambda a: a.call.title, 24),
        Column(_("总投资（万元）"), lambda a: a.total_investment, 14, MONEY),
        Column(_("优先支持"), lambda a: yes(_marked(a, lambda p: True, False)), 8),
        Column(_("支持金额（万元）"), lambda a: _marked(a, lambda p: p.amount), 14, MONEY),
        Column(_("备注"), lambda a: _marked(a, lambda p: p.note, ""), 30),
        Column(_("标记时间"), lambda a: _marked(a, lambda p: p.marked_at), 17, DATETIME),
        Column(
            _("入选名单"),
            lambda a: _("在") if a.status == Status.SELECTED else _("已不在入选名单"),
            10,
        ),
    ]

    def rows(self, user, query, context):
        criteria = query.criteria
        rows = funding_candidates(
            call=criteria.get("call"),
            category=criteria.get("category", ""),
            city=criteria.get("city", ""),
            marked=criteria.get("marked", ""),
        )
        return query.order(matching(rows, criteria.get("q", "")))
