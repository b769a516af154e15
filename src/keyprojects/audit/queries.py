import datetime as dt

from django.db.models import Q

from keyprojects.core.clock import china_midnight

from .models import Event

# Events about the platform's use rather than its objects: logins, downloads, refusals.
SECURITY_TARGETS = ("auth.user", "download", "request")


def object_events():
    """Events that record a change to an object (workflow, edits, administration)."""
    return Event.objects.exclude(target_type__in=SECURITY_TARGETS)


def search(
    *,
    date_from=None,
    date_to=None,
    user="",
    role="",
    action="",
    target_type="",
    target_id="",
    outcome="",
    ip=None,
):
    """Events matching the office's filters, newest first; dates are China dates."""
    events = Event.objects.select_related("actor")
    if date_from:
        events = events.filter(at__gte=china_midnight(date_from))
    if date_to:
        events = events.filter(at__lt=china_midnight(date_to + dt.timedelta(days=1)))
    if user:
        events = events.filter(
            Q(actor__username__icontains=user) | Q(actor__full_name__icontains=user)
        )
    exact = {
        "role": role,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "outcome": outcome,
        "ip": ip,
    }
    events = events.filter(**{field: value for field, value in exact.items() if value})
    return events.order_by("-at", "-seq")
