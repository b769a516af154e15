from django.db.models import Count, Exists, OuterRef

from .models import Application

# What every list of applications shows of a row (with `.only()`, beside what it shows
# more): the name, status and money, the organisation and where it is, the category. A
# row with all its fields and joins is 60–90 columns; building and converting the ones
# nothing shows was a third of a 50-row page's time and of a 10,000-row export's.
LISTED = [
    "call",  # the related manager sets each row's call: without it, a query per row
    "name",
    "status",
    "total_investment",
    "civil_works_investment",
    "organisation__name",
    "organisation__seat__name",
    "organisation__seat__kind",
    "organisation__seat__parent__name",
    "organisation__seat__parent__kind",
    "category__name",
]


def visible_to(user):
    """The applications a user may open; anything else must answer "not found"."""
    if not user.is_authenticated or user.organisation_id is None:
        return Application.objects.none()
    return Application.objects.filter(organisation_id=user.organisation_id)


def organisation_applications(user):
    return with_outcome(
        visible_to(user)
        .select_related("call", "category", "updated_by")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-call__window_opens_at", "-updated_at")
    )


def _final_lists():
    from keyprojects.notices.models import PublicNotice  # notices builds on applications

    return PublicNotice.objects.filter(state=PublicNotice.State.FINALISED)


def with_outcome(applications):
    """With `outcome_final`: whether the call's final list is settled, after which the
    applicant sees where the province's steps left each application."""
    return applications.annotate(outcome_final=Exists(_final_lists().filter(call=OuterRef("call"))))


def outcome_final(call_id) -> bool:
    return _final_lists().filter(call_id=call_id).exists()
