"""The owner's pages (建设单位): its reports, the report form and its attachments.

Only users of the organisation matched to the tracked project reach a report; anyone else
gets "not found".
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.audit.domain import history
from keyprojects.core.access import require
from keyprojects.core.clock import china_time, now

from . import domain, queries, workflow
from .forms import AttachmentForm, ReportForm
from .models import ProgressReport
from .views import rebased, report_context


@login_required
@require_GET
def my_reports(request):
    require_owner(request)
    return render(
        request,
        "tracking/my_reports.html",
        {"reports": list(queries.my_reports(request.user)[:200]), "now": now()},
    )


def require_owner(request, report=None):
    if report is None:
        require(request, "tracking.view_own_reports")
    else:
        require(request, "tracking.file_report", report)


def _report(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "round", "project__city", "project__organisation", "updated_by", "authority"
        ),
        pk=pk,
    )
    require_owner(request, report)
    return report


def _initial(report):
    return {
        "investment_completed": report.investment_completed,
        "milestones": report.milestones,
        "users_and_results": report.users_and_results,
        "problems": report.problems,
        "version": report.version,
    }


def _amount(form, report):
    """The figure to check: what was typed (if it parsed), else what is saved."""
    if form.is_bound:
        return (getattr(form, "cleaned_data", None) or {}).get("investment_completed")
    return report.investment_completed


def _page(request, report, form, *, status=200, problems=None):
    return render(
        request,
        "tracking/my_report.html",
        {
            **report_context(report),
            "form": form,
            "attachment_form": AttachmentForm(),
            "editable": request.user.has_perm("tracking.edit_report", report),
            "problems": problems or [],
            "warnings": workflow.investment_warnings(report, _amount(form, report)),
            "overdue": now() >= report.round.due_at,
            "return_reason": _return_reason(report),
            "evaluation": getattr(report, "evaluation", None)
            if report.state == ProgressReport.State.EVALUATED
            else None,
            "events": history(report),
        },
        status=status,
    )


def _return_reason(report):
    if report.state != ProgressReport.State.RETURNED:
        return ""
    event = history(report).filter(action="return").order_by("-at").first()
    return event.reason if event else ""


@login_required
@require_http_methods(["GET", "POST"])
def my_report(request, pk):
    report = _report(request, pk)
    if request.method == "GET":
        return _page(request, report, ReportForm(initial=_initial(report)))
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _page(request, report, form, status=400)
    submitting = "submit" in request.POST
    action = workflow.submit if submitting else workflow.save
    try:
        saved = action(
            report, form.values(), by=request.user, expected_version=form.cleaned_data["version"]
        )
    except workflow.StaleReport as stale:
        current = stale.current
        messages.error(request, _stale_message(current))
        return _page(request, current, rebased(form, version=current.version), status=409)
    except workflow.ReportRefused as error:
        if not error.problems:
            messages.error(request, str(error))
        return _page(request, report, form, status=400, problems=error.problems)
    if submitting:
        text = _("报告已提交。")
        if saved.late:
            text = _("报告已提交。本报告在截止日期之后提交，已记为逾期提交。")
        messages.success(request, text)
    else:
        messages.success(request, _("已保存草稿。"))
    return redirect("tracking:my_report", pk=pk)


def _stale_message(current):
    who = current.updated_by or "—"
    return _(
        "%(who)s 已于 %(when)s 修改了本报告（当前状态：%(state)s），您的修改未保存。"
        "您填写的内容仍保留在下方，请核对后再保存。"
    ) % {
        "who": who,
        "when": f"{china_time(current.updated_at):%Y-%m-%d %H:%M}" if current.updated_at else "",
        "state": current.get_state_display(),
    }


@login_required
@require_POST
def attach(request, pk):
    report = _report(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的文件。"))
        return redirect("tracking:my_report", pk=pk)
    try:
        item = domain.add_attachment(report, form.cleaned_data["file"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except workflow.ReportRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已上传附件“%(name)s”。") % {"name": item.original_name})
    return redirect("tracking:my_report", pk=pk)


@login_required
@require_POST
def detach(request, pk, attachment_pk):
    report = _report(request, pk)
    item = get_object_or_404(report.attachments, pk=attachment_pk)
    try:
        domain.remove_attachment(item, by=request.user)
    except workflow.ReportRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": item.original_name})
    return redirect("tracking:my_report", pk=pk)
