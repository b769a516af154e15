"""Signing in with the province's identity provider: who gets in, who is refused, and what
the audit trail keeps. Every case goes through the real provider (conftest.py)."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects import settings as project_settings
from keyprojects.audit.models import Event

from ...factories import PASSWORD, make_office, make_organisation, make_user
from .conftest import make_staff

pytestmark = pytest.mark.django_db


def sign_in(client, browser, login, *, query=None, **extra):
    """Start on the platform, sign in at the provider as `login`, come back: the response."""
    start = client.get(reverse("orgs:sso_login"), query or {}, **extra)
    return client.get(browser.sign_in(start["Location"], login), **extra)


def signed_in_user(client):
    return client.session.get("_auth_user_id")


def check_refused(client, response, message):
    """Back on the login page with the message, and no session."""
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert message in client.get(response["Location"]).content.decode()
    assert signed_in_user(client) is None


def test_a_linked_reviewer_signs_in_and_lands_on_the_queue(client, sso_on, browser, reviewer, call):
    response = sign_in(client, browser, "gov-0001")

    assert signed_in_user(client) == str(reviewer.pk)
    page = client.get(response["Location"], follow=True)
    assert page.redirect_chain[-1][0] == reverse("review:queue")
    assert page.status_code == 200
    login = Event.objects.get(action="login")
    assert (login.actor, login.target_id, login.outcome) == (reviewer, str(reviewer.pk), "success")
    evidence = Event.objects.get(action="sso_login")
    assert evidence.data["sub"] == "gov-0001"
    assert evidence.data["issuer"] == sso_on.issuer


def test_the_page_asked_for_comes_after_signing_in(client, sso_on, browser, reviewer):
    inbox = reverse("notifications:inbox")

    response = sign_in(client, browser, "gov-0001", query={"next": inbox})

    assert response["Location"] == inbox


def test_a_page_elsewhere_is_not_followed(client, sso_on, browser, reviewer):
    response = sign_in(client, browser, "gov-0001", query={"next": "https://evil.example/"})

    assert response["Location"] == reverse("orgs:after_login")


@pytest.mark.parametrize("endpoints", ["discovery", "explicit"])
def test_the_first_sign_in_links_the_account_with_the_same_verified_email(
    client, settings, sso_on, browser, nanjing, endpoints
):
    if endpoints == "explicit":
        for name, value in sso_on.explicit_endpoints().items():
            setattr(settings, name, value)
    colleague = make_staff("liqiang", "Li.Qiang@nanjing.gov.cn", authority=nanjing)

    sign_in(client, browser, "gov-0002")

    assert signed_in_user(client) == str(colleague.pk)
    colleague.refresh_from_db()
    assert colleague.sso_subject == "gov-0002"
    link = Event.objects.get(action="sso_link")
    assert (link.target_id, link.data) == (str(colleague.pk), {"by": "email"})


def test_a_claim_named_by_the_deployment_links_by_login_name(
    client, settings, sso_on, browser, nanjing
):
    settings.OIDC_LINK_CLAIM = "preferred_username"
    colleague = make_staff("reviewer-nj-06", "other@nanjing.gov.cn", authority=nanjing)

    sign_in(client, browser, "gov-0006")

    colleague.refresh_from_db()
    assert colleague.sso_subject == "gov-0006"
    assert signed_in_user(client) == str(colleague.pk)


def test_an_unknown_identity_is_refused_with_a_message_and_an_audit_event(
    client, sso_on, browser, reviewer
):
    response = sign_in(client, browser, "gov-9999")

    check_refused(client, response, "未找到与您的统一身份认证账号对应的本平台账号")
    failed = Event.objects.get(action="login_failed")
    assert failed.target_id == "sso:gov-9999"
    assert failed.outcome == "failure"
    assert failed.data["reason"] == "unknown_identity"
    assert failed.data["method"] == "sso"
    assert not Event.objects.filter(action__in=["login", "sso_login"]).exists()


def test_an_email_the_provider_has_not_verified_links_nothing(client, sso_on, browser, nanjing):
    someone = make_staff("zhaolei", "zhao.lei@nanjing.gov.cn", authority=nanjing)

    response = sign_in(client, browser, "gov-0003")

    check_refused(client, response, "未找到与您的统一身份认证账号对应的本平台账号")
    someone.refresh_from_db()
    assert someone.sso_subject is None


def test_with_linking_off_only_entered_identities_sign_in(
    client, settings, sso_on, browser, nanjing
):
    settings.OIDC_LINK_CLAIM = ""
    make_staff("liqiang", "li.qiang@nanjing.gov.cn", authority=nanjing)

    response = sign_in(client, browser, "gov-0002")

    check_refused(client, response, "未找到与您的统一身份认证账号对应的本平台账号")


def test_two_accounts_with_the_email_link_neither(client, sso_on, browser, nanjing):
    make_staff("shared1", "shared@nanjing.gov.cn", authority=nanjing)
    make_staff("shared2", "SHARED@nanjing.gov.cn", authority=nanjing)

    response = sign_in(client, browser, "gov-0005")

    check_refused(client, response, "无法自动关联")
    assert Event.objects.get(action="login_failed").data["reason"] == "ambiguous_identity"


def test_a_deactivated_account_is_refused(client, sso_on, browser, reviewer):
    reviewer.is_active = False
    reviewer.save()

    response = sign_in(client, browser, "gov-0001")

    check_refused(client, response, "该账号已停用")
    failed = Event.objects.get(action="login_failed")
    assert (failed.actor, failed.data["reason"]) == (reviewer, "inactive")


def test_an_account_locked_after_failed_passwords_is_refused(client, sso_on, browser, reviewer):
    for _attempt in range(project_settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": reviewer.username, "password": "wrong"})

    response = sign_in(client, browser, "gov-0001")

    check_refused(client, response, "已被暂时锁定")
    assert Event.objects.filter(action="login_failed", data__reason="locked").exists()


def test_an_applicant_account_is_not_opened_by_the_staff_provider(client, sso_on, browser, regions):
    applicant = make_user(make_organisation(seat="320102"), sso_subject="gov-0004")

    response = sign_in(client, browser, "gov-0004")

    check_refused(client, response, "仅供审核、管理账号使用")
    assert Event.objects.get(action="login_failed").actor == applicant


def test_outside_the_extranet_a_staff_sign_in_is_refused(client, settings, sso_on, browser):
    settings.STAFF_NETWORKS = ["10.0.0.0/8"]
    office = make_office(username="office-sso", sso_subject="gov-0002")

    response = sign_in(client, browser, "gov-0002", REMOTE_ADDR="198.51.100.9")

    check_refused(client, response, "须通过电子政务外网登录")
    refused = Event.objects.get(action="login_refused_outside_extranet")
    assert (refused.actor, refused.outcome, refused.ip) == (office, "denied", "198.51.100.9")


def test_from_the_extranet_a_staff_sign_in_works(client, settings, sso_on, browser, reviewer):
    settings.STAFF_NETWORKS = ["10.0.0.0/8"]

    sign_in(client, browser, "gov-0001", REMOTE_ADDR="10.23.4.5")

    assert signed_in_user(client) == str(reviewer.pk)


def test_the_platforms_second_factor_is_still_asked(client, settings, sso_on, browser, reviewer):
    settings.SECOND_FACTOR_ROLES = project_settings.SECOND_FACTOR_ROLES
    TOTPDevice.objects.create(user=reviewer, name="authenticator", confirmed=True)

    response = sign_in(client, browser, "gov-0001")
    page = client.get(response["Location"])

    assert signed_in_user(client) == str(reviewer.pk)
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("experts:verify"))
    assert client.get(reverse("review:queue"))["Location"].startswith(reverse("experts:verify"))


def test_a_password_login_still_works_beside_it(client, sso_on, reviewer):
    response = client.post(reverse("login"), {"username": "wangfang", "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in_user(client) == str(reviewer.pk)
