from .models import Event

# Events about the platform's use rather than its objects: logins, downloads, refusals.
SECURITY_TARGETS = ("auth.user", "download", "request")


def object_events():
    """Events that record a change to an object (workflow, edits, administration)."""
    return Event.objects.exclude(target_type__in=SECURITY_TARGETS)
