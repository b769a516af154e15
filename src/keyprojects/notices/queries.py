"""Reusable querysets: each list page runs a fixed number of SQL queries whatever its length."""

from django.db.models import Count, Q

from keyprojects.applications.models import Application
from keyprojects.applications.queries import LISTED
from keyprojects.applications.workflow import Status

from .models import Objection, PublicNotice

# The applications the office decides on: passed the formal check, and what it made of them.
DECIDABLE = [Status.CHECK_PASSED, Status.SELECTED, Status.NOT_SELECTED]


def _with_relations(queryset):
    return queryset.select_related(
        "organisation__seat__parent", "category", "notice_decision__tier"
    )


def decidable(call):
    return _with_relations(call.applications.filter(status__in=DECIDABLE))


# What the notice's list shows of each selected application and of what is joined to it
# (publication.list_content, the objection form's choices).
SHOWN = [
    *LISTED,
    "category__order",
    "notice_decision__tier__name",
    "notice_decision__tier__order",
]


def selected(call):
    """The list as it stands: selected applications, highest tier first."""
    return (
        _with_relations(call.applications.filter(status=Status.SELECTED))
        .only(*SHOWN)
        .order_by("notice_decision__tier__order", "category__order", "category_id", "name")
    )


def city_name(region) -> str:
    """The prefecture city (设区市) of a seat: what a notice shows of an applicant's place."""
    if region is None:
        return ""
    if region.is_county_level and region.parent is not None:
        return region.parent.name
    return region.name


def public_notices():
    return (
        PublicNotice.objects.filter(
            state__in=[PublicNotice.State.PUBLISHED, PublicNotice.State.FINALISED]
        )
        .select_related("call")
        .order_by("-starts_on")
    )


def open_objections(notice):
    return notice.objections.exclude(state=Objection.State.ANSWERED)


def objections_of(notice):
    return notice.objections.select_related("application__organisation").order_by("filed_at")


def objection_counts(notices) -> dict:
    """Open and total objections per notice, in one query."""
    rows = (
        Objection.objects.filter(notice__in=notices)
        .values("notice_id")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=~Q(state=Objection.State.ANSWERED)),
        )
        .order_by()
    )
    return {row["notice_id"]: (row["open"], row["total"]) for row in rows}


def final_notice_for(application: Application):
    """The finalised notice that settled this application's outcome, if there is one."""
    if application.status not in {Status.SELECTED, Status.NOT_SELECTED}:
        return None
    return PublicNotice.objects.filter(
        call_id=application.call_id, state=PublicNotice.State.FINALISED
    ).first()
