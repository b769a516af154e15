from .models import Event


def record(target, action, *, actor=None, from_state="", to_state="", reason="", data=None):
    """Append an event about `target` (any model instance with a primary key)."""
    return Event.objects.create(
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def history(target):
    return Event.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")
