"""The expert's own pages (tasks, declared conflicts) and the second-factor pages."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import domain, second_factor
from .access import expert_required, has_authenticator, is_verified, second_factor_required
from .forms import DeclarationForm, TokenForm
from .models import ConflictDeclaration
from .queries import tasks_of


@expert_required
@require_GET
def home(request):
    expert = request.user.expert
    return render(
        request,
        "experts/home.html",
        {
            "expert": expert,
            "tasks": tasks_of(expert),
            "recovery_left": second_factor.remaining_recovery_codes(request.user),
        },
    )


def _declaration_form(expert, data=None):
    applications = [t.application for t in tasks_of(expert)]
    return DeclarationForm(data, applications=applications)


@expert_required
@require_http_methods(["GET", "POST"])
def declarations(request):
    expert = request.user.expert
    form = _declaration_form(expert, request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            application = form.cleaned_data["application"]
            if application is not None and not request.user.has_perm(
                "experts.declare_conflict_on", application
            ):
                form.add_error("application", _("只能对分配给您的项目申报回避。"))
            else:
                try:
                    domain.declare_conflict(
                        expert,
                        by=request.user,
                        source=ConflictDeclaration.Source.EXPERT,
                        reason=form.cleaned_data["reason"],
                        application=application,
                        credit_code=form.cleaned_data["credit_code"],
                        organisation_name=form.cleaned_data["organisation_name"],
                    )
                except domain.Refused as error:
                    form.add_error(None, error.message)
                else:
                    messages.success(request, _("回避申报已记录，相关项目不会再分配给您。"))
                    return redirect("experts:declarations")
    return render(
        request,
        "experts/declarations.html",
        {
            "form": form,
            "declarations": expert.declarations.select_related("application"),
        },
        status=status,
    )


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("experts:home") if second_factor_required(request.user) else reverse("home")


def _with_next(name, target):
    return f"{reverse(name)}?{urlencode({'next': target})}"


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Bind an authenticator app. Someone who has one already must verify first."""
    if has_authenticator(request.user) and not is_verified(request.user):
        return redirect(_with_next("experts:verify", reverse("experts:setup")))
    device = second_factor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor.confirm_setup(request, form.cleaned_data["token"])
        except second_factor.SecondFactorError as error:
            form.add_error("token", error.message)
        else:
            # Shown on this response only: no page shows them again.
            return render(
                request, "experts/recovery_codes.html", {"codes": codes, "next": _next(request)}
            )
    return render(
        request,
        "experts/setup.html",
        {
            "form": form,
            "qr": second_factor.qr_svg(device),
            "secret": second_factor.secret_text(device),
            "issuer": second_factor.issuer(),
            "next": _next(request),
            "replacing": has_authenticator(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    if not has_authenticator(request.user):
        return redirect(_with_next("experts:setup", _next(request)))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            second_factor.verify(request, form.cleaned_data["token"])
        except second_factor.SecondFactorError as error:
            form.add_error("token", error.message)
        else:
            left = second_factor.remaining_recovery_codes(request.user)
            if left <= 3:
                messages.warning(
                    request,
                    _("您只剩 %(n)d 个恢复码，可在“重新绑定认证器”页面生成新的恢复码。")
                    % {"n": left},
                )
            return redirect(_next(request))
    return render(
        request,
        "experts/verify.html",
        {"form": form, "next": _next(request)},
        status=400 if request.method == "POST" else 200,
    )
