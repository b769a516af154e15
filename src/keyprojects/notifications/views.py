from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from keyprojects.core.clock import now

from .models import Notification


@login_required
@require_GET
def inbox(request):
    """The user's own notifications; opening the list marks them read."""
    notifications = list(Notification.objects.filter(user=request.user)[:100])
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=now())
    return render(request, "notifications/inbox.html", {"notifications": notifications})
