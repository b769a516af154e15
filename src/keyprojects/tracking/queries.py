"""Reusable querysets of tracking evaluation: each list page runs a fixed number of SQL
queries whatever its length, and the statistics dashboard reads completion from here."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from keyprojects.core.clock import now

from .models import ProgressReport, TrackedProject, TrackingRound
from .workflow import EDITABLE

State = ProgressReport.State
SENT = [State.SUBMITTED, State.EVALUATED]


def _reports():
    return ProgressReport.objects.select_related(
        "round",
        "project__city",
        "project__organisation",
        "authority",
        "evaluation",
        "comment",
    ).annotate(attachment_count=Count("attachments"))


def round_reports(round_, *, state="", city="", late="", at=None):
    """The round's reports, filtered as the office's round page asks (GET parameters)."""
    reports = _reports().filter(round=round_)
    if state:
        reports = reports.filter(state=state)
    if city == "province":
        reports = reports.filter(project__city__isnull=True)
    elif city:
        reports = reports.filter(project__city_id=city)
    if late == "overdue":
        overdue = (at or now()) >= round_.due_at
        reports = reports.filter(state__in=EDITABLE) if overdue else reports.none()
    elif late == "late":
        reports = reports.filter(late=True)
    return reports.order_by("project__city_id", "project__name", "pk")


def round_counts(round_, at=None) -> dict:
    """Reports per state, and how many were sent late or are overdue, in one query."""
    overdue = (at or now()) >= round_.due_at
    totals = round_.reports.aggregate(
        total=Count("pk"),
        late=Count("pk", filter=Q(late=True)),
        unsent=Count("pk", filter=Q(state__in=EDITABLE)),
        unmatched=Count("pk", filter=Q(project__organisation__isnull=True)),
        **{state: Count("pk", filter=Q(state=state)) for state in State.values},
    )
    totals["overdue"] = totals["unsent"] if overdue else 0
    totals["states"] = [(state, label, totals[state]) for state, label in State.choices]
    return totals


def completion(round_) -> list[dict]:
    """Tracking completion by city for the statistics dashboard: one row per city (None
    for provincial units), with total, sent (submitted or evaluated), evaluated and the
    share sent in percent. One query."""
    rows = (
        round_.reports.values("project__city_id", "project__city__name")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(state__in=SENT)),
            evaluated=Count("pk", filter=Q(state=State.EVALUATED)),
        )
        .order_by("project__city_id")
    )
    return [
        {
            "city_code": row["project__city_id"],
            "city": row["project__city__name"] or str(_("省级")),
            "total": row["total"],
            "sent": row["sent"],
            "evaluated": row["evaluated"],
            "percent": round(100 * row["sent"] / row["total"]) if row["total"] else 0,
        }
        for row in rows
    ]


def my_reports(user):
    """The reports of the user's organisation, newest round first."""
    return (
        _reports()
        .filter(project__organisation_id=user.organisation_id)
        .order_by("-round__opened_at", "project__name", "pk")
    )


def area_reports(user, round_=None):
    """The reports routed to the reviewer's authority that it may read."""
    reports = _reports().filter(authority_id=user.authority_id, state__in=SENT)
    if round_ is not None:
        reports = reports.filter(round=round_)
    return reports.order_by("-round__opened_at", "state", "project__name", "pk")


def rounds():
    return TrackingRound.objects.annotate(
        total=Count("reports"),
        sent=Count("reports", filter=Q(reports__state__in=SENT)),
    ).order_by("-opened_at")


def tracked_projects(*, source="", year=None, city="", matched=""):
    projects = TrackedProject.objects.select_related("city", "organisation")
    if source:
        projects = projects.filter(source=source)
    if year:
        projects = projects.filter(year=year)
    if city == "province":
        projects = projects.filter(city__isnull=True)
    elif city:
        projects = projects.filter(city_id=city)
    if matched == "yes":
        projects = projects.filter(organisation__isnull=False)
    elif matched == "no":
        projects = projects.filter(organisation__isnull=True)
    return projects.order_by("-year", "name", "pk")


def earlier_key_projects(year):
    """Key projects selected before `year`, for selection's continuation check (二期).

    Each has the attributes selection.indexing.past_document reads: pk, name, content,
    applicant_credit_code (and year, applicant_name, category_name, city_name).
    """
    return TrackedProject.objects.filter(year__lt=year).select_related("city").order_by("pk")


def dashboard_completion(round_=None):
    """The statistics dashboard's tracking panel: the given (else the newest) round's
    completion by city, as {"round", "rows": [{"label", "due", "filed", "evaluated"}]};
    None when no round was ever opened. Two queries."""
    round_ = round_ or TrackingRound.objects.order_by("-opened_at").first()
    if round_ is None:
        return None
    return {
        "round": round_,
        "rows": [
            {
                "label": row["city"],
                "due": row["total"],
                "filed": row["sent"],
                "evaluated": row["evaluated"],
            }
            for row in completion(round_)
        ],
    }
