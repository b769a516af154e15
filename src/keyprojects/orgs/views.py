from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.core.access import require

from . import domain, lockout
from .forms import AccountForm, InvitationForm, OrganisationForm


@login_required
def after_login(request):
    """Send each role to where its work is."""
    if request.user.organisation_id:
        return redirect("applications:home")
    if request.user.authority_id:
        return redirect("review:queue")
    if getattr(request.user, "expert", None) is not None:
        return redirect("experts:home")
    if request.user.has_perm("selection.view_overview"):
        return redirect("selection:index")  # the office's work; the admin is in its menu
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("home")


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        if request.user.organisation_id:
            return redirect("applications:home")
        messages.info(request, _("您已登录，无需注册单位。"))
        return redirect("home")
    organisation_form = OrganisationForm(request.POST or None, prefix="org")
    account_form = AccountForm(request.POST or None, prefix="account")
    if request.method == "POST" and organisation_form.is_valid() and account_form.is_valid():
        user = domain.register_organisation(organisation_form, account_form)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("注册成功，欢迎使用。"))
        return redirect("applications:home")
    return render(
        request,
        "orgs/register.html",
        {"organisation_form": organisation_form, "account_form": account_form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation(request):
    org = request.user.organisation
    if not request.user.has_perm("orgs.invite_member", org):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        domain.invite(org, form.cleaned_data["email"], by=request.user)
        messages.success(request, _("邀请邮件已发送至 %(email)s。") % form.cleaned_data)
        return redirect("orgs:organisation")
    return render(
        request,
        "orgs/organisation.html",
        {
            "organisation": org,
            "members": org.users.order_by("date_joined"),
            "invitations": org.invitations.filter(accepted_at__isnull=True),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    try:
        invitation = domain.invitation_from_token(token)
    except domain.InvalidInvitation as error:
        return render(request, "orgs/invitation_invalid.html", {"message": str(error)}, status=404)
    form = AccountForm(request.POST or None, initial={"email": invitation.email})
    if request.method == "POST" and form.is_valid():
        try:
            user = domain.accept_invitation(invitation, form)
        except domain.InvalidInvitation as error:
            return render(
                request, "orgs/invitation_invalid.html", {"message": str(error)}, status=404
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("您已加入%(org)s。") % {"org": invitation.organisation})
        return redirect("applications:home")
    return render(request, "orgs/accept_invitation.html", {"invitation": invitation, "form": form})


@login_required
@require_GET
def lockouts(request):
    require(request, "orgs.unlock_logins")
    return render(
        request,
        "registration/lockouts.html",
        {"attempts": lockout.locked_attempts(), "limit": settings.AXES_FAILURE_LIMIT},
    )


@login_required
@require_POST
def unlock(request, pk):
    require(request, "orgs.unlock_logins")
    attempt = get_object_or_404(lockout.locked_attempts(), pk=pk)
    lockout.unlock(attempt, by=request.user)
    messages.success(request, _("已解锁 %(username)s。") % {"username": attempt.username})
    return redirect("orgs:lockouts")
