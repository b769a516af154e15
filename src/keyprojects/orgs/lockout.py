"""Lockout after repeated failed logins (django-axes), and the office's unlock.

An account is locked for one client address after AXES_FAILURE_LIMIT failures in a row:
locking by name and address together stops guessing without letting anyone lock a
colleague out from elsewhere (a whole county office often shares one address, so locking
by address alone would lock them all).
"""

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.shortcuts import render

from keyprojects.audit.domain import event, record_many


class LockoutBackend(AxesStandaloneBackend):
    """Checks every login made through a request (the login page always passes one).

    Code that authenticates without a request (Django's test client, management
    commands) is not a login attempt from the network, so there is nothing to count.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )


def locked_attempts():
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)


def unlock(attempt: AccessAttempt, *, by, reason="") -> None:
    reset(username=attempt.username, ip=attempt.ip_address)
    record_many(
        [
            event(
                "auth.user",
                attempt.username,
                "unlock",
                actor=by,
                reason=reason,
                data={"ip": attempt.ip_address},
            )
        ]
    )
