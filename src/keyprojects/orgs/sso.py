"""Single sign-on with the province's identity provider (政务服务统一身份认证) over OpenID
Connect: the relying party's side of the protocol, with Authlib.

Authlib rather than mozilla-django-oidc: Authlib reads the provider's discovery document,
sends PKCE (S256), keeps state and nonce in the session and checks both, and validates the
ID token as OpenID Connect Core §3.1.3.7 asks — signature against the provider's JWKS
(fetched again when a new key id appears), issuer, audience, expiry, nonce, azp, at_hash.
mozilla-django-oidc 5 verifies the signature and the nonce but neither the issuer nor the
audience, and has no discovery. Only the algorithm set here (RS256 by default) is accepted,
whatever the provider advertises.

This module ends with verified claims; which account they open is sso_accounts.py's matter.
"""

import dataclasses
import functools
import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from joserfc.errors import JoseError

from keyprojects.audit.models import Event

log = logging.getLogger(__name__)

NAME = "keyprojects_sso"  # Authlib keeps state, nonce and PKCE verifier under this name


class Refused(Exception):
    """A single sign-on that must not open a session: why, for the user and the audit trail."""

    def __init__(self, reason, message, *, user=None, action="login_failed", **data):
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.user = user
        self.action = action
        self.data = data
        self.outcome = Event.Outcome.DENIED if action != "login_failed" else Event.Outcome.FAILURE


UNAVAILABLE = _("暂时无法连接政务服务统一身份认证平台，请稍后再试，或使用用户名和密码登录。")
PROTOCOL = _("统一身份认证登录未能完成：登录请求已失效或校验未通过。请重新登录。")
CANCELLED = _("统一身份认证平台未完成登录，请重试，或使用用户名和密码登录。")


@dataclasses.dataclass(frozen=True)
class Config:
    issuer: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str
    token_auth_method: str
    algorithm: str
    timeout: int

    @property
    def explicit(self) -> bool:
        """Endpoints given one by one: no discovery document is read."""
        return bool(self.authorization_endpoint and self.token_endpoint and self.jwks_uri)


def config() -> Config | None:
    """The deployment's single sign-on, or None when it is not configured (off)."""
    if not (settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID and settings.OIDC_CLIENT_SECRET):
        return None
    scopes = tuple(settings.OIDC_SCOPES)
    return Config(
        issuer=settings.OIDC_ISSUER,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        scopes=scopes if "openid" in scopes else ("openid", *scopes),
        authorization_endpoint=settings.OIDC_AUTHORIZATION_ENDPOINT,
        token_endpoint=settings.OIDC_TOKEN_ENDPOINT,
        jwks_uri=settings.OIDC_JWKS_URI,
        userinfo_endpoint=settings.OIDC_USERINFO_ENDPOINT,
        token_auth_method=settings.OIDC_TOKEN_AUTH_METHOD,
        algorithm=settings.OIDC_ID_TOKEN_ALG,
        timeout=settings.OIDC_TIMEOUT,
    )


def enabled() -> bool:
    return config() is not None


class _Client(DjangoOAuth2App):
    """Authlib's Django client, pinned to this deployment's issuer and ID token algorithm."""

    def __init__(self, conf: Config):
        metadata = {"issuer": conf.issuer}
        if conf.explicit:
            metadata |= {
                "authorization_endpoint": conf.authorization_endpoint,
                "token_endpoint": conf.token_endpoint,
                "jwks_uri": conf.jwks_uri,
                "userinfo_endpoint": conf.userinfo_endpoint or None,
            }
        discovery = f"{conf.issuer}/.well-known/openid-configuration"
        super().__init__(
            DjangoIntegration(NAME),
            NAME,
            client_id=conf.client_id,
            client_secret=conf.client_secret,
            server_metadata_url=None if conf.explicit else discovery,
            client_kwargs={
                "scope": " ".join(conf.scopes),
                "code_challenge_method": "S256",
                "token_endpoint_auth_method": conf.token_auth_method,
                "default_timeout": conf.timeout,
            },
            **metadata,
        )
        self.conf = conf

    def load_server_metadata(self):
        metadata = super().load_server_metadata()
        if metadata.get("issuer") != self.conf.issuer:
            # Discovery §4.3: the document must name the issuer it was fetched for.
            raise Refused("issuer_mismatch", PROTOCOL, issuer=metadata.get("issuer"))
        metadata["id_token_signing_alg_values_supported"] = [self.conf.algorithm]
        if self.conf.userinfo_endpoint:
            metadata["userinfo_endpoint"] = self.conf.userinfo_endpoint
        return metadata


@functools.lru_cache(maxsize=4)
def client(conf: Config) -> _Client:
    """One client per configuration; it keeps the discovery document and the JWKS."""
    return _Client(conf)


# What talking to the provider may raise, besides a refusal.
PROVIDER_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, RuntimeError)


def start(request, conf: Config, redirect_uri: str):
    """The redirect to the provider's authorization endpoint (state, nonce, PKCE saved)."""
    try:
        return client(conf).authorize_redirect(request, redirect_uri)
    except PROVIDER_ERRORS as error:
        log.warning("single sign-on: provider unusable: %s", _describe(error))
        raise Refused("unavailable", UNAVAILABLE, detail=_describe(error)) from error
    except Refused as refusal:
        log.warning("single sign-on: %s %s", refusal.reason, refusal.data)
        raise


def finish(request, conf: Config) -> tuple[dict, dict]:
    """The provider's answer on the redirect URI, checked: (the ID token's claims, the token).

    Refused when the provider reports an error, when the state is not the one this session
    sent, when the token exchange fails, or when the ID token fails any check."""
    error = request.GET.get("error")
    if error:
        raise Refused("provider_error", CANCELLED, error=error[:64])
    returned_issuer = request.GET.get("iss")
    if returned_issuer is not None and returned_issuer != conf.issuer:
        raise Refused("issuer_mismatch", PROTOCOL, issuer=returned_issuer[:255])  # RFC 9207
    try:
        token = client(conf).authorize_access_token(request, claims_options=_claims_options(conf))
    except requests.RequestException as error:
        log.warning("single sign-on: provider unreachable: %s", error)
        raise Refused("unavailable", UNAVAILABLE, detail=type(error).__name__) from error
    except PROVIDER_ERRORS as error:
        raise Refused("protocol", PROTOCOL, detail=_describe(error)) from error
    claims = token.get("userinfo")
    if not claims:
        raise Refused("protocol", PROTOCOL, detail="no id_token")
    return dict(claims), token


def userinfo(conf: Config, token: dict, sub: str) -> dict:
    """The UserInfo endpoint's claims, for a provider that keeps them out of the ID token."""
    if not client(conf).load_server_metadata().get("userinfo_endpoint"):
        return {}
    try:
        claims = dict(client(conf).userinfo(token=token))
    except PROVIDER_ERRORS as error:
        log.warning("single sign-on: userinfo failed: %s", error)
        return {}
    # Core §5.3.2: the UserInfo response's sub must be the ID token's, else it is not used.
    return claims if claims.get("sub") == sub else {}


def _claims_options(conf: Config) -> dict:
    """Built anew for every token: Authlib consumes the options it is given."""
    return {
        "iss": {"essential": True, "value": conf.issuer},
        "aud": {"essential": True, "value": conf.client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
    }


def _describe(error) -> str:
    return f"{type(error).__name__}: {getattr(error, 'description', '') or error}"[:200]
