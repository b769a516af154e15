from . import chain
from .context import current_ip, current_request
from .models import Event


def role_of(user) -> str:
    """The role a user acts in, as the audit trail names it."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    # Kept on the instance: a bulk append (an assignment run writes thousands of events
    # by one actor) would otherwise ask the database once per event.
    if not hasattr(user, "_audit_role"):
        user._audit_role = _role(user)
    return user._audit_role


def _role(user) -> str:
    from keyprojects.orgs.rules import is_office  # the request's group names, read once

    if is_office(user):
        return "office"
    if user.is_superuser:
        return "admin"
    if user.authority_id:
        return "reviewer"
    if user.organisation_id:
        return "applicant"
    if hasattr(user, "expert"):
        return "expert"
    return "user"


def event(
    target_type,
    target_id,
    action,
    *,
    actor=None,
    from_state="",
    to_state="",
    reason="",
    data=None,
    outcome=Event.Outcome.SUCCESS,
) -> Event:
    """An unsaved event about any target, with the current request's client address."""
    known = actor if actor is not None and actor.is_authenticated else None
    return Event(
        target_type=target_type,
        target_id=str(target_id)[:255],
        action=action,
        actor=known,
        # no user and no request: a background task or a command did it
        role=role_of(known) if known or current_request.get() is not None else "system",
        ip=current_ip.get(),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
        outcome=outcome,
    )


def record(target, action, **details):
    """Append an event about `target` (any model instance with a primary key)."""
    return chain.append([event(target._meta.label_lower, target.pk, action, **details)])[0]


def record_many(events: list[Event]) -> list[Event]:
    """Append several events made with `event()` at once (one lock, one insert)."""
    return chain.append(events)


def history(target):
    return Event.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
