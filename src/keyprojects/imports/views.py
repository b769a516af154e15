"""The pages of every import: upload, preview/report, confirm, progress, the template and
the error rows. Each app mounts them under its own URLs (routes.py) for its importer.

Every page checks the importer's permission (the app's rules.py); every page of a batch
also checks that the batch is of this importer and was uploaded by this user: anyone
else's batch does not exist for them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from keyprojects.core.access import require
from keyprojects.core.clock import now
from keyprojects.documents.sheets import BadSheet

from . import domain, files
from .base import ImportRefused, importer_for
from .forms import UploadForm
from .models import ImportBatch

ROWS_PER_PAGE = 100
SHOW = {"all", "errors", "good"}
# A queued import not started after this long: the task worker is probably not running.
OVERDUE_SECONDS = 120


def _importer(request, key):
    importer = importer_for(key)
    require(request, importer.permission)
    return importer


def _batch(request, importer, pk, *, rows=True):
    """The batch of this importer with this id, if the user uploaded it; `rows=False` leaves
    the rows (megabytes to decrypt for thousands of rows) in the database."""
    batches = ImportBatch.objects.select_related("uploaded_by")
    batch = get_object_or_404(
        batches if rows else batches.defer("rows"), pk=pk, importer=importer.key
    )
    require(request, "imports.use_batch", batch)
    return batch


def urls_of(importer, batch=None) -> dict:
    name = importer.url_name
    urls = {"upload": reverse(name), "template": reverse(f"{name}_template")}
    if batch is not None:
        for part in ("report", "confirm", "progress", "errors"):
            urls[part] = reverse(f"{name}_{part}", args=[batch.pk])
    return urls


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=files.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, key):
    importer = _importer(request, key)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, importer=importer)
    else:
        form = UploadForm(importer=importer)
    if form.is_bound and form.is_valid():
        try:
            batch = domain.stage(importer, form.cleaned_data["file"], by=request.user)
        except BadSheet as error:
            form.add_error("file", str(error))
        else:
            return redirect(urls_of(importer, batch)["report"])
    recent = (
        ImportBatch.objects.filter(importer=importer.key, uploaded_by=request.user)
        .defer("rows")
        .order_by("-uploaded_at")[:5]
    )
    context = {"importer": importer, "form": form, "urls": urls_of(importer), "recent": recent}
    return render(request, "imports/upload.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def template(request, key):
    importer = _importer(request, key)
    return _xlsx(files.template_xlsx(importer), str(importer.template_name))


@login_required
@require_GET
def report(request, key, pk):
    importer = _importer(request, key)
    batch = _batch(request, importer, pk)
    context = {"importer": importer, "batch": batch, "urls": urls_of(importer, batch)}
    if domain.is_expired(batch):
        return render(request, "imports/expired.html", context, status=410)
    if batch.is_pending:
        context["overdue"] = _overdue(batch)
        return render(request, "imports/running.html", context)
    show = request.GET.get("show", "all")
    show = show if show in SHOW else "all"
    rows = {"all": batch.rows, "errors": batch.bad_rows, "good": batch.good_rows}[show]
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context.update(page=page, show=show, rows=[_shown(importer, row) for row in page])
    context["confirm_label"] = importer.confirm_label % {"n": batch.good_count}
    return render(request, "imports/report.html", context)


def _shown(importer, row) -> dict:
    """A row as the table shows it: its number, the preview columns, its errors or result."""
    results = {
        "created": _("已新增"),
        "updated": _("已更新"),
        "unchanged": _("无变化，跳过"),
    }
    return {
        "number": row["number"],
        "cells": [row["values"].get(name, "") for name in importer.preview_columns],
        "errors": row["errors"],
        "result": results.get(row.get("outcome"), _("可导入")),
    }


def _overdue(batch) -> bool:
    since = batch.confirmed_at or batch.uploaded_at
    return batch.state == ImportBatch.State.QUEUED and (now() - since).total_seconds() > (
        OVERDUE_SECONDS
    )


@login_required
@require_POST
def confirm(request, key, pk):
    importer = _importer(request, key)
    batch = _batch(request, importer, pk, rows=False)
    url = urls_of(importer, batch)["report"]
    if batch.state != ImportBatch.State.PREVIEWED:
        messages.info(request, _("该文件已确认导入，不会重复导入。"))
        return redirect(url)
    try:
        domain.start(batch, by=request.user)
    except ImportRefused as error:
        messages.error(request, str(error))
        return redirect(url)
    batch.refresh_from_db(fields=["state", "message", "created_count", "updated_count"])
    _tell_outcome(request, importer, batch)
    return redirect(url)


def _tell_outcome(request, importer, batch) -> None:
    if batch.state == ImportBatch.State.IMPORTED:
        messages.success(request, importer.done_message % {"n": batch.imported_count})
    elif batch.message:  # refused (back to the preview) or failed
        messages.error(request, batch.message)
    else:
        messages.info(request, _("已开始导入，完成后本页显示导入结果。"))


@login_required
@require_GET
def progress(request, key, pk):
    """The progress bar, polled by htmx while the import runs (and while its e-mails go
    out); once it has finished, the page reloads to show the report."""
    importer = _importer(request, key)
    batch = _batch(request, importer, pk, rows=False)  # polled every second
    urls = urls_of(importer, batch)
    if not (batch.is_pending or batch.is_notifying):
        if request.htmx:
            return HttpResponseClientRedirect(urls["report"])
        return redirect(urls["report"])
    context = {"batch": batch, "urls": urls, "overdue": _overdue(batch)}
    return render(request, "imports/_progress.html", context)


@login_required
@require_GET
def error_rows(request, key, pk):
    importer = _importer(request, key)
    batch = _batch(request, importer, pk)
    name = _("%(file)s-有错误的行.xlsx") % {"file": batch.file_name.removesuffix(".xlsx")}
    return _xlsx(files.error_rows_xlsx(batch), name)
