"""The querysets behind each endpoint, cut to what the caller may read.

Each is ordered on a unique key at the end, so paging is stable, and joins what its rows
show, so a list costs the same number of queries whatever its length. Objects outside the
caller's reach are simply not in its queryset: looking one up answers 404.
"""

from django.db.models import Q

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import RECOMMENDED_ONWARDS, Status
from keyprojects.calls.queries import published_calls
from keyprojects.cases import queries as case_queries
from keyprojects.notices.models import PublicNotice
from keyprojects.notices.queries import public_notices
from keyprojects.orgs.models import Region
from keyprojects.tracking.models import ProgressReport

SENT_REPORTS = [ProgressReport.State.SUBMITTED, ProgressReport.State.EVALUATED]
PROVINCIAL = "province"  # the city filter's value for provincial units (省级)


def calls(year=None):
    result = published_calls()
    if year is not None:
        result = result.filter(year=year)
    return result.order_by("-window_opens_at", "slug")


def regions(kind=None, parent=None):
    result = Region.objects.all()
    if kind:
        result = result.filter(kind=kind)
    if parent:
        result = result.filter(parent_id=parent)
    return result.order_by("code")


def notices(call=None, state=None):
    result = public_notices()
    if call:
        result = result.filter(call__slug=call)
    if state:
        result = result.filter(state=state)
    return result.order_by("-starts_on", "pk")


def _application_filters(result, *, call=None, year=None, category=None, city=None, status=None):
    if call:
        result = result.filter(call__slug=call)
    if year is not None:
        result = result.filter(call__year=year)
    if category:
        result = result.filter(category__code=category)
    if city:
        in_city = Q(organisation__seat_id=city) | Q(organisation__seat__parent_id=city)
        result = result.filter(in_city)
    if status:
        result = result.filter(status=status)
    return result


def selected(**filters):
    """Selected projects of calls whose list is final: the published final lists."""
    result = Application.objects.filter(
        status=Status.SELECTED, call__public_notice__state=PublicNotice.State.FINALISED
    ).select_related("call", "category", "organisation__seat__parent", "notice_decision__tier")
    return _application_filters(result, **filters).order_by(
        "-call__year",
        "call__slug",
        "notice_decision__tier__order",
        "category__order",
        "category__code",
        "name",
        "pk",
    )


def projects(caller, **filters):
    """Recommended onwards: all for the office and province-wide tokens; the applications
    routed or copied to its authority for a reviewer or an authority's token."""
    result = Application.objects.filter(status__in=RECOMMENDED_ONWARDS)
    if not caller.province_wide:
        if caller.authority_id is None:
            return Application.objects.none()
        result = result.filter(
            Q(authority_id=caller.authority_id) | Q(copy_authority_id=caller.authority_id)
        )
    result = result.select_related(
        "call",
        "category",
        "organisation__seat__parent",
        "authority",
        "copy_authority",
        "notice_decision__tier",
    )
    return _application_filters(result, **filters).order_by(
        "-call__year", "call__slug", "category__order", "category__code", "name", "pk"
    )


def my_applications(caller, call=None):
    result = Application.objects.filter(organisation_id=caller.organisation_id).select_related(
        "call", "category", "notice_decision__tier"
    )
    if call:
        result = result.filter(call__slug=call)
    return result.order_by("-call__window_opens_at", "-created_at", "pk")


def finalised_notices(call_ids) -> dict:
    """{call id: its finalised notice} for the given calls, in one query."""
    rows = PublicNotice.objects.filter(
        call_id__in=set(call_ids), state=PublicNotice.State.FINALISED
    )
    return {notice.call_id: notice for notice in rows}


def cases(year=None, category=None, city=None, q=""):
    from keyprojects.cases import search

    return case_queries.library(
        year=year, category=category or "", city=city or "", query_terms=search.terms(q or "")
    )


def case(pk):
    return case_queries.published().prefetch_related("figures", "images").filter(pk=pk).first()


def reports(caller, *, round=None, state=None, year=None, city=None):
    """Every report for the office and province-wide tokens; for an authority, the reports
    routed to it once sent (as its reviewers' pages show them)."""
    result = ProgressReport.objects.all()
    if not caller.province_wide:
        if caller.authority_id is None:
            return ProgressReport.objects.none()
        result = result.filter(authority_id=caller.authority_id, state__in=SENT_REPORTS)
    if round:
        result = result.filter(round_id=round)
    if state:
        result = result.filter(state=state)
    if year is not None:
        result = result.filter(project__year=year)
    if city == PROVINCIAL:
        result = result.filter(project__city__isnull=True)
    elif city:
        result = result.filter(project__city_id=city)
    return result.select_related(
        "round", "project__city", "authority", "comment__authority", "evaluation"
    ).order_by("-round__opened_at", "round_id", "project__name", "pk")
