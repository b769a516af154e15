"""What every view does before it touches an object."""

import uuid

from django.http import Http404


def require(request, permission, obj=None):
    """Anything the user may not touch does not exist for them (404, never 403)."""
    if not request.user.has_perm(permission, obj):
        raise Http404


def uuids(values):
    """The values that are UUIDs; a tampered form must not crash the page."""
    result = []
    for value in values:
        try:
            result.append(uuid.UUID(value))
        except ValueError:
            continue
    return result
