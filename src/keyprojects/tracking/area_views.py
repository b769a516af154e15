"""The local authority's pages (属地主管部门): the reports of its area and its comment.

A reviewer sees only reports routed to its own authority on submit; others do not exist
for it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keyprojects.core.access import require, uuids

from . import domain, queries, workflow
from .forms import CommentForm
from .models import AuthorityComment, ProgressReport, TrackingRound
from .views import rebased, report_context

PAGE_SIZE = 50


@login_required
@require_GET
def area_reports(request):
    require(request, "tracking.view_area_reports")
    rounds = TrackingRound.objects.filter(
        reports__authority_id=request.user.authority_id
    ).distinct()
    wanted = uuids([request.GET.get("round", "")])
    chosen = rounds.filter(pk__in=wanted).first() if wanted else None
    reports = queries.area_reports(request.user, chosen)
    return render(
        request,
        "tracking/area_reports.html",
        {
            "rounds": rounds,
            "chosen": chosen,
            "page": Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": f"round={chosen.pk}" if chosen else "",
            "authority": request.user.authority,
        },
    )


def _report(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related("round", "project__city", "project__organisation"),
        pk=pk,
    )
    require(request, "tracking.view_report", report)
    require(request, "tracking.view_area_reports")
    return report


def _page(request, report, form=None, status=200):
    context = report_context(report)
    comment = context["comment"]
    if form is None:
        form = CommentForm(
            initial={
                "text": comment.text if comment else "",
                "version": comment.version if comment else 0,
            }
        )
    return render(
        request,
        "tracking/area_report.html",
        {
            **context,
            "form": form,
            "can_comment": request.user.has_perm("tracking.comment_report", report),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def area_report(request, pk):
    report = _report(request, pk)
    if request.method == "GET":
        return _page(request, report)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _page(request, report, form, status=400)
    try:
        domain.save_comment(
            report,
            form.cleaned_data["text"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except workflow.StaleReport:
        current = AuthorityComment.objects.filter(report=report).first()
        messages.error(
            request,
            _(
                "属地意见已被他人修改，您的修改未保存。您填写的内容仍保留在下方，"
                "请核对对方的意见后再保存。"
            ),
        )
        form = rebased(form, version=current.version if current else 0)
        return _page(request, report, form, status=409)
    except workflow.ReportRefused as error:
        messages.error(request, str(error))
        return _page(request, report, form, status=400)
    messages.success(request, _("已保存属地意见。"))
    return redirect("tracking:area_report", pk=pk)
