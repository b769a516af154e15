from django.db.models import Q

from keyprojects.core.clock import now

from .models import Call


def published_calls():
    return Call.objects.filter(is_published=True).prefetch_related("categories")


def call_choices(calls=None):
    """`calls` (by default the published ones) as a page's year switcher shows them, newest
    first."""
    calls = Call.objects.filter(is_published=True) if calls is None else calls
    return calls.only("pk", "slug", "title", "window_opens_at").order_by("-window_opens_at")


def open_and_upcoming_calls(at=None):
    at = at or now()
    return published_calls().filter(window_closes_at__gt=at).order_by("window_closes_at")


def past_calls(at=None):
    at = at or now()
    return published_calls().filter(Q(window_closes_at__lte=at)).order_by("-window_closes_at")
