import datetime as dt

from django.core.cache import cache
from django.db.models import Q

from keyprojects.core.clock import china_midnight

from .chain import GENESIS
from .models import ChainHead, Event

# How long an unchanged figure is kept; a new event retires it at once.
UNTIL_NEXT_EVENT_SECONDS = 600

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


def until_next_event(key: str, compute):
    """`compute()`, cached until the next event is recorded.

    Every change of state is recorded as an event in the transaction that makes it, and
    each event moves the chain's head (one row, appended to under its lock): a figure
    computed after reading the head includes every change up to it, and keying it by the
    head retires it as soon as anything changes. The head's hash is in the key so that
    a rolled-back or restored chain that reaches the same number again never finds a
    figure of another history. Each process may keep its own copy (no shared cache
    needed): the key, not a message, says when it is stale.
    """
    head = ChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, GENESIS)
    full_key = f"until-next-event:{head[0]}:{head[1][:16]}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, UNTIL_NEXT_EVENT_SECONDS)
    return value
