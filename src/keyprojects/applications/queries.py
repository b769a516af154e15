from django.db import models
from django.db.models import Count

from keyprojects.core.fields import encrypted_fields

from .models import Application

# What no list shows: the form's long texts, its JSON parts and the encrypted contact
# columns (of the rows and of what is selected with them). Loading them, and decrypting
# the contacts, was most of a 50-row page's time.
_UNLISTED = tuple(
    f.name
    for f in Application._meta.concrete_fields
    if isinstance(f, models.TextField | models.JSONField) or f in encrypted_fields(Application)
)


def _encrypted_related(model, selected: dict, prefix: str = "") -> list[str]:
    names = []
    for name, deeper in selected.items():
        related = model._meta.get_field(name).related_model
        names += [f"{prefix}{name}__{f.name}" for f in encrypted_fields(related)]
        names += _encrypted_related(related, deeper, f"{prefix}{name}__")
    return names


def for_lists(queryset):
    """`queryset` of applications without the columns no list shows (see _UNLISTED)."""
    selected = queryset.query.select_related
    related = _encrypted_related(Application, selected) if isinstance(selected, dict) else []
    return queryset.defer(*_UNLISTED, *related)


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
