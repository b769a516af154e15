from django.db.models import Count

from .models import Application


def visible_to(user):
    """The applications a user may open; anything else must answer "not found"."""
    if not user.is_authenticated or user.organisation_id is None:
        return Application.objects.none()
    return Application.objects.filter(organisation_id=user.organisation_id)


def organisation_applications(user):
    return (
        visible_to(user)
        .select_related("call", "category", "updated_by")
        .annotate(attachment_count=Count("attachments"))
        .order_by("-call__window_opens_at", "-updated_at")
    )
