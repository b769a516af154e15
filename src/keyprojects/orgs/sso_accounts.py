"""Which account a verified identity of the province's identity provider opens.

The provider is the government staff's: reviewers of the cities, counties and provincial
departments, the provincial office, administrators. It opens an existing account, never
creates one — accounts and their roles are granted in the platform (SPEC §2). An identity is
found by its `sub` stored on the account (User.sso_subject); the first time, by the
provider's verified e-mail, or by the claim settings.OIDC_LINK_CLAIM names (equal to the
login name), and the link is kept. An identity that finds no account, or several, is
refused with a message and an audit event.

The rules of a password login hold: a deactivated account, or one locked after failed
logins (django-axes, for this address), is refused; a staff account outside the
e-government extranet is refused (orgs/extranet.py). Applicants and experts keep their
password login: an e-mail address the provider knows must not open an applicant's account.

The provider's own multi-factor authentication (`amr`, `acr`) is recorded but does not
replace the platform's TOTP: its values are the provider's own, with no agreement that says
which mean a second factor, and the second factor the platform is assessed for (等保 level 3)
is the one experts/access.py enforces. The session goes on to the TOTP step like any other.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.audit.domain import event, record_many

from .extranet import from_extranet, is_staff_account
from .models import User
from .sso import Refused

UNKNOWN = _(
    "未找到与您的统一身份认证账号对应的本平台账号。审核、管理账号由省信息化办在平台中开设，"
    "请联系省信息化办开通或关联后再登录。"
)
AMBIGUOUS = _("有多个本平台账号与您的统一身份认证信息相符，无法自动关联，请联系省信息化办处理。")
INACTIVE = _("该账号已停用，不能登录。如有疑问请联系省信息化办。")
NOT_STAFF = _("统一身份认证登录仅供审核、管理账号使用，请使用用户名和密码登录。")
LOCKED = _("该账号因多次登录失败已被暂时锁定，请稍后再试，或联系省信息化办解锁。")
OUTSIDE_EXTRANET = _("审核、管理账号须通过电子政务外网登录，请在单位内网使用本系统的政务外网地址。")


def account_for(request, claims: dict, more_claims) -> tuple[User, str]:
    """(the account these verified claims open, how it was found: "sub" or the link claim).

    `more_claims()` gives the provider's UserInfo claims, asked only when linking needs
    a claim the ID token does not carry."""
    sub = claims["sub"]
    user = User.objects.filter(sso_subject=sub).first()
    found_by = "sub"
    if user is None:
        user, found_by = _link_candidate(sub, claims, more_claims)
    _check(request, user, sub)
    return user, found_by


def _link_candidate(sub, claims, more_claims) -> tuple[User, str]:
    claim = settings.OIDC_LINK_CLAIM
    if not claim:
        raise Refused("unknown_identity", UNKNOWN, sub=sub)
    if claim not in claims:
        claims = {**more_claims(), **claims}
    value = claims.get(claim)
    if not isinstance(value, str) or not value:
        raise Refused("unknown_identity", UNKNOWN, sub=sub, link=claim)
    unlinked = User.objects.filter(sso_subject__isnull=True)
    if claim == "email":
        if claims.get("email_verified") is not True:
            raise Refused("unknown_identity", UNKNOWN, sub=sub, link="unverified email")
        candidates = list(unlinked.filter(email__iexact=value)[:2])
    else:
        candidates = list(unlinked.filter(username=value)[:2])
    if not candidates:
        raise Refused("unknown_identity", UNKNOWN, sub=sub, link=claim)
    if len(candidates) > 1:
        raise Refused("ambiguous_identity", AMBIGUOUS, sub=sub, link=claim)
    return candidates[0], claim


def _check(request, user, sub):
    if not user.is_active:
        raise Refused("inactive", INACTIVE, user=user, sub=sub)
    if not is_staff_account(user):
        raise Refused("not_staff", NOT_STAFF, user=user, sub=sub)
    if not AxesProxyHandler.is_allowed(request, {"username": user.username}):
        raise Refused("locked", LOCKED, user=user, sub=sub)
    if not from_extranet(request):
        raise Refused(
            "outside_extranet",
            OUTSIDE_EXTRANET,
            user=user,
            action="login_refused_outside_extranet",
            sub=sub,
        )


@transaction.atomic
def signed_in(user, claims: dict, found_by: str, *, issuer: str) -> None:
    """Keep the link made by this sign-in, and record what the provider asserted."""
    events = []
    if found_by != "sub":
        user.sso_subject = claims["sub"]
        user.save(update_fields=["sso_subject"])
        events.append(event("auth.user", user.pk, "sso_link", actor=user, data={"by": found_by}))
    evidence = {key: claims[key] for key in ("amr", "acr", "auth_time") if key in claims}
    data = {"method": "sso", "issuer": issuer, "sub": claims["sub"], **evidence}
    events.append(event("auth.user", user.pk, "sso_login", actor=user, data=data))
    record_many(events)


def refused(request, refusal: Refused, *, issuer: str) -> None:
    """The audit event of a refused single sign-on, as a refused password login has one."""
    user = refusal.user
    target = user.pk if user is not None else f"sso:{refusal.data.get('sub', '')}"
    data = {"method": "sso", "issuer": issuer, "reason": refusal.reason, **refusal.data}
    if refusal.action != "login_failed":
        data |= {"host": request.get_host(), "path": request.path}
    record_many(
        [
            event(
                "auth.user",
                target,
                refusal.action,
                actor=user,
                data=data,
                outcome=refusal.outcome,
            )
        ]
    )
