"""Issuing, revoking and checking API tokens: the only code that writes an ApiToken.

A token reads `kp_<8 hex>_<43 url-safe characters>` (256 random bits). The database keeps
its prefix and HMAC-SM3 digest; the key is derived from SECRET_KEY for this one purpose,
so rotating SECRET_KEY invalidates every token (issue new ones). Looking a token up by its
keyed digest leaks nothing through timing that could help guess another one.

Issuing and revoking are audit events; so is every refused use (unknown, expired or
revoked token, a scope the token lacks, a call from outside the extranet).
"""

import datetime as dt
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.domain import event, record, record_many
from keyprojects.audit.models import Event
from keyprojects.core.clock import now

from .models import ApiToken, Scope

PREFIX = "kp_"
# Remember use at most once a minute: a write per request would cost a busy system a
# database write for every page it reads.
TOUCH_EVERY = dt.timedelta(minutes=1)
MAX_LIFETIME = dt.timedelta(days=2 * 366)


def _key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"keyprojects.api.token", "sm3").digest()


def digest(secret: str) -> str:
    """The keyed digest stored for a token (HMAC-SM3, hex)."""
    return hmac.new(_key(), secret.encode("utf-8"), "sm3").hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = f"{PREFIX}{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def issue(*, name, authority, scopes, expires_at, by, at=None) -> tuple[ApiToken, str]:
    """A new token and its secret, which is never stored and must be shown once."""
    at = at or now()
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise TransitionRefused(_("请至少选择一项有效的权限范围。"))
    if expires_at <= at:
        raise TransitionRefused(_("有效期须晚于当前时间。"))
    if expires_at > at + MAX_LIFETIME:
        raise TransitionRefused(_("令牌有效期最长两年，到期后请重新申请。"))
    ordered = [scope for scope in Scope.values if scope in scopes]
    for _attempt in range(3):  # a prefix collision (1 in 4 billion) gets a new secret
        prefix, secret = _new_secret()
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    name=name,
                    authority=authority,
                    scopes=ordered,
                    prefix=prefix,
                    digest=digest(secret),
                    created_by=by,
                    created_at=at,
                    expires_at=expires_at,
                )
                record(
                    token,
                    "create",
                    actor=by,
                    to_state=ApiToken.State.ACTIVE,
                    data={
                        "name": name,
                        "prefix": prefix,
                        "authority": authority.name if authority else "",
                        "scopes": ordered,
                        "expires_at": expires_at.isoformat(),
                    },
                )
            return token, secret
        except IntegrityError:
            continue
    raise RuntimeError("could not find a free token prefix")


def revoke(token, *, by, reason="", at=None) -> ApiToken:
    """Revoke a token at once; revoking a revoked token is refused (nothing to do)."""
    at = at or now()
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise TransitionRefused(_("该令牌已于此前吊销。"))
        from_state = locked.state(at)
        locked.revoked_at, locked.revoked_by = at, by
        locked.save(update_fields=["revoked_at", "revoked_by"])
        record(
            locked,
            "revoke",
            actor=by,
            from_state=from_state,
            to_state=ApiToken.State.REVOKED,
            reason=reason,
            data={"prefix": locked.prefix},
        )
    return locked


def find(secret: str) -> ApiToken | None:
    """The token with this secret, whatever its state; None if there is none."""
    if not secret.startswith(PREFIX) or len(secret) > 128:
        return None
    return ApiToken.objects.select_related("authority").filter(digest=digest(secret)).first()


def touch(token, at=None):
    at = at or now()
    if token.last_used_at is None or at - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=at)
        token.last_used_at = at


def refuse(token, reason: str, request):
    """Record a refused use of a token (or of a secret matching none) as a denied event."""
    target_id = token.pk if token is not None else "unknown"
    record_many(
        [
            event(
                "api.apitoken",
                target_id,
                "use_refused",
                reason=reason,
                data={"method": request.method, "path": request.path[:200]},
                outcome=Event.Outcome.DENIED,
            )
        ]
    )
