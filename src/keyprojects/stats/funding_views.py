"""The office's funding priority pages: the list of selected projects with filters, marking,
changing and unmarking one project, and the XLSX for the finance process. Office only:
anyone else gets "not found" (anonymous visitors the login page)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.applications.models import Application
from keyprojects.audit.domain import history
from keyprojects.core.access import require
from keyprojects.documents import listings

from . import domain, exports, queries
from .forms import FundingFilter, FundingForm, UnmarkForm
from .models import FundingPriority

PAGE_SIZE = 50


def _criteria(request):
    filters = FundingFilter(request.GET or None)
    criteria = filters.criteria()
    query = urlencode(
        [(key, value.slug if key == "call" else value) for key, value in criteria.items() if value]
    )
    return filters, criteria, query


@login_required
@require_GET
def funding_list(request):
    listing = listings.get("funding")
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    page = query.page(
        listing.rows(request.user, query, context), PAGE_SIZE, request.GET.get("page")
    )
    return render(
        request,
        "stats/funding_list.html",
        {**listing.page_context(query, context, page), "filters": query.form, "page": page},
    )


@login_required
@require_GET
def funding_export(request):
    require(request, "stats.view_funding")
    filters, criteria, _query = _criteria(request)
    names = dict(filters.fields["category"].choices)
    subtitle = "；".join(
        [
            f"年度批次：{criteria['call'].title if criteria['call'] else '全部'}",
            f"工程类别：{names.get(criteria['category']) if criteria['category'] else '全部'}",
            f"设区市：{dict(filters.fields['city'].choices).get(criteria['city'], '全部')}",
        ]
    )
    rows = queries.funding_export_rows(
        **{key: criteria[key] for key in ["call", "category", "city"]}
    )
    response = HttpResponse(exports.funding_xlsx(rows, subtitle), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, "专项资金优先支持项目表.xlsx"
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _application(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("call", "category", "organisation__seat__parent"),
        pk=pk,
    )
    require(request, "stats.mark_funding", application)
    return application


def _priority(application):
    return (
        FundingPriority.objects.select_related("marked_by", "unmarked_by")
        .filter(application=application)
        .first()
    )


def _back(request):
    back = request.GET.get("back", "")
    return reverse("stats:funding") + ("?" + back if back else "")


def _page(request, application, form=None, unmark_form=None, status=200):
    priority = _priority(application)
    version = domain.version_of(priority)
    if form is None:
        initial = {"version": version}
        if priority is not None and priority.is_marked:
            initial |= {"amount": priority.amount, "note": priority.note}
        form = FundingForm(initial=initial, application=application)
    context = {
        "application": application,
        "priority": priority,
        "form": form,
        "unmark_form": unmark_form or UnmarkForm(initial={"version": version}),
        "events": history(priority).order_by("-seq") if priority else [],
        "back": request.GET.get("back", ""),
        "back_url": _back(request),
    }
    return render(request, "stats/funding_edit.html", context, status=status)


def _rebased(form, current):
    """After a refused stale save, the typed values stay and the next submit knowingly
    replaces what the other person saved."""
    form.data = form.data.copy()
    form.data["version"] = str(domain.version_of(current))
    return form


@login_required
@require_http_methods(["GET", "POST"])
def funding_edit(request, pk):
    application = _application(request, pk)
    if request.method == "GET":
        return _page(request, application)
    form = FundingForm(request.POST, application=application)
    if not form.is_valid():
        return _page(request, application, form=form, status=400)
    data = form.cleaned_data
    try:
        domain.mark(
            application,
            amount=data["amount"],
            note=data["note"],
            by=request.user,
            expected_version=data["version"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    except domain.StaleFunding as stale:
        messages.error(request, str(stale))
        return _page(request, application, form=_rebased(form, stale.current), status=409)
    except domain.FundingRefused as error:
        form.add_error(None, str(error))
        return _page(request, application, form=form, status=400)
    messages.success(request, _("已标记“%(name)s”专项资金优先支持。") % {"name": application.name})
    return redirect(_back(request))


@login_required
@require_POST
def funding_unmark(request, pk):
    application = _application(request, pk)
    form = UnmarkForm(request.POST)
    if not form.is_valid():
        return _page(request, application, unmark_form=form, status=400)
    try:
        domain.unmark(
            application,
            reason=form.cleaned_data["reason"],
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except PermissionDenied as error:
        raise Http404 from error
    except domain.StaleFunding as stale:
        messages.error(request, str(stale))
        return _page(request, application, unmark_form=_rebased(form, stale.current), status=409)
    except domain.FundingRefused as error:
        form.add_error(None, str(error))
        return _page(request, application, unmark_form=form, status=400)
    messages.success(request, _("已取消“%(name)s”的优先支持。") % {"name": application.name})
    return redirect(_back(request))
