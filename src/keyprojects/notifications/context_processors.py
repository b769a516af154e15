from django.utils.functional import SimpleLazyObject

from .domain import unread_count


def notifications(request):
    if not request.user.is_authenticated:
        return {}
    # Counted only when a template shows it: htmx fragments (an autosave's status line)
    # and documents render without the navigation bar.
    user = request.user
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
