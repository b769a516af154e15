from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keyprojects.core.access import require
from keyprojects.core.clock import china_time, now

from . import chain, exports
from .domain import event, record_many
from .forms import EventFilter
from .models import Event
from .queries import search

PAGE_SIZE = 50
# The problems kept in the session for the page; a broken chain can list thousands.
PROBLEMS_SHOWN = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _query(request) -> str:
    """The filters of this request as a query string, without the page number."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _back(request):
    query = _query(request)
    return redirect(reverse("audit:events") + (f"?{query}" if query else ""))


@login_required
@require_GET
def events(request):
    require(request, "audit.view_events")
    form = EventFilter(request.GET)
    found = search(**form.filters()) if form.is_valid() else Event.objects.none()
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/events.html",
        {
            "form": form,
            "page": page,
            "rows": [exports.describe(e) for e in page],
            "query": _query(request),
            "chain_status": request.session.get("audit_chain"),
            "known_actions": exports.known_actions(),
            "known_targets": exports.known_targets(),
        },
    )


@login_required
@require_POST
def verify(request):
    require(request, "audit.view_events")
    problems = chain.verify()
    request.session["audit_chain"] = {
        "checked_at": china_time(now()).strftime("%Y-%m-%d %H:%M:%S"),
        "events": Event.objects.count(),
        "problems": problems[:PROBLEMS_SHOWN],
        "more": max(0, len(problems) - PROBLEMS_SHOWN),
    }
    if problems:
        messages.error(request, _("审计链校验发现 %(n)d 处问题。") % {"n": len(problems)})
    else:
        messages.success(request, _("审计链完整。"))
    return _back(request)


@login_required
@require_GET
def export(request):
    require(request, "audit.view_events")
    form = EventFilter(request.GET)
    if not form.is_valid():
        messages.error(request, _("筛选条件有误，请改正后再导出。"))
        return _back(request)
    found = search(**form.filters())
    count, limit = found.count(), exports.max_rows()
    if count > limit:
        messages.error(
            request,
            _("符合条件的事件共 %(n)d 条，超过单次导出上限 %(limit)d 条，请缩小筛选范围后再导出。")
            % {"n": count, "limit": limit},
        )
        return _back(request)
    handle = exports.write_xlsx(found)
    filename = f"审计日志-{china_time(now()):%Y%m%d-%H%M%S}.xlsx"
    # Recorded once the file exists, so the export never lists itself.
    record_many(
        [
            event(
                "audit.event",
                filename,
                "export_audit",
                actor=request.user,
                data={"filters": form.as_data(), "rows": count},
            )
        ]
    )
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
