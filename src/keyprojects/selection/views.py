"""The provincial office's formal check and duplicate detection. Office only: anything
else answers "not found" (anonymous users are sent to log in)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.applications.models import Application
from keyprojects.applications.printing import application_context, history_rows
from keyprojects.applications.workflow import COUNTED, TransitionRefused
from keyprojects.audit.domain import history
from keyprojects.calls.models import Call
from keyprojects.calls.queries import call_choices
from keyprojects.core.access import require
from keyprojects.core.clock import china_time
from keyprojects.documents import listings
from keyprojects.documents.responses import download_response

from . import checklist, domain, indexing, queries, similarity
from .forms import CheckForm, PairFilter, PairForm, check_initial
from .models import FormalCheck, SimilarityRun, SimilarPair

PAGE_SIZE = 50
CHECK_ERRORS = (domain.CheckRefused, TransitionRefused)


def _call(request, slug):
    call = get_object_or_404(Call.objects.prefetch_related("categories"), slug=slug)
    require(request, "selection.view_overview", call)
    return call


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request):
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


@login_required
@require_GET
def index(request):
    require(request, "selection.view_overview")
    calls = Call.objects.order_by("-window_opens_at")
    wanted = request.GET.get("call")
    call = get_object_or_404(calls, slug=wanted) if wanted else calls.first()
    if call is None:
        raise Http404
    return redirect("selection:overview", slug=call.slug)


@login_required
@require_GET
def overview(request, slug):
    listing = listings.get("selection_overview")
    context = listing.context(request.user, {"call": slug})
    call = context["call"]
    query = listing.query(request.user, request.GET, context)
    page = query.page(
        listing.rows(request.user, query, context),
        PAGE_SIZE,
        request.GET.get("page"),
        # by id alone: the ids are the call's recommended ones, and with those filters again
        # SQLite scans every recommended application for them
        load=lambda ids: queries.flagged(call, Application.objects.filter(pk__in=ids)),
    )
    counts, missing, sent = queries.summary(call)
    return render(
        request,
        "selection/overview.html",
        {
            "call": call,
            "calls": call_choices(Call.objects.all()),  # the office sees unpublished ones too
            **listing.page_context(query, context, page),
            "filters": query.form,
            "page": page,
            "counts": counts,
            "not_sent": missing,
            "sent": sent,
        },
    )


def _application(request, pk):
    application = get_object_or_404(
        Application.objects.filter(status__in=COUNTED).select_related(
            "call", "organisation", "category", "authority"
        ),
        pk=pk,
    )
    require(request, "selection.formal_check", application)
    return application


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk):
    """The checklist of one application and the office's verdict on it."""
    application = _application(request, pk)
    items = checklist.items_for(application)
    saved = FormalCheck.objects.select_related("checked_by").filter(application=application).first()
    if request.method == "GET":
        form = CheckForm(initial=check_initial(items, saved, domain.default_until()), items=items)
        return _check_page(request, application, items, saved, form)
    form = CheckForm(request.POST, items=items)
    if not form.is_valid():
        return _check_page(request, application, items, saved, form, status=400)
    data = form.cleaned_data
    try:
        domain.record_check(
            application,
            results=form.results(),
            notes=data["notes"],
            verdict=data["verdict"],
            reason=data["reason"],
            until=data["until"],
            by=request.user,
            expected_version=data["version"],
        )
    except domain.StaleCheck as stale:
        messages.error(request, _stale_message(stale.current))
        return _check_page(
            request, application, items, stale.current, form, status=409, rebase=True
        )
    except CHECK_ERRORS as error:
        messages.error(request, str(error))
        return _check_page(request, application, items, saved, form, status=400)
    messages.success(request, _("已保存形式审查。"))
    back = request.GET.get("back", "")
    return redirect(
        reverse("selection:check", args=[pk]) + ("?" + urlencode({"back": back}) if back else "")
    )


def _labelled(events, verdicts):
    """Events with their verdicts in Chinese: (event, from, to)."""
    labels = dict(verdicts.choices)
    return [
        (e, labels.get(e.from_state, e.from_state), labels.get(e.to_state, e.to_state))
        for e in events
    ]


def _stale_message(current):
    if current is None:
        return _("审查记录已被他人修改，请刷新页面后重试。")
    who = current.checked_by or "—"
    when = f"{china_time(current.checked_at):%Y-%m-%d %H:%M}" if current.checked_at else ""
    return _(
        "%(who)s 已于 %(when)s 保存了该项目的形式审查（结论：%(verdict)s），您的修改未保存。"
        "您填写的内容仍保留在下方，请核对对方的结论后再决定是否重新提交。"
    ) % {"who": who, "when": when, "verdict": current.get_verdict_display()}


def _check_page(request, application, items, saved, form, status=200, rebase=False):
    back = request.GET.get("back", "")
    if rebase and saved is not None:
        # After a refused stale save, a new submit knowingly replaces what the other saved.
        form.data = form.data.copy()
        form.data["version"] = str(saved.version)
    context = {
        **application_context(application),
        "events": history_rows(application),
        "items": items,
        "saved": saved,
        "saved_items": {item["key"]: item for item in saved.items} if saved else {},
        "check_events": _labelled(history(saved), FormalCheck.Verdict) if saved else [],
        "form": form,
        "checkable": application.status in domain.CHECKABLE,
        "pairs": checklist.suspected_pairs(application),
        "similarity_gap": checklist.similarity_gap(application),
        "back": back,
        "back_url": (
            reverse("selection:overview", args=[application.call.slug])
            + ("?" + back if back else "")
        ),
    }
    return render(request, "selection/check.html", context, status=status)


@login_required
@require_GET
def attachment(request, pk, attachment_pk):
    application = _application(request, pk)
    item = get_object_or_404(application.attachments, pk=attachment_pk)
    return download_response(item.file, item.original_name, item.content_type)


# --- Duplicates and continuations ------------------------------------------------------


# Still found first; among them the suspected continuations (a 二期 shares its name more
# than its text, so it would sort last by content), then the most alike.
PAIR_ORDER = ("-current", "-continuation", "-jaccard", "-name_jaccard", "pk")


@login_required
@require_GET
def duplicates(request, slug):
    call = _call(request, slug)
    filters = PairFilter(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    pairs = SimilarPair.objects.filter(call=call).select_related(
        "application__organisation", "other_application__organisation", "past_project"
    )
    kind, verdict = criteria.get("kind"), criteria.get("verdict")
    if kind == "applications":
        pairs = pairs.filter(other_application__isnull=False)
    elif kind == "past":
        pairs = pairs.filter(past_project__isnull=False)
    elif kind == "continuation":
        pairs = pairs.filter(continuation=True)
    if verdict == "open":
        pairs = pairs.filter(verdict="", current=True)
    elif verdict:
        pairs = pairs.filter(verdict=verdict)
    return render(
        request,
        "selection/duplicates.html",
        {
            "call": call,
            "filters": filters,
            "page": _page(request, pairs.order_by(*PAIR_ORDER)),
            "query": _query_without_page(request),
            "run": SimilarityRun.objects.filter(call=call).select_related("call").first(),
            "running": indexing.running(call),
        },
    )


@login_required
@require_POST
def run_similarity(request, slug):
    call = _call(request, slug)
    require(request, "selection.run_similarity", call)
    try:
        indexing.start_run(call, by=request.user)
    except domain.CheckRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已开始计算相似度，本页显示进度，完成后可刷新查看结果。"))
    return redirect("selection:duplicates", slug=call.slug)


@login_required
@require_GET
def similarity_progress(request, slug):
    """The latest run's state, polled by the duplicates page while it runs (htmx)."""
    call = _call(request, slug)
    run = SimilarityRun.objects.filter(call=call).select_related("call").first()
    if run is None:
        return HttpResponse(_("尚未计算。"))
    return render(request, "_progress.html", {"job": run.job})


def _pair(request, pk):
    pair = get_object_or_404(
        SimilarPair.objects.select_related(
            "call",
            "application__organisation",
            "other_application__organisation",
            "past_project",
            "verdict_by",
        ),
        pk=pk,
    )
    require(request, "selection.judge_pair", pair)
    return pair


@login_required
@require_http_methods(["GET", "POST"])
def pair(request, pk):
    pair = _pair(request, pk)
    form = PairForm(request.POST or None, initial={"verdict": pair.verdict})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                domain.judge_pair(
                    pair,
                    form.cleaned_data["verdict"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except domain.CheckRefused as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("已记录判断。"))
                return redirect("selection:pair", pk=pk)
        status = 400
    left = indexing.application_document(pair.application)
    right = (
        indexing.application_document(pair.other_application)
        if pair.other_application
        else indexing.past_document(pair.past_project)
    )
    left_pieces, right_pieces = similarity.highlighted(left.text, right.text)
    return render(
        request,
        "selection/pair.html",
        {
            "pair": pair,
            "call": pair.call,
            "form": form,
            "left_pieces": left_pieces,
            "right_pieces": right_pieces,
            "events": _labelled(history(pair), SimilarPair.Verdict),
        },
        status=status,
    )
