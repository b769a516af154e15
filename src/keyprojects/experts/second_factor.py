"""Setting up and proving the second factor (django-otp): a TOTP authenticator app, and ten
single-use recovery codes (otp_static) shown once, for when the phone is lost.

Setting up needs an unconfirmed TOTP device: its secret is shown as a QR code (segno) and as
text; the first correct code confirms it, verifies the session and issues the recovery
codes. A user who already has a confirmed authenticator must verify before replacing it, so
a stolen password alone cannot enrol a new phone. Setting up, using a recovery code and the
office's reset are recorded as events; the secret and the codes never are.
"""

import base64

import segno
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.audit.domain import record
from keyprojects.core.clock import now

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "authenticator"
RECOVERY_NAME = "recovery"


class SecondFactorError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret if there is none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def secret_text(device) -> str:
    """The secret as authenticator apps take it when typed by hand (base32, in groups)."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device) -> str:
    """The otpauth:// URL as an inline SVG QR code (no request leaves the machine)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1f2d3d")


def _clean(token) -> str:
    return "".join(str(token or "").split()).lower()


THROTTLE_AFTER = 3  # failures before the page speaks of waiting (django-otp doubles the wait)


def _refusal(device, recovery=False) -> str:
    if device is not None:
        allowed, data = device.verify_is_allowed()
        if not allowed and device.throttling_failure_count >= THROTTLE_AFTER:
            wait = (data["locked_until"] - now()).total_seconds()
            return _("错误次数过多，请 %(seconds)d 秒后再试。") % {"seconds": max(int(wait) + 1, 1)}
    if recovery:
        return _("恢复码不正确或已使用过。每个恢复码只能使用一次。")
    return _("验证码不正确或已过期，请输入认证器上当前显示的6位数字。")


def confirm_setup(request, token) -> list[str]:
    """Confirm the pending authenticator with its first code; returns the recovery codes
    (to be shown once). The session counts as verified from now on."""
    user = request.user
    device = pending_device(user)
    with transaction.atomic():
        if not device.verify_token(_clean(token)):
            raise SecondFactorError(_refusal(device))
        # The new authenticator replaces any earlier one, and new recovery codes the old.
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record(user, "second_factor_setup", actor=user, data={"recovery_codes": len(codes)})
    otp_login(request, device)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify(request, token):
    """Verify this session with a code of the authenticator or a recovery code."""
    user = request.user
    token = _clean(token)
    if not token:
        raise SecondFactorError(_("请输入验证码。"))
    authenticator = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if authenticator is None:
        raise SecondFactorError(_("尚未绑定认证器，请先完成设置。"))
    device = None
    is_recovery = not (token.isdigit() and len(token) == authenticator.digits)
    if not is_recovery:
        device = verify_token(user, authenticator.persistent_id, token)
    elif recovery is not None:
        device = verify_token(user, recovery.persistent_id, token)
        if device is not None:
            record(
                user,
                "recovery_code_used",
                actor=user,
                data={"remaining": device.token_set.count()},
            )
    if device is None:
        tried = recovery if is_recovery else authenticator
        if tried is not None:
            tried.refresh_from_db()
        raise SecondFactorError(_refusal(tried, recovery=is_recovery))
    otp_login(request, device)
    return device


def remaining_recovery_codes(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def reset(user, *, by, reason):
    """The office removes a user's authenticator and recovery codes (phone lost, codes
    used up): the next login sets up a new authenticator."""
    if not reason.strip():
        raise SecondFactorError(_("请填写重置的理由。"))
    with transaction.atomic():
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        removed += StaticDevice.objects.filter(user=user).delete()[0]
        record(user, "second_factor_reset", actor=by, reason=reason, data={"devices": removed})


def issuer() -> str:
    return getattr(settings, "OTP_TOTP_ISSUER", "")
