"""The local authority's pages (属地主管部门): the reports of its area and its comment.

A reviewer sees only reports routed to its own authority on submit; others do not exist
for it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keyprojects.core.access import require
from keyprojects.documents import listings

from . import domain, workflow
from .forms import CommentForm
from .models import AuthorityComment, ProgressReport
from .views import rebased, report_context

PAGE_SIZE = 50


@login_required
@require_GET
def area_reports(request):
    listing = listings.get("tracking_area")
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    page = query.page(
        listing.rows(request.user, query, context), PAGE_SIZE, request.GET.get("page")
    )
    return render(
        request,
        "tracking/area_reports.html",
        {
            **listing.page_context(query, context, page),
            "filters": query.form,
            "page": page,
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
