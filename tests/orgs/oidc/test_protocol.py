"""The relying party's checks of the OpenID Connect protocol, each broken on purpose against
the real provider: state, nonce, issuer, signing keys, audience, a cancelled sign-in and a
provider that does not answer."""

import socket
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from authlib.oidc.core import CodeIDToken
from django.urls import reverse
from joserfc.errors import InvalidClaimError

from keyprojects.audit.models import Event
from keyprojects.orgs import sso

from .provider import CLIENT_ID, running_provider
from .test_sign_in import check_refused, signed_in_user

pytestmark = pytest.mark.django_db

PROTOCOL = "统一身份认证登录未能完成"


def to_provider(client):
    return client.get(reverse("orgs:sso_login"))["Location"]


def with_param(url, **changes):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query)) | changes
    return f"{parts.path}?{urlencode(query)}"


def check_protocol_refusal(client, response):
    check_refused(client, response, PROTOCOL)
    failed = Event.objects.get(action="login_failed")
    assert (failed.outcome, failed.data["method"]) == ("failure", "sso")
    return failed


def test_a_tampered_state_is_refused(client, sso_on, browser, reviewer):
    back = browser.sign_in(to_provider(client), "gov-0001")

    response = client.get(with_param(back, state="forged-state"))

    failed = check_protocol_refusal(client, response)
    assert "MismatchingState" in failed.data["detail"]


def test_a_redirect_used_twice_is_refused_the_second_time(client, sso_on, browser, reviewer):
    back = browser.sign_in(to_provider(client), "gov-0001")
    assert client.get(back).status_code == 302
    client.logout()

    response = client.get(back)

    check_protocol_refusal(client, response)


def test_an_id_token_with_another_nonce_is_refused(client, sso_on, browser, reviewer):
    back = browser.sign_in(to_provider(client), "gov-0001")
    # What an injected code would bring: an ID token minted for another request's nonce.
    session = client.session
    key = next(k for k in list(session.keys()) if k.startswith(f"_state_{sso.NAME}_"))
    entry = session[key]
    entry["data"]["nonce"] = "the-nonce-of-another-request"
    session[key] = entry
    session.save()

    response = client.get(back)

    failed = check_protocol_refusal(client, response)
    assert "nonce" in failed.data["detail"]


def test_an_answer_naming_another_issuer_is_refused(client, sso_on, browser, reviewer):
    back = browser.sign_in(to_provider(client), "gov-0001")

    response = client.get(with_param(back, iss="https://idp.elsewhere.example"))

    assert check_protocol_refusal(client, response).data["reason"] == "issuer_mismatch"


def test_a_discovery_document_of_another_issuer_is_not_used(client, settings, sso_on):
    settings.OIDC_ISSUER = sso_on.issuer.replace("127.0.0.1", "localhost")

    response = client.get(reverse("orgs:sso_login"))

    check_refused(client, response, PROTOCOL)


def test_an_id_token_signed_with_keys_the_issuer_does_not_publish_is_refused(
    client, settings, sso_on, browser, reviewer
):
    with running_provider({}) as other:
        for name, value in sso_on.explicit_endpoints().items():
            setattr(settings, name, value)
        settings.OIDC_JWKS_URI = f"{other.issuer}/jwks"
        back = browser.sign_in(to_provider(client), "gov-0001")

        response = client.get(back)

    failed = check_protocol_refusal(client, response)
    assert failed.data["detail"].startswith("InvalidKeyIdError"), failed.data["detail"]


@pytest.mark.parametrize(
    ("claim", "value"), [("aud", "another-client"), ("iss", "https://idp.elsewhere.example")]
)
def test_the_id_token_checks_name_this_client_and_this_issuer(sso_on, claim, value):
    conf = sso.config()
    claims = {"iss": conf.issuer, "sub": "gov-0001", "aud": CLIENT_ID, "exp": 2**40, "iat": 1}
    CodeIDToken(claims, {"alg": "RS256"}, sso._claims_options(conf)).validate()

    with pytest.raises(InvalidClaimError):
        CodeIDToken(claims | {claim: value}, {"alg": "RS256"}, sso._claims_options(conf)).validate()


def test_a_sign_in_cancelled_at_the_provider(client, sso_on, browser, reviewer):
    back = browser.sign_in(to_provider(client), "gov-0001", abort=True)

    response = client.get(back)

    check_refused(client, response, "统一身份认证平台未完成登录")
    failed = Event.objects.get(action="login_failed")
    assert (failed.data["reason"], failed.data["error"]) == ("provider_error", "access_denied")


def test_a_provider_that_does_not_answer(client, settings, sso_on):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.OIDC_ISSUER = f"http://127.0.0.1:{port}"

    response = client.get(reverse("orgs:sso_login"))

    check_refused(client, response, "暂时无法连接政务服务统一身份认证平台")
    assert signed_in_user(client) is None
