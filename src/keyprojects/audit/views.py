from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keyprojects.core.access import require
from keyprojects.core.clock import china_time, now
from keyprojects.documents import listings

from . import chain, exports
from .models import Event

PAGE_SIZE = 50
# The problems kept in the session for the page; a broken chain can list thousands.
PROBLEMS_SHOWN = 50


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
    listing = listings.get("audit")
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    page = query.page(
        listing.rows(request.user, query, context), PAGE_SIZE, request.GET.get("page")
    )
    return render(
        request,
        "audit/events.html",
        {
            **listing.page_context(query, context, page),
            "form": query.form,
            "page": page,
            "rows": [exports.describe(e) for e in page],
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
