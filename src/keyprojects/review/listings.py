"""The reviewer's queue (审核推荐) as a list: its filters, sorts and export.

Scoped by `queries.visible_to_reviewer`: an authority sees the applications routed to it and
the copies (抄报) of its counties, nothing else, on the page and in the export alike.
"""

from django.db.models import BooleanField, ExpressionWrapper, Q
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
from keyprojects.audit.queries import until_next_event
from keyprojects.calls.queries import published_calls
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import DATETIME, Column, label_of, yes
from keyprojects.orgs.models import Region

from .forms import QueueFilter
from .queries import queue, visible_to_reviewer

FILTERS = ("category", "county", "status", "missing")


@register
class ReviewQueue(Listing):
    name = "review_queue"
    title = _("审核推荐项目")
    permission = "review.view_queue"
    url_name = "review:queue"
    filter_class = QueueFilter
    columns = [
        name_column(),
        *organisation_columns(),
        Column(_("所在地区"), lambda a: str(a.organisation.seat), 16),
        Column(_("类别"), lambda a: a.category.name if a.category else "", 12),
        *money_columns(),
        Column(_("状态"), label_of(Status.choices, lambda a: a.status), 10),
        Column(_("提交时间"), lambda a: a.submitted_at, 17, DATETIME),
        Column(_("缺少必传附件"), lambda a: yes(a.missing_attachments), 8),
        Column(_("抄报件"), lambda a: yes(a.copied), 8),
        Column(_("审核单位"), lambda a: a.authority.name if a.authority else "", 22),
    ]

    def load(self, params):
        calls = published_calls()
        slug = params.get("call")
        call = (
            calls.filter(slug=slug).first() if slug else calls.order_by("-window_opens_at").first()
        )
        if call is None:
            raise Http404
        return {"call": call}

    def form_kwargs(self, user, context):
        call = context["call"]
        # The seats among the authority's applications (kept until the next recorded change:
        # it reads every one of them).
        seats = until_next_event(
            f"review.seats:{user.authority_id}:{call.pk}",
            lambda: sorted(
                set(
                    visible_to_reviewer(user)
                    .filter(call=call)
                    .values_list("organisation__seat", flat=True)
                    .order_by()
                )
            ),
        )
        counties = Region.objects.filter(pk__in=seats).select_related("parent")
        return {"call": call, "counties": counties}

    def rows(self, user, query, context):
        criteria = {name: query.criteria[name] for name in FILTERS if name in query.criteria}
        rows = queue(user, context["call"], **criteria)
        rows = with_informatisation(matching(rows, query.criteria.get("q", "")))
        rows = rows.annotate(
            copied=ExpressionWrapper(
                Q(copy_authority_id=user.authority_id), output_field=BooleanField()
            )
        )
        return query.order(rows)

    def heading(self, context):
        return f"{self.title}-{context['call'].title}"
