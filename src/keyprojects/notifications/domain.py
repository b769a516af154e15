"""Tell people what happened to their work: in the system and by e-mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Notification


def notify(users, text, *, url="", key=""):
    """Notify each active user once (once per `key` when given); returns those notified."""
    notified = []
    for user in users:
        if not user.is_active:
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(user=user, text=text, url=url, key=key)
        except IntegrityError:  # this reminder was already sent to this user
            continue
        notified.append(user)
        if user.email:
            link = f"\n\n{settings.SITE_URL}{url}" if url else ""
            transaction.on_commit(
                lambda user=user, link=link: send_mail(
                    _("智慧江苏重点工程申报平台通知"),
                    text + link,
                    None,
                    [user.email],
                    fail_silently=True,
                )
            )
    return notified


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
