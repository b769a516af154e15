"""The second factor: who must use it, and the decorators for pages that require it.

`second_factor_required(user)` is the one place that says which roles must prove a second
factor (TOTP or a recovery code, django-otp): those named in settings.SECOND_FACTOR_ROLES —
by default experts, the provincial office, the local reviewers and administrators, as 等保
level 3 asks of privileged users. The middleware (middleware.py) and every page decorated
with `verified_required` (or `expert_required`) follow it.
"""

import functools
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.orgs.rules import is_office

from .rules import is_expert

ROLE_TESTS = {
    "expert": lambda user: bool(is_expert(user)),
    "office": lambda user: bool(is_office(user)),
    "reviewer": lambda user: user.authority_id is not None,
    "admin": lambda user: user.is_superuser or user.is_staff,
}


def second_factor_required(user) -> bool:
    """Must this account prove a second factor before it may use its pages?"""
    if not user.is_authenticated:
        return False
    # Asked by the middleware on every request, and by views: once per request's user.
    roles = tuple(settings.SECOND_FACTOR_ROLES)
    cached = getattr(user, "_second_factor_required", None)
    if cached is None or cached[0] != roles:
        cached = (roles, any(ROLE_TESTS[role](user) for role in roles))
        user._second_factor_required = cached
    return cached[1]


def is_verified(user) -> bool:
    """True once this session was confirmed with a second factor (django-otp middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_redirect(request):
    """Where an unverified session goes: set-up if it has no authenticator yet, else verify."""
    name = "experts:verify" if has_authenticator(request.user) else "experts:setup"
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def verified_required(view):
    """Login required; a role that must use a second factor must have proved it."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if second_factor_required(request.user) and not is_verified(request.user):
            return second_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped


def expert_required(view):
    """An expert's page: login, an expert still in the pool (else 404), a verified session."""

    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_expert(request.user):
            raise Http404
        if not is_verified(request.user):
            return second_factor_redirect(request)
        return view(request, *args, **kwargs)

    return wrapped
