from django.utils.functional import SimpleLazyObject

from .domain import unread_count


def notifications(request):
    # No user on a request refused before the middleware ran (a bad Host: the 400 page).
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Counted only when a template shows it: htmx fragments (an autosave's status line)
    # and documents render without the navigation bar.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
