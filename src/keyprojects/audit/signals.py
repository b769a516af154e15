"""Logins, failed logins and logouts go to the audit trail (等保2.0 安全审计)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import chain
from .domain import event
from .models import Event


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    chain.append([event("auth.user", user.pk, "login", actor=user)])


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        chain.append([event("auth.user", user.pk, "logout", actor=user)])


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted name, never the password (Django masks it in `credentials` anyway).
    username = str(credentials.get("username", ""))[:64]
    chain.append([event("auth.user", username, "login_failed", outcome=Event.Outcome.FAILURE)])
