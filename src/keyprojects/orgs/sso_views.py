"""The two pages of single sign-on: the start (to the provider) and the redirect URI (back).

Both answer 404 while single sign-on is not configured. A refusal goes back to the login
page with its message; the audit trail has the reason (sso_accounts.refused).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from . import sso, sso_accounts

NEXT = "sso_next"  # where to go after signing in, kept in the session across the provider


def _configured():
    conf = sso.config()
    if conf is None:
        raise Http404
    return conf


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


def _refuse(request, refusal: sso.Refused, conf):
    sso_accounts.refused(request, refusal, issuer=conf.issuer)
    messages.error(request, refusal.message)
    return redirect("login")


@require_GET
def sso_login(request):
    conf = _configured()
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    request.session[NEXT] = _safe_next(request)
    redirect_uri = request.build_absolute_uri(reverse("orgs:sso_callback"))
    try:
        return sso.start(request, conf, redirect_uri)
    except sso.Refused as refusal:
        messages.error(request, refusal.message)  # nobody has signed in yet: nothing to audit
        return redirect("login")


@require_GET
def sso_callback(request):
    conf = _configured()
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    try:
        claims, token = sso.finish(request, conf)
        user, found_by = sso_accounts.account_for(
            request, claims, lambda: sso.userinfo(conf, token, claims["sub"])
        )
    except sso.Refused as refusal:
        return _refuse(request, refusal, conf)
    target = request.session.pop(NEXT, "") or resolve_url(settings.LOGIN_REDIRECT_URL)
    sso_accounts.signed_in(user, claims, found_by, issuer=conf.issuer)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect(target)
