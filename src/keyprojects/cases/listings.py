"""The office's list of typical cases (典型案例管理): search, filters, sorts and export."""

from django.utils.translation import gettext_lazy as _

from keyprojects.core.lists import containing
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import DATETIME, NUMBER, Column, label_of

from .forms import OfficeListFilter
from .models import Case
from .queries import office_list


def consent_label(case) -> str:
    if case.consent_valid:
        return str(_("已同意"))
    if case.consent == Case.Consent.REFUSED:
        return str(_("不同意"))
    return str(_("待确认"))


@register
class CaseOfficeList(Listing):
    name = "case_office"
    title = _("典型案例")
    permission = "cases.manage_case"
    url_name = "cases:office"
    filter_class = OfficeListFilter
    columns = [
        Column(_("案例标题"), lambda c: c.title, 34),
        Column(_("项目名称"), lambda c: c.application.name if c.application else "", 30),
        Column(_("申报单位"), lambda c: c.organisation.name, 28),
        Column(_("年度"), lambda c: c.year, 7, NUMBER),
        Column(_("工程类别"), lambda c: c.category.name if c.category else "", 12),
        Column(_("设区市"), lambda c: c.city_label, 9),
        Column(_("状态"), label_of(Case.State.choices, lambda c: c.state), 9),
        Column(_("申报单位意见"), consent_label, 10),
        Column(_("最后修改"), lambda c: c.updated_at, 17, DATETIME),
        Column(_("修改人"), lambda c: str(c.updated_by) if c.updated_by else "", 12),
        Column(_("发布时间"), lambda c: c.published_at, 17, DATETIME),
    ]

    def form_kwargs(self, user, context):
        years = Case.objects.order_by("-year").values_list("year", flat=True).distinct()
        return {"years": list(years)}

    def rows(self, user, query, context):
        criteria = query.criteria
        cases = office_list(criteria.get("state", ""))
        if criteria.get("year"):
            cases = cases.filter(year=criteria["year"])
        if criteria.get("consent"):
            cases = cases.filter(consent=criteria["consent"])
        cases = containing(
            cases, criteria.get("q", ""), ("title", "application__name", "organisation__name")
        )
        return query.order(cases)

    def export_rows(self, user, query, context):
        return self.rows(user, query, context).select_related("application", "category", "city")
