from django.db.models import Count, Exists, OuterRef, Q, Value

from keyprojects.applications.models import Application, Attachment
from keyprojects.applications.queries import LISTED
from keyprojects.applications.workflow import REVIEWABLE
from keyprojects.audit.queries import until_next_event


def visible_to_reviewer(user):
    """Applications routed or copied to the reviewer's authority; nothing else."""
    if not user.is_authenticated or user.authority_id is None:
        return Application.objects.none()
    return Application.objects.filter(status__in=REVIEWABLE).filter(
        Q(authority_id=user.authority_id) | Q(copy_authority_id=user.authority_id)
    )


def with_required_attachments(queryset, call):
    """Annotate `missing_attachments` (True when a kind the call requires is absent)."""
    if not call.required_attachment_kinds:
        return queryset.annotate(missing_attachments=Value(False))
    missing = Q()
    for kind in call.required_attachment_kinds:
        missing |= ~Exists(Attachment.objects.filter(application=OuterRef("pk"), kind=kind))
    return queryset.annotate(missing_attachments=missing)


# What the queue page and its export show of each application and of what is joined to it.
SHOWN = [
    *LISTED,
    "submitted_at",
    "copy_authority",
    "organisation__credit_code",
    "authority__name",
]


def shown_in_queue(applications, call):
    """`applications` with what the queue shows of each: missing attachments, the related
    names; only the SHOWN fields (a row with all its joined tables is ~60 columns)."""
    return (
        with_required_attachments(applications, call)
        .select_related("organisation__seat__parent", "category", "authority")
        .only(*SHOWN)
    )


def queue(user, call, *, category=None, county=None, status=None, missing=None):
    applications = shown_in_queue(visible_to_reviewer(user).filter(call=call), call)
    if category:
        applications = applications.filter(category_id=category)
    if county:
        applications = applications.filter(organisation__seat_id=county)
    if status:
        applications = applications.filter(status=status)
    if missing:
        applications = applications.filter(missing_attachments=True)
    return applications.order_by("organisation__seat_id", "submitted_at")


def status_counts(user, call) -> dict:
    """How many of the authority's applications of `call` are in each status (kept until
    the next recorded change: it reads every one of them)."""

    def count():
        rows = (
            visible_to_reviewer(user)
            .filter(call=call)
            .values("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["status"]: row["n"] for row in rows}

    return until_next_event(f"review.status_counts:{user.authority_id}:{call.pk}", count)
