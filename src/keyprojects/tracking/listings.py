"""The lists of tracking evaluation: the office's tracked projects and a round's reports, and
the local authority's reports of its area (only those routed to it, page and export alike)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from keyprojects.core.access import uuids
from keyprojects.core.lists import containing
from keyprojects.documents.listings import Listing, register
from keyprojects.documents.xlsx import DATETIME, MONEY, NUMBER, Column, label_of, yes

from . import queries
from .forms import AreaFilter, ProjectFilter, RoundFilter
from .models import Grade, ProgressReport, TrackedProject, TrackingRound


def _search(rows, text, prefix=""):
    return containing(
        rows, text, [f"{prefix}{f}" for f in ("name", "applicant_name", "credit_code")]
    )


def _city(project) -> str:
    return project.city.name if project.city_id else str(_("省级"))


@register
class TrackedProjects(Listing):
    name = "tracking_projects"
    title = _("跟踪项目")
    permission = "tracking.manage"
    url_name = "tracking:projects"
    filter_class = ProjectFilter
    columns = [
        Column(_("年度"), lambda p: p.year, 7, NUMBER),
        Column(_("项目名称"), lambda p: p.name, 34),
        Column(_("申报单位"), lambda p: p.applicant_name, 28),
        Column(_("统一社会信用代码"), lambda p: p.credit_code, 21),
        Column(_("工程类别"), lambda p: p.category_name, 11),
        Column(_("设区市"), _city, 9),
        Column(_("信息化投资（万元）"), lambda p: p.informatisation_investment, 14, MONEY),
        Column(_("来源"), label_of(TrackedProject.Source.choices, lambda p: p.source), 9),
        Column(_("建设单位账号"), lambda p: p.organisation.name if p.organisation else "", 28),
    ]

    def form_kwargs(self, user, context):
        years = TrackedProject.objects.order_by("-year").values_list("year", flat=True)
        return {"years": list(years.distinct())}

    def rows(self, user, query, context):
        filters = ("source", "year", "city", "matched")
        criteria = {name: query.criteria[name] for name in filters if name in query.criteria}
        rows = queries.tracked_projects(**criteria)
        return query.order(_search(rows, query.criteria.get("q", "")))


def _report_columns(with_round=False):
    return [
        *([Column(_("轮次"), lambda r: r.round.title, 24)] if with_round else []),
        Column(_("项目名称"), lambda r: r.project.name, 34),
        Column(_("年度"), lambda r: r.project.year, 7, NUMBER),
        Column(_("建设单位"), lambda r: r.project.applicant_name, 28),
        Column(_("统一社会信用代码"), lambda r: r.project.credit_code, 21),
        Column(_("设区市"), lambda r: _city(r.project), 9),
        Column(_("信息化投资（万元）"), lambda r: r.project.informatisation_investment, 14, MONEY),
        Column(_("累计完成投资（万元）"), lambda r: r.investment_completed, 14, MONEY),
        Column(_("状态"), label_of(ProgressReport.State.choices, lambda r: r.state), 9),
        Column(_("提交时间"), lambda r: r.submitted_at, 17, DATETIME),
        Column(_("逾期提交"), lambda r: yes(r.late), 8),
        Column(_("附件数"), lambda r: r.attachment_count, 7, NUMBER),
        Column(_("属地主管部门"), lambda r: r.authority.name if r.authority_id else "", 22),
        Column(_("属地意见"), lambda r: r.comment.text if _comment(r) else "", 36),
    ]


def _comment(report):
    return getattr(report, "comment", None)


def _evaluation(report, read):
    evaluation = getattr(report, "evaluation", None)
    return read(evaluation) if evaluation is not None else ""


@register
class RoundReports(Listing):
    name = "tracking_round"
    title = _("进展报告")
    permission = "tracking.manage"
    url_name = "tracking:round"
    filter_class = RoundFilter
    columns = [
        *_report_columns(),
        Column(
            _("总体评价"),
            label_of(Grade.choices, lambda r: _evaluation(r, lambda e: e.overall)),
            10,
        ),
        Column(_("评价意见"), lambda r: _evaluation(r, lambda e: e.remark), 30),
    ]

    def load(self, params):
        found = uuids([params.get("round", "")])
        round_ = TrackingRound.objects.filter(pk__in=found).first() if found else None
        if round_ is None:
            raise Http404
        return {"round": round_}

    def rows(self, user, query, context):
        filters = ("state", "city", "late")
        criteria = {name: query.criteria[name] for name in filters if name in query.criteria}
        rows = queries.round_reports(context["round"], **criteria)
        return query.order(_search(rows, query.criteria.get("q", ""), "project__"))

    def url_kwargs(self, context):
        return {"pk": context["round"].pk}

    def context_params(self, context):
        return {"round": str(context["round"].pk)}

    def heading(self, context):
        return f"{self.title}-{context['round'].title}"


@register
class AreaReports(Listing):
    name = "tracking_area"
    title = _("本辖区跟踪报告")
    permission = "tracking.view_area_reports"
    url_name = "tracking:area_reports"
    filter_class = AreaFilter
    columns = _report_columns(with_round=True)

    def form_kwargs(self, user, context):
        rounds = TrackingRound.objects.filter(reports__authority_id=user.authority_id)
        return {"rounds": rounds.distinct().order_by("-opened_at")}

    def rows(self, user, query, context):
        criteria = query.criteria
        rows = queries.area_reports(user)
        if criteria.get("round"):
            rows = rows.filter(round_id=criteria["round"])
        if criteria.get("state"):
            rows = rows.filter(state=criteria["state"])
        if criteria.get("comment"):
            rows = rows.filter(comment__isnull=criteria["comment"] == "no")
        return query.order(_search(rows, criteria.get("q", ""), "project__"))

    def heading(self, context):
        return str(self.title)
