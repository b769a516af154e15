"""The expert pool (专家库) as a list: search, filters, sorts and its export (office only).

The export carries the contact details the page shows (decrypted as the page decrypts
them); like every export it is audited and downloadable only by the person who asked.
"""

from django.utils.translation import gettext_lazy as _

from keyprojects.calls.models import Category
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import Column
from keyprojects.orgs.models import Region

from .forms import PoolFilter
from .queries import pool


def category_names() -> list[tuple[str, str]]:
    """(code, name) of every category any call has, each code once."""
    names = {}
    for code, name in Category.objects.order_by("order", "-call__year").values_list("code", "name"):
        names.setdefault(code, name)
    return list(names.items())


@register
class ExpertPool(Listing):
    name = "expert_pool"
    title = _("专家库")
    permission = "experts.view_pool"
    url_name = "experts:pool"
    filter_class = PoolFilter
    columns = [
        Column(_("姓名"), lambda e: e.name, 10),
        Column(_("工作单位"), lambda e: e.organisation_name, 28),
        Column(_("工作单位统一社会信用代码"), lambda e: e.organisation_credit_code, 21),
        Column(_("所在设区市"), lambda e: e.city.name, 10),
        Column(_("评审领域"), lambda e: "、".join(e.category_labels), 24),
        Column(_("手机号码"), lambda e: e.phone, 14),
        Column(_("电子邮箱"), lambda e: e.email, 24),
        Column(_("状态"), lambda e: _("在库") if e.is_active else _("已出库"), 8),
        Column(_("平台账号"), lambda e: e.user.username if e.user else "", 14),
    ]

    def form_kwargs(self, user, context):
        cities = Region.objects.filter(kind=Region.Kind.CITY).order_by("code")
        return {"categories": category_names(), "cities": cities}

    def rows(self, user, query, context):
        criteria = query.criteria
        experts = pool(
            search=criteria.get("q", ""),
            category=criteria.get("category", ""),
            city=criteria.get("city", ""),
        )
        if criteria.get("active"):
            experts = experts.filter(is_active=criteria["active"] == "yes")
        return query.order(experts)

    def decorate(self, rows, context):
        names = dict(category_names())
        for expert in rows:
            expert.category_labels = [names.get(code, code) for code in expert.category_codes]
            yield expert
