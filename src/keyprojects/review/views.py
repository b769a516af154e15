from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keyprojects.applications.models import Application
from keyprojects.applications.printing import application_context, history_rows
from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.calls.domain import RecommendationClosed
from keyprojects.calls.queries import call_choices, published_calls
from keyprojects.core.access import require, uuids
from keyprojects.documents import listings
from keyprojects.documents.responses import download_response
from keyprojects.orgs.models import Authority

from . import domain, tables
from .forms import DecisionForm, ReopenForm, ScanForm
from .models import RecommendationBatch, StampedScan, SummaryTable
from .queries import shown_in_queue, status_counts, visible_to_reviewer

QUEUE_PAGE_SIZE = 50

REVIEW_ERRORS = (TransitionRefused, RecommendationClosed, domain.BatchLocked, domain.SubmitRefused)


def _call(request, slug=None):
    calls = published_calls()
    if slug:
        return get_object_or_404(calls, slug=slug)
    call = calls.order_by("-window_opens_at").first()
    if call is None:
        raise Http404
    return call


def _application(request, pk):
    application = get_object_or_404(visible_to_reviewer(request.user).select_related("call"), pk=pk)
    require(request, "review.view_application", application)
    return application


@login_required
@require_GET
def review_queue(request):
    listing = listings.get("review_queue")
    context = listing.context(request.user, request.GET)
    call, authority = context["call"], request.user.authority
    query = listing.query(request.user, request.GET, context)
    # A city sees thousands of applications at province scale: 50 a page, filters kept.
    # The page's rows are then loaded by id alone: the ids came from the authority's own
    # queue, and with its filters again SQLite scans the whole queue for them.
    page = query.page(
        listing.rows(request.user, query, context),
        QUEUE_PAGE_SIZE,
        request.GET.get("page"),
        load=lambda ids: shown_in_queue(Application.objects.filter(pk__in=ids), call),
    )
    applications = list(page.object_list)
    batch = RecommendationBatch.objects.filter(call=call, authority=authority).first()
    locked = batch is not None and batch.is_submitted
    for application in applications:
        application.selectable = (
            not locked
            and application.authority_id == authority.pk
            and application.status == Status.SUBMITTED
        )
    return render(
        request,
        "review/queue.html",
        {
            "call": call,
            "calls": call_choices(),
            "authority": authority,
            **listing.page_context(query, context, page),
            "filters": query.form,
            "applications": applications,
            "page": page,
            "counts": [
                (Status(status).label, n) for status, n in status_counts(request.user, call).items()
            ],
            "batch": batch,
            "selectable": any(a.selectable for a in applications),
        },
    )


@login_required
@require_GET
def application_detail(request, pk):
    return _application_page(request, _application(request, pk), DecisionForm())


def _application_page(request, application, form, status=200):
    can_decide = request.user.has_perm("review.decide", application)
    return render(
        request,
        "review/application.html",
        {
            **application_context(application),
            "events": history_rows(application),
            "can_decide": can_decide,
            "copy_only": not can_decide,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def decide(request, pk):
    application = _application(request, pk)
    require(request, "review.decide", application)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            domain.decide(
                application,
                form.cleaned_data["action"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except REVIEW_ERRORS as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已记录审核意见。"))
            return redirect("review:application", pk=pk)
    # The page again, with the chosen opinion and the typed reason kept.
    messages.error(request, _("审核意见未保存，请按提示修改后重新提交。"))
    return _application_page(request, application, form, status=400)


@login_required
@require_POST
def batch_recommend(request, slug):
    call = _call(request, slug)
    require(request, "review.view_queue")
    chosen = visible_to_reviewer(request.user).filter(
        call=call, pk__in=uuids(request.POST.getlist("ids"))
    )
    allowed = [a for a in chosen if request.user.has_perm("review.decide", a)]
    if not allowed:
        messages.info(request, _("请先勾选要推荐的项目。"))
    done, refused = domain.batch_recommend(allowed, by=request.user)
    if done:
        messages.success(request, _("已推荐 %(n)d 个项目。") % {"n": len(done)})
    for application, reason in refused:
        messages.error(request, f"{application}：{reason}")
    return redirect(f"{reverse('review:queue')}?call={call.slug}")


@login_required
@require_GET
def attachment(request, pk, attachment_pk):
    application = _application(request, pk)
    item = get_object_or_404(application.attachments, pk=attachment_pk)
    return download_response(item.file, item.original_name, item.content_type)


# --- The authority's recommendation: table, scan, sending --------------------------------


def _own_batch(request, slug):
    require(request, "review.view_queue")
    batch = domain.batch_for(_call(request, slug), request.user.authority)
    require(request, "review.manage_batch", batch)
    return batch


@login_required
@require_GET
def batch_page(request, slug):
    batch = _own_batch(request, slug)
    return render(request, "review/batch.html", _batch_context(batch))


def _batch_context(batch):
    code = domain.current_code(batch.call, batch.authority)
    return {
        "batch": batch,
        "call": batch.call,
        "recommended": domain.recommended(batch.call, batch.authority),
        "current_code": code,
        "tables": batch.tables.all()[:10],
        "scan": domain.current_scan(batch, code),
        "scans": StampedScan.objects.filter(table__batch=batch).select_related("table")[:10],
        "scan_form": ScanForm(),
        "county_batches": _county_batches(batch),
    }


def _county_batches(batch):
    """For a city: how its counties stand, with their sent tables (the 抄报 copies)."""
    if batch.authority.kind != Authority.Kind.CITY:
        return []
    counties = Authority.objects.filter(
        kind=Authority.Kind.COUNTY, region__parent=batch.authority.region_id
    ).order_by("region_id")
    sent = {
        b.authority_id: b
        for b in RecommendationBatch.objects.filter(call=batch.call, authority__in=counties)
    }
    return [(county, sent.get(county.pk)) for county in counties]


@login_required
@require_POST
def generate_table(request, slug):
    batch = _own_batch(request, slug)
    try:
        table = domain.start_table(batch, by=request.user)
    except REVIEW_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("汇总表（校验码 %(code)s）正在生成，完成后可在下方下载。") % {"code": table.code},
        )
    return redirect("review:batch", slug=slug)


@login_required
@require_POST
def upload_scan(request, slug):
    batch = _own_batch(request, slug)
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择扫描件文件。"))
        return redirect("review:batch", slug=slug)
    try:
        scan = domain.accept_scan(
            batch,
            form.cleaned_data["file"],
            typed_code=form.cleaned_data["typed_code"],
            by=request.user,
        )
    except REVIEW_ERRORS as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("扫描件已上传，对应校验码 %(code)s。") % {"code": scan.table.code}
        )
        if not scan.seal_found:
            messages.warning(request, _("扫描件上未检测到红色公章，请确认已加盖公章。"))
    return redirect("review:batch", slug=slug)


@login_required
@require_POST
def submit_batch(request, slug):
    batch = _own_batch(request, slug)
    if not request.POST.get("confirmed"):  # sending locks the authority's opinions
        messages.error(request, _("请先勾选确认已核对汇总表和盖章扫描件，再报送。"))
        return redirect("review:batch", slug=slug)
    try:
        domain.submit_to_province(batch, by=request.user)
    except REVIEW_ERRORS as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("推荐意见和汇总表已报送省信息化办。"))
    return redirect("review:batch", slug=slug)


@login_required
@require_POST
def reopen_batch(request, pk):
    batch = get_object_or_404(RecommendationBatch, pk=pk)
    require(request, "review.reopen_batch", batch)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            domain.reopen(
                batch,
                by=request.user,
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
            )
        except domain.SubmitRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("已退回 %(authority)s 重新报送。") % {"authority": batch.authority}
            )
            return redirect(_reopen_page(batch))
    table = batch.submitted_table or batch.tables.first()
    if table is None:  # no table page to show the form on: say why where the office lands
        for name, errors in form.errors.items():
            for error in errors:
                label = form.fields[name].label if name in form.fields else ""
                text = _("%(label)s：%(error)s") % {"label": label, "error": error}
                messages.error(request, text if label else error)
        return redirect("home")
    # The table page again, with the typed reason and date kept and the reason for refusal.
    messages.error(request, _("未退回，请按提示修改后重新提交。"))
    return _table_page(request, table, form, status=400)


def _reopen_page(batch):
    """Back to the table the office was reading (the sent one), or home if none."""
    table = batch.submitted_table or batch.tables.first()
    return reverse("review:table", args=[table.pk]) if table else reverse("home")


def _table(request, pk):
    table = get_object_or_404(
        SummaryTable.objects.select_related("batch__authority__region"), pk=pk
    )
    require(request, "review.view_batch", table.batch)
    return table


@login_required
@require_GET
def table_page(request, pk):
    """The on-line copy a table's QR code points to."""
    table = _table(request, pk)
    form = ReopenForm() if request.user.has_perm("review.reopen_batch") else None
    return _table_page(request, table, form)


def _table_page(request, table, reopen_form, status=200):
    batch = table.batch
    return render(
        request,
        "review/table.html",
        {
            "table": table,
            "batch": batch,
            "columns": domain.TABLE_COLUMNS,
            "is_current": table.code == domain.current_code(batch.call, batch.authority),
            "scans": table.scans.all(),
            "reopen_form": reopen_form,
        },
        status=status,
    )


@login_required
@require_GET
def table_progress(request, pk):
    """The table's line on the batch page; polled by htmx while the files are rendered."""
    table = _table(request, pk)
    current = domain.current_code(table.batch.call, table.batch.authority)
    return render(request, "review/_table_item.html", {"t": table, "current_code": current})


@login_required
@require_GET
def table_file(request, pk, fmt):
    table = _table(request, pk)
    field, content_type = {
        "xlsx": (table.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "pdf": (table.pdf, "application/pdf"),
    }[fmt]
    if not field or table.state != SummaryTable.State.READY:
        raise Http404
    return download_response(field, f"{tables.title(table)}-{table.code}.{fmt}", content_type)


@login_required
@require_GET
def scan_file(request, pk):
    scan = get_object_or_404(StampedScan.objects.select_related("table__batch__authority"), pk=pk)
    require(request, "review.view_batch", scan.table.batch)
    return download_response(scan.file, scan.original_name, scan.content_type)
