"""The provincial office's pages: tracked projects and their import, rounds, evaluation.

Office only: anonymous users are sent to log in, everybody else gets "not found".
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.audit.domain import history
from keyprojects.core.access import require
from keyprojects.documents import listings
from keyprojects.imports.base import ImportRefused

from . import domain, exports, queries, workflow
from .forms import (
    EvaluationForm,
    ReturnForm,
    RoundForm,
    VersionForm,
)
from .models import Evaluation, ProgressReport, ProjectImport, TrackedProject, TrackingRound
from .views import rebased, report_context

PAGE_SIZE = 50
REFUSED = (workflow.ReportRefused, ImportRefused)


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def index(request):
    require(request, "tracking.manage")
    return render(
        request,
        "tracking/office_index.html",
        {
            "rounds": queries.rounds(),
            "tracked": TrackedProject.objects.count(),
            "unmatched": TrackedProject.objects.filter(organisation__isnull=True).count(),
            "imports": ProjectImport.objects.select_related("uploaded_by").defer("rows")[:5],
        },
    )


@login_required
@require_GET
def projects(request):
    listing = listings.get("tracking_projects")
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    page = _page(request, listing.rows(request.user, query, context))
    return render(
        request,
        "tracking/projects.html",
        {**listing.page_context(query, context, page), "filters": query.form, "page": page},
    )


@login_required
@require_POST
def sync_platform(request):
    require(request, "tracking.manage")
    added = domain.track_all_selected(by=request.user)
    messages.success(request, _("已纳入 %(n)d 个平台遴选的重点工程。") % {"n": added})
    return redirect("tracking:projects")


# --- Rounds ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    require(request, "tracking.manage")
    form = (
        RoundForm(request.POST)
        if request.method == "POST"
        else RoundForm(initial=RoundForm.defaults())
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = domain.open_round(**form.cleaned_data, by=request.user)
        except REFUSED as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("已开启%(title)s，共 %(n)d 份报告待填报，已通知建设单位。")
                % {"title": round_.title, "n": round_.reports.count()},
            )
            return redirect("tracking:round", pk=round_.pk)
    return render(
        request,
        "tracking/round_new.html",
        {"form": form, "tracked": TrackedProject.objects.count()},
        status=400 if form.errors else 200,
    )


def _round(request, pk):
    require(request, "tracking.manage")
    return get_object_or_404(TrackingRound, pk=pk)


@login_required
@require_GET
def round_page(request, pk):
    round_ = _round(request, pk)
    listing = listings.get("tracking_round")
    context = listing.context(request.user, {"round": str(round_.pk)})
    query = listing.query(request.user, request.GET, context)
    page = _page(request, listing.rows(request.user, query, context))
    return render(
        request,
        "tracking/round.html",
        {
            **listing.page_context(query, context, page),
            "round": round_,
            "filters": query.form,
            "page": page,
            "counts": queries.round_counts(round_),
            "late": queries.round_reports(round_, late="overdue")[:100],
            "missing": domain.missing_projects(round_).count(),
            "completion": queries.completion(round_),
            "close_form": VersionForm(initial={"version": round_.version}),
        },
    )


@login_required
@require_GET
def round_export(request, pk):
    round_ = _round(request, pk)
    return _xlsx(exports.render_round(round_), exports.filename(round_))


def _round_action(request, pk, action):
    round_ = _round(request, pk)
    try:
        message = action(round_)
    except REFUSED as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect("tracking:round", pk=round_.pk)


@login_required
@require_POST
def round_remind(request, pk):
    def remind(round_):
        sent = domain.remind_late(round_, by=request.user)
        if not sent:
            return _("没有需要提醒的建设单位（今天已提醒过的不再重复提醒）。")
        return _("已向 %(n)d 位建设单位用户发送催报提醒（站内消息和电子邮件）。") % {"n": sent}

    return _round_action(request, pk, remind)


@login_required
@require_POST
def round_add_missing(request, pk):
    def add(round_):
        return _("已将 %(n)d 个新纳入跟踪的项目加入本轮。") % {
            "n": domain.add_missing(round_, by=request.user)
        }

    return _round_action(request, pk, add)


@login_required
@require_POST
def round_close(request, pk):
    form = VersionForm(request.POST)
    expected = form.cleaned_data["version"] if form.is_valid() else None

    def close(round_):
        domain.close_round(round_, by=request.user, expected_version=expected)
        return _("本轮跟踪评价已结束。")

    return _round_action(request, pk, close)


# --- One report: evaluation and return --------------------------------------------------------


def _report(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "round", "project__city", "project__organisation", "authority"
        ),
        pk=pk,
    )
    require(request, "tracking.evaluate_report", report)
    return report


def _report_page(request, report, *, evaluation_form=None, return_form=None, status=200):
    evaluation = Evaluation.objects.filter(report=report).first()
    if evaluation_form is None:
        initial = {"version": report.version, "evaluation_version": 0}
        if evaluation is not None:
            initial.update(
                {f: getattr(evaluation, f) for f in workflow.EVALUATION_FIELDS},
                evaluation_version=evaluation.version,
            )
        evaluation_form = EvaluationForm(initial=initial)
    context = {
        **report_context(report),
        "evaluation": evaluation,
        "evaluation_form": evaluation_form,
        "return_form": return_form or ReturnForm(initial={"version": report.version}),
        "can_evaluate": report.round.is_open
        and report.state in {ProgressReport.State.SUBMITTED, ProgressReport.State.EVALUATED},
        "can_return": report.round.is_open and report.state == ProgressReport.State.SUBMITTED,
        "events": history(report),
    }
    return render(request, "tracking/office_report.html", context, status=status)


@login_required
@require_GET
def report_page(request, pk):
    return _report_page(request, _report(request, pk))


@login_required
@require_POST
def evaluate(request, pk):
    report = _report(request, pk)
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, evaluation_form=form, status=400)
    values = {f: form.cleaned_data.get(f, "") for f in workflow.EVALUATION_FIELDS}
    try:
        workflow.evaluate(
            report,
            values,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            evaluation_version=form.cleaned_data["evaluation_version"],
        )
    except workflow.StaleReport as stale:
        messages.error(request, _stale_message(stale.current))
        shown = Evaluation.objects.filter(report=stale.current).first()
        form = rebased(
            form,
            version=stale.current.version,
            evaluation_version=shown.version if shown else 0,
        )
        return _report_page(request, stale.current, evaluation_form=form, status=409)
    except workflow.ReportRefused as error:
        messages.error(request, str(error))
        return _report_page(request, report, evaluation_form=form, status=400)
    messages.success(request, _("已保存评价。"))
    return redirect("tracking:report", pk=pk)


@login_required
@require_POST
def return_report(request, pk):
    report = _report(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _report_page(request, report, return_form=form, status=400)
    try:
        workflow.return_for_revision(
            report,
            form.cleaned_data["reason"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except workflow.StaleReport as stale:
        messages.error(request, _stale_message(stale.current))
        form = rebased(form, version=stale.current.version)
        return _report_page(request, stale.current, return_form=form, status=409)
    except workflow.ReportRefused as error:
        messages.error(request, str(error))
        return _report_page(request, report, return_form=form, status=400)
    messages.success(request, _("已退回建设单位修改。"))
    return redirect("tracking:report", pk=pk)


def _stale_message(current):
    return _(
        "该报告或其评价已被他人修改（当前状态：%(state)s），您的操作未保存。"
        "您填写的内容仍保留在下方，请核对后再提交。"
    ) % {"state": current.get_state_display()}
