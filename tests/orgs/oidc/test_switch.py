"""Single sign-on is off unless configured: no button, and its URLs do not exist."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

BUTTON = "政务服务统一身份认证登录"


def test_off_by_default_no_button_and_the_urls_answer_404(client, settings):
    assert (settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID) == ("", "")

    assert BUTTON not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("orgs:sso_login")).status_code == 404
    assert client.get(reverse("orgs:sso_callback"), {"code": "x", "state": "y"}).status_code == 404


def test_an_issuer_without_its_client_is_still_off(client, settings):
    settings.OIDC_ISSUER = "https://idp.example.gov.cn"

    assert client.get(reverse("orgs:sso_login")).status_code == 404


def test_on_the_login_page_shows_the_button_keeping_the_next_page(client, settings):
    settings.OIDC_ISSUER = "https://idp.example.gov.cn"
    settings.OIDC_CLIENT_ID = "keyprojects"
    settings.OIDC_CLIENT_SECRET = "secret"

    page = client.get(reverse("login"), {"next": "/review/"}).content.decode()

    assert BUTTON in page
    assert f'href="{reverse("orgs:sso_login")}?next=/review/"' in page
