"""Who is calling: a system with a bearer token, or a person with a session; and how often.

Each authenticated request carries a `Caller` (request.auth) that says what it may read:
- the provincial office (session) and province-wide tokens: every recommended project and
  every tracking report;
- a local authority's reviewer (session) and a token issued for one authority: the
  applications routed or copied to that authority, and the reports routed to it;
- an applicant (session): its own organisation's applications (/me/ endpoints) only.
A token reads only what its scopes name. Public endpoints need no caller at all.

A request that presents an Authorization header is judged by it alone: a wrong, expired or
revoked token is refused (401) even if the browser also has a session.
"""

import dataclasses
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.security import SessionAuth
from ninja.security.http import HttpBearer
from ninja.throttling import BaseThrottle

from keyprojects.core.network import client_ip
from keyprojects.orgs.extranet import from_extranet
from keyprojects.orgs.rules import is_office

from . import tokens
from .errors import Refused, Unauthenticated
from .models import ApiToken, Scope

ALL_SCOPES = frozenset(Scope.values)


@dataclasses.dataclass(frozen=True)
class Caller:
    kind: str  # "office", "reviewer", "applicant", "token" or "other"
    user: object = None
    token: ApiToken | None = None
    authority_id: int | None = None
    organisation_id: object = None
    scopes: frozenset = frozenset()

    @property
    def province_wide(self) -> bool:
        return self.kind == "office" or (self.kind == "token" and self.authority_id is None)

    @property
    def throttle_key(self) -> str:
        return f"token:{self.token.pk}" if self.token else f"user:{self.user.pk}"

    @classmethod
    def for_token(cls, token):
        scopes = frozenset(token.scopes)
        return cls("token", token=token, authority_id=token.authority_id, scopes=scopes)

    @classmethod
    def for_user(cls, user):
        if is_office(user):
            return cls("office", user=user, scopes=ALL_SCOPES)
        if user.authority_id is not None:
            return cls("reviewer", user=user, authority_id=user.authority_id, scopes=ALL_SCOPES)
        if user.organisation_id is not None:
            return cls("applicant", user=user, organisation_id=user.organisation_id)
        return cls("other", user=user)


class BearerToken(HttpBearer):
    """`Authorization: Bearer kp_…`: a system's token (docs/api.md says how to get one)."""

    def __call__(self, request):
        header = request.headers.get("Authorization")
        if not header:
            return None  # no token: a session may still authenticate
        scheme, _sep, secret = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            tokens.refuse(None, "malformed_header", request)
            raise Unauthenticated(
                _("Authorization 请求头应为“Bearer 访问令牌”。"), code="invalid_token"
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token):
        found = tokens.find(token)
        if found is None:
            tokens.refuse(None, "unknown", request)
            raise Unauthenticated(_("访问令牌无效。"), code="invalid_token")
        state = found.state()
        if state == ApiToken.State.REVOKED:
            tokens.refuse(found, "revoked", request)
            raise Unauthenticated(_("访问令牌已吊销。"), code="token_revoked")
        if state == ApiToken.State.EXPIRED:
            tokens.refuse(found, "expired", request)
            raise Unauthenticated(_("访问令牌已过期。"), code="token_expired")
        if not from_extranet(request):
            # Tokens read what staff read: where staff are confined, so are they.
            tokens.refuse(found, "outside_extranet", request)
            raise Refused(_("访问令牌须通过电子政务外网使用。"), code="outside_extranet")
        tokens.touch(found)
        return Caller.for_token(found)


class Session(SessionAuth):
    """A person logged in to the platform (the browser's session cookie)."""

    def authenticate(self, request, key):
        if request.user.is_authenticated:
            return Caller.for_user(request.user)
        return None


AUTH = [BearerToken(), Session()]


def require_scope(request, scope):
    """403 unless the caller may read this kind of resource (the objects are not looked at)."""
    caller = request.auth
    if scope in caller.scopes:
        return caller
    if caller.token is not None:
        tokens.refuse(caller.token, f"missing_scope:{scope}", request)
        raise Refused(
            _("该访问令牌没有“%(scope)s”权限。") % {"scope": scope}, code="insufficient_scope"
        )
    raise Refused(_("您的账号无权读取该数据。"))


def require_applicant(request):
    caller = request.auth
    if caller.kind != "applicant":
        raise Refused(_("仅申报单位的用户登录后可以查询本单位的申报。"))
    return caller


# --- Rate limits ----------------------------------------------------------------------------

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _sep, period = rate.partition("/")
    return int(count), PERIODS[period.strip()[:1]]


class Throttle(BaseThrottle):
    """A fixed-window counter in the shared cache, per caller (or per client address when
    anonymous). Rates: KEYPROJECTS_API_RATE and KEYPROJECTS_API_ANON_RATE, e.g. "600/m"."""

    def allow_request(self, request):
        caller = getattr(request, "auth", None)
        if isinstance(caller, Caller):
            ident = caller.throttle_key
            rate = settings.KEYPROJECTS_API_RATE
        else:
            ident = f"ip:{client_ip(request)}"
            rate = settings.KEYPROJECTS_API_ANON_RATE
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        key = f"api-rate:{ident}:{period}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            count = 1
        request._api_retry_after = math.ceil((window + 1) * period - now)
        return count <= limit

    def wait(self):
        return None  # Retry-After is set from the request (errors.py); see allow_request


THROTTLE = [Throttle()]
