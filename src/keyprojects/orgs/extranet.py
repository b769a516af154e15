"""Two faces, as the notice has them: applicants and the public come from the internet,
while reviewers, the provincial office and administrators work through the e-government
extranet (电子政务外网). Where configured, staff accounts and the admin are limited to the
extranet's networks (KEYPROJECTS_STAFF_NETWORKS, CIDR) and host names
(KEYPROJECTS_STAFF_HOSTS); a staff login or request from elsewhere is refused and audited.
Experts are not staff here: they review from their own institutions.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from keyprojects.audit.domain import event, record_many, role_of
from keyprojects.audit.models import Event
from keyprojects.core.network import client_ip, in_networks

STAFF_ROLES = {"office", "admin", "reviewer"}


def is_staff_account(user) -> bool:
    return user.is_authenticated and (user.is_staff or role_of(user) in STAFF_ROLES)


def from_extranet(request) -> bool:
    """Does the request come from where staff may work? True when nothing is configured."""
    if settings.STAFF_HOSTS and request.get_host().split(":")[0] not in settings.STAFF_HOSTS:
        return False
    if not settings.STAFF_NETWORKS:
        return True
    return in_networks(client_ip(request), settings.STAFF_NETWORKS)


def _refusal(request, user, action):
    record_many(
        [
            event(
                "auth.user",
                user.pk if user else request.path,
                action,
                actor=user,
                data={"host": request.get_host(), "path": request.path},
                outcome=Event.Outcome.DENIED,
            )
        ]
    )


class LoginForm(AuthenticationForm):
    """Django's login form, refusing staff accounts outside the extranet."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if is_staff_account(user) and not from_extranet(self.request):
            _refusal(self.request, user, "login_refused_outside_extranet")
            raise forms.ValidationError(
                _("审核、管理账号须通过电子政务外网登录，请在单位内网使用本系统的政务外网地址。"),
                code="outside_extranet",
            )


class ExtranetMiddleware:
    """A staff session used from outside the extranet ends; the admin is extranet-only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.STAFF_NETWORKS or settings.STAFF_HOSTS):
            return self.get_response(request)  # one face only: nothing to check
        user = getattr(request, "user", None)
        staff = user is not None and is_staff_account(user)
        admin_path = request.path.startswith("/admin/")
        if (staff or admin_path) and not from_extranet(request):
            _refusal(request, user if staff else None, "request_refused_outside_extranet")
            if staff:
                logout(request)
            return render(request, "registration/outside_extranet.html", status=403)
        return self.get_response(request)
