"""What every role's report page shares: the report's context, the attachment download
(checked against the very report), and re-basing a form after a refused stale save."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from keyprojects.core.access import require
from keyprojects.documents.responses import download_response

from .models import AuthorityComment, ProgressReport


def report_context(report) -> dict:
    return {
        "report": report,
        "round": report.round,
        "project": report.project,
        "attachments": list(report.attachments.select_related("uploaded_by")),
        "comment": AuthorityComment.objects.filter(report=report)
        .select_related("authority", "written_by")
        .first(),
    }


def rebased(form, **versions):
    """After a refused stale save the form keeps what was typed and now names the current
    versions, so sending it again knowingly replaces what the other person saved."""
    form.data = form.data.copy()
    for name, value in versions.items():
        form.data[name] = str(value)
    return form


@login_required
@require_GET
def attachment(request, pk, attachment_pk):
    report = get_object_or_404(ProgressReport.objects.select_related("round", "project"), pk=pk)
    require(request, "tracking.view_report", report)
    item = get_object_or_404(report.attachments, pk=attachment_pk)
    return download_response(item.file, item.original_name, item.content_type)
