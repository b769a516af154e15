"""Querysets of the office's pages, each a fixed number of SQL queries whatever the rows."""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

from keyprojects.applications.models import Application
from keyprojects.applications.queries import LISTED
from keyprojects.applications.workflow import COUNTED, RECOMMENDED_ONWARDS, Status
from keyprojects.audit.queries import until_next_event
from keyprojects.core.clock import china_time
from keyprojects.orgs.models import Authority, Region
from keyprojects.review.models import RecommendationBatch
from keyprojects.review.queries import with_required_attachments

from .models import SimilarPair

# What the overview page and its export show of each application and of what is joined to
# it (the flags and the check are annotated).
SHOWN = [*LISTED, "submitted_at", "organisation__credit_code", "authority__name"]

# The check states the office filters by, as application statuses.
CHECK_STATES = {
    "pending": {Status.RECOMMENDED},
    "passed": {Status.CHECK_PASSED, Status.SELECTED, Status.NOT_SELECTED},
    "failed": {Status.CHECK_FAILED},
}


def recommended(call):
    """Every application an authority recommended, whatever the province made of it."""
    return call.applications.filter(status__in=RECOMMENDED_ONWARDS)


def open_pairs():
    """Pairs still to be looked at or confirmed: found by the last computation, or ruled
    a duplicate; never those ruled not a duplicate."""
    return SimilarPair.objects.filter(
        Q(current=True) | Q(verdict=SimilarPair.Verdict.DUPLICATE)
    ).exclude(verdict=SimilarPair.Verdict.NOT_DUPLICATE)


def _pair_count():
    pairs = (
        open_pairs()
        .filter(Q(application=OuterRef("pk")) | Q(other_application=OuterRef("pk")))
        .filter(other_application__isnull=False)  # earlier projects: the continuation flag
        .order_by()
        .values("call")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(pairs, output_field=IntegerField()), Value(0))


def overview(call, *, category=None, city=None, authority=None, state=None):
    """The office's list, filtered and ordered; plain rows, so paging it stays cheap at
    province scale (the page's rows get their flags from `flagged`)."""
    rows = recommended(call)
    if category:
        rows = rows.filter(category_id=category)
    if city:
        rows = rows.filter(Q(organisation__seat__parent_id=city) | Q(organisation__seat_id=city))
    if authority:
        rows = rows.filter(authority_id=authority)
    if state:
        rows = rows.filter(status__in=CHECK_STATES[state])
    return rows.order_by("authority__kind", "authority__name", "submitted_at", "pk")


def flagged(call, applications):
    """`applications` (a queryset of the call's) with what the list shows of each: missing
    attachments, open duplicate pairs, continuation, who checked it and when (`checked_by`,
    `checked_at`: None while unchecked); only the SHOWN fields."""
    return (
        with_required_attachments(applications, call)
        .select_related("organisation__seat__parent", "category", "authority")
        .annotate(
            pair_count=_pair_count(),
            continuation=Exists(
                open_pairs().filter(
                    application=OuterRef("pk"), past_project__isnull=False, continuation=True
                )
            ),
            # values, not the check and its user as objects: most rows of the list have no
            # check yet, and each such row made the template fail a lookup (an exception)
            checked_at=F("formal_check__checked_at"),
            checked_by=Coalesce(
                NullIf("formal_check__checked_by__full_name", Value("")),
                "formal_check__checked_by__username",
            ),
        )
        .only(*SHOWN)
    )


def summary(call):
    """The overview's counts of recommended applications (by state, category, city and
    authority) and who has sent their recommendations: (counts, not sent, sent).

    One pass over the call's applications grouped by ids, kept with the authorities
    expected to send until the next recorded change (both read every application of the
    call); then the names from the small tables: the call's categories (prefetched with
    it), the cities, and one load of the authorities both parts name."""
    states, categories, cities, authorities, expected = until_next_event(
        f"selection.summary:{call.pk}", lambda: (*_grouped_counts(call), _expected_ids(call))
    )
    named = list(
        Authority.objects.filter(pk__in={*authorities, *expected}).order_by("kind", "name")
    )
    city_names = dict(Region.objects.filter(pk__in=cities).values_list("code", "name"))
    counted = {
        "category": [
            {
                "category_id": c.pk,
                "category__name": c.name,
                "category__order": c.order,
                "n": categories[c.pk],
            }
            for c in sorted(call.categories.all(), key=lambda c: (c.order, c.pk))
            if c.pk in categories
        ],
        "city": [
            {
                "organisation__seat__parent_id": code,
                "organisation__seat__parent__name": city_names.get(code),
                "n": cities[code],
            }
            for code in sorted(cities, key=lambda code: code or "")
        ],
        "authority": [
            {
                "authority_id": a.pk,
                "authority__name": a.name,
                "authority__kind": a.kind,
                "n": authorities[a.pk],
            }
            for a in named
            if a.pk in authorities
        ],
        "state": {
            key: sum(states.get(status, 0) for status in statuses)
            for key, statuses in CHECK_STATES.items()
        },
        "total": sum(states.values()),
    }
    missing, sent = _sending_status(call, expected, {a.pk: a for a in named}, authorities)
    return counted, missing, sent


def _grouped_counts(call) -> tuple:
    groups = (
        recommended(call)
        .order_by()
        .values_list("status", "category_id", "organisation__seat_id", "authority_id")
        .annotate(n=Count("pk"))
    )
    states, categories, cities, authorities = {}, {}, {}, {}
    city_of = dict(Region.objects.values_list("code", "parent_id"))
    for status, category, seat, authority, n in groups:
        states[status] = states.get(status, 0) + n
        categories[category] = categories.get(category, 0) + n
        cities[city_of.get(seat)] = cities.get(city_of.get(seat), 0) + n
        authorities[authority] = authorities.get(authority, 0) + n
    return states, categories, cities, authorities


def authorities_expected(call):
    """Who should send a recommendation for the call: every city and county authority
    existing during the call, and every provincial department with applications routed
    to it."""
    opened = china_time(call.window_opens_at).date()
    closed = china_time(call.recommendation_deadline).date()
    departments = (
        Application.objects.filter(call=call, status__in=COUNTED)
        .exclude(authority__isnull=True)
        .values("authority_id")
    )
    local = (
        Q(kind__in=[Authority.Kind.CITY, Authority.Kind.COUNTY])
        & (Q(region__abolished_on__isnull=True) | Q(region__abolished_on__gt=opened))
        & (Q(region__established_on__isnull=True) | Q(region__established_on__lte=closed))
    )
    routed = Q(kind=Authority.Kind.DEPARTMENT, pk__in=departments)
    return (
        Authority.objects.filter(local | routed)
        .select_related("region")
        .order_by("kind", "region_id", "name")
    )


def _expected_ids(call) -> list:
    # Ids, not the authorities: unpickling them took longer than loading them again.
    return list(authorities_expected(call).values_list("pk", flat=True))


def _sending_status(call, expected, named, recommended):
    """(not sent, sent): lists of (authority, batch or None) in the order of `expected`,
    each authority with how many it `recommended`."""
    batches = {b.authority_id: b for b in RecommendationBatch.objects.filter(call=call)}
    sent, missing = [], []
    for authority in (named[pk] for pk in expected if pk in named):
        authority.recommended = recommended.get(authority.pk, 0)
        batch = batches.get(authority.pk)
        (sent if batch is not None and batch.is_submitted else missing).append((authority, batch))
    return missing, sent
