"""Exports of lists: asking for one, following its progress, downloading it.

Asking is a POST to /exports/lists/<list>/?<the list's GET parameters>: the list is rebuilt
from those parameters for the signed-in user, exactly as its page shows it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keyprojects.core.access import require

from . import exports, listings
from .models import ListExport
from .responses import download_response
from .xlsx import XLSX_TYPE

MY_EXPORTS_SHOWN = 50


@login_required
@require_POST
def start(request, name):
    listing = listings.get(name)
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    if query.problems:
        messages.error(
            request,
            _("筛选条件有误，未导出：%(problems)s") % {"problems": "；".join(query.problems)},
        )
        # Back to the list with what was asked, so the page shows what is wrong where.
        asked = request.GET.copy()
        for name in listing.context_params(context):
            asked.pop(name, None)
        return redirect(listing.url(context) + (f"?{asked.urlencode()}" if asked else ""))
    rows = listing.export_rows(request.user, query, context)
    export = exports.request_export(listing, request.user, query, context, rows.count())
    if export.direct:
        return exports.direct_response(export, listing, context, rows)
    messages.info(
        request,
        _("共 %(n)d 行，超过 %(limit)d 行的导出在后台生成，完成后可在本页下载。")
        % {"n": export.rows, "limit": exports.direct_max_rows()},
    )
    return redirect("documents:export", pk=export.pk)


def _export(request, pk):
    export = get_object_or_404(ListExport.objects.select_related("requested_by"), pk=pk)
    require(request, "documents.view_export", export)
    return export


def _back_url(export):
    """The list the export was made from, with its filters."""
    try:
        listing = listings.get(export.listing)
        params = exports.as_querydict(export.params)
        context = listing.load(params)
        return listing.url(context, listing.query(export.requested_by, params, context))
    except Exception:  # the list's call or round is gone: no way back, the file stays
        return ""


@login_required
@require_GET
def export_page(request, pk):
    export = _export(request, pk)
    return render(
        request, "documents/export.html", {"export": export, "back_url": _back_url(export)}
    )


@login_required
@require_GET
def export_status(request, pk):
    """The export's status line; polled by htmx while the worker writes the file."""
    return render(request, "documents/_export_status.html", {"export": _export(request, pk)})


@login_required
@require_GET
def download(request, pk):
    export = _export(request, pk)
    if export.direct or export.state != ListExport.State.READY or not export.file:
        raise Http404
    if export.is_expired:
        context = {"export": export, "back_url": _back_url(export)}
        return render(request, "documents/export.html", context, status=410)
    return download_response(export.file, export.filename, XLSX_TYPE)


@login_required
@require_GET
def my_exports(request):
    require(request, "documents.view_exports")
    shown = ListExport.objects.filter(requested_by=request.user)[:MY_EXPORTS_SHOWN]
    return render(request, "documents/my_exports.html", {"exports": shown})
