"""The objections (异议) to a notice, as the office works through them: search, filters,
sorts and export (with the objectors' contact details, which the office alone reads)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from keyprojects.core.access import uuids
from keyprojects.core.lists import containing
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import DATETIME, Column, label_of, yes

from . import queries
from .forms import ObjectionFilter
from .models import Objection, PublicNotice


@register
class NoticeObjections(Listing):
    name = "notice_objections"
    title = _("异议")
    permission = "notices.manage_notice"
    url_name = "notices:manage"
    filter_class = ObjectionFilter
    columns = [
        Column(_("回执号"), lambda o: o.receipt, 20),
        Column(_("异议项目"), lambda o: o.application.name, 34),
        Column(_("申报单位"), lambda o: o.application.organisation.name, 28),
        Column(_("提出人"), lambda o: o.name, 16),
        Column(_("联系电话"), lambda o: o.phone, 14),
        Column(_("电子邮箱"), lambda o: o.email, 24),
        Column(_("提交时间"), lambda o: o.filed_at, 17, DATETIME),
        Column(_("异议事项及理由"), lambda o: o.reasons, 40),
        Column(_("办理状态"), label_of(Objection.State.choices, lambda o: o.state), 10),
        Column(_("处理结论"), label_of(Objection.Outcome.choices, lambda o: o.outcome), 10),
        Column(_("答复意见"), lambda o: o.answer, 40),
        Column(_("答复时间"), lambda o: o.answered_at, 17, DATETIME),
        Column(_("已撤销入选"), lambda o: yes(o.project_withdrawn), 8),
    ]

    def load(self, params):
        found = uuids([params.get("notice", "")])
        notice = PublicNotice.objects.select_related("call").filter(pk__in=found).first()
        if notice is None:
            raise Http404
        return {"notice": notice}

    def permission_object(self, context):
        return context["notice"]

    def rows(self, user, query, context):
        criteria = query.criteria
        rows = queries.objections_of(context["notice"])
        if criteria.get("state"):
            rows = rows.filter(state=criteria["state"])
        if criteria.get("outcome"):
            rows = rows.filter(outcome=criteria["outcome"])
        rows = containing(rows, criteria.get("q", ""), ("receipt", "name", "application__name"))
        return query.order(rows)

    def url_kwargs(self, context):
        return {"pk": context["notice"].pk}

    def context_params(self, context):
        return {"notice": str(context["notice"].pk)}

    def heading(self, context):
        return f"{self.title}-{context['notice'].title}"
