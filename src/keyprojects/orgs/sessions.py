"""Sessions of a government system (等保2.0 身份鉴别): they end after inactivity — sooner
for the office, reviewers and experts, whose sessions also end when the browser closes —
and an initial password chosen by someone else must be replaced before anything else."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.audit.domain import role_of

PRIVILEGED_ROLES = {"office", "admin", "reviewer", "expert"}
LAST_SEEN = "last_seen"
# Remember activity at most once a minute: a session write per request would cost the
# database (or Redis) a write for every autosave on the deadline evening.
TOUCH_EVERY = 60


def is_privileged(user) -> bool:
    return user.is_staff or user.is_superuser or role_of(user) in PRIVILEGED_ROLES


def idle_limit(request) -> int:
    if request.session.get("privileged"):
        return settings.PRIVILEGED_IDLE_MINUTES * 60
    return settings.IDLE_MINUTES * 60


@receiver(user_logged_in)
def _start(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    privileged = is_privileged(user)
    request.session["privileged"] = privileged
    request.session[LAST_SEEN] = int(time.time())
    if privileged:
        request.session.set_expiry(0)  # ends when the browser closes


class SessionPolicyMiddleware:
    # set_language: the interface language can be chosen before the initial password is changed.
    EXEMPT = ("password_change", "password_change_done", "logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._idle(request) or self._initial_password(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _idle(self, request):
        now = int(time.time())
        last = request.session.get(LAST_SEEN, now)
        if now - last > idle_limit(request):
            logout(request)
            messages.info(request, _("长时间未操作，已自动退出登录，请重新登录。"))
            return redirect(f"{reverse('login')}?next={request.path}")
        if now - last >= TOUCH_EVERY:
            request.session[LAST_SEEN] = now
        return None

    def _initial_password(self, request, user):
        if not user.must_change_password:
            return None
        exempt = {reverse(name) for name in self.EXEMPT}
        if request.path in exempt or request.path.startswith(settings.STATIC_URL):
            return None
        messages.warning(request, _("请先修改初始密码，然后再继续使用。"))
        return redirect("password_change")
