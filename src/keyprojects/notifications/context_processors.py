from .domain import unread_count


def notifications(request):
    if not request.user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(request.user)}
