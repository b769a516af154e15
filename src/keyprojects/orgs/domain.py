"""Registration of organisations and invitations of colleagues."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from keyprojects.audit.domain import record
from keyprojects.core.clock import now

from .models import Invitation

INVITATION_SALT = "keyprojects.orgs.invitation"


class InvalidInvitation(Exception):
    pass


def register_organisation(organisation_form, account_form):
    """Create the organisation and its first account together, or neither."""
    with transaction.atomic():
        organisation = organisation_form.save()
        user = account_form.save(commit=False)
        user.organisation = organisation
        user.save()
        record(organisation, "register", actor=user, data={"credit_code": organisation.credit_code})
    return user


def invite(organisation, email, *, by):
    invitation = Invitation.objects.create(organisation=organisation, email=email, invited_by=by)
    token = signing.dumps(str(invitation.pk), salt=INVITATION_SALT)
    link = settings.SITE_URL + reverse("orgs:accept_invitation", args=[token])
    context = {"invitation": invitation, "link": link, "days": settings.INVITATION_MAX_AGE_DAYS}
    send_mail(
        _("邀请您加入%(org)s的智慧江苏重点工程申报账号") % {"org": organisation.name},
        render_to_string("orgs/invitation_email.txt", context),
        None,
        [email],
    )
    record(organisation, "invite", actor=by, data={"email": email})
    return invitation


def invitation_from_token(token):
    try:
        pk = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE_DAYS * 86400
        )
    except signing.SignatureExpired:
        raise InvalidInvitation(_("邀请链接已过期，请同事重新发送邀请。")) from None
    except signing.BadSignature:
        raise InvalidInvitation(_("邀请链接无效。")) from None
    invitation = Invitation.objects.select_related("organisation").filter(pk=pk).first()
    if invitation is None or invitation.accepted_at is not None:
        raise InvalidInvitation(_("该邀请已被使用或已撤销。"))
    return invitation


def accept_invitation(invitation, account_form):
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise InvalidInvitation(_("该邀请已被使用或已撤销。"))
        user = account_form.save(commit=False)
        user.organisation = locked.organisation
        user.save()
        locked.accepted_at = now()
        locked.accepted_by = user
        locked.save()
        record(locked.organisation, "join", actor=user, data={"email": user.email})
    return user


def password_setting_link(user, site_url) -> str:
    """The single-use link (Django's password reset) with which an account the office
    created sets its own password: nobody else ever knows it."""
    return site_url + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
