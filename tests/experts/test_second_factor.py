"""The expert's second factor: set-up with a real authenticator code, verification, single-use
recovery codes, the redirect of unverified sessions, and the office's reset."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.audit.models import Event
from keyprojects.experts.access import second_factor_required
from keyprojects.orgs.models import User

from ..factories import PASSWORD, make_organisation, make_user
from .conftest import make_expert, verify_session

pytestmark = pytest.mark.django_db


def code_of(device) -> str:
    """What the authenticator app shows now, computed from the device's key (RFC 6238)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def expert(regions):
    return make_expert()


def sign_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_an_expert_must_use_a_second_factor_while_in_the_pool(expert):
    assert second_factor_required(expert.user)
    assert not second_factor_required(make_user(make_organisation()))
    expert.is_active = False  # out of the pool: no longer an expert's account
    expert.save()
    # (the answer is kept on the user object for its request; the next request loads anew)
    assert not second_factor_required(User.objects.get(pk=expert.user_id))


def test_an_expert_without_authenticator_is_sent_to_set_up(client, expert):
    sign_in(client, expert.user)
    response = client.get(reverse("experts:declarations"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('experts:setup')}?next=%2Fexperts%2Fconflicts%2F"


def test_an_unverified_expert_with_authenticator_is_sent_to_verify(client, expert):
    TOTPDevice.objects.create(user=expert.user, name="authenticator", confirmed=True)
    sign_in(client, expert.user)
    response = client.get(reverse("experts:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('experts:verify')}?next=%2Fexperts%2F"
    # Nor can the set-up page enrol another phone without verifying first.
    response = client.get(reverse("experts:setup"))
    assert response["Location"].startswith(reverse("experts:verify"))


def test_set_up_with_the_first_code_issues_ten_recovery_codes_once(client, expert):
    sign_in(client, expert.user)
    page = client.get(reverse("experts:setup"), {"next": reverse("experts:home")})
    device = TOTPDevice.objects.get(user=expert.user, confirmed=False)
    body = page.content.decode()
    assert "<svg" in body
    assert page.context["secret"].replace(" ", "") in body.replace(" ", "")

    response = client.post(
        reverse("experts:setup"), {"token": code_of(device), "next": reverse("experts:home")}
    )

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert StaticToken.objects.filter(device__user=expert.user).count() == 10
    assert client.get(reverse("experts:home")).status_code == 200  # the session is verified
    assert Event.objects.filter(action="second_factor_setup", actor=expert.user).exists()
    # The codes are not shown again: the set-up page now offers a new secret instead.
    again = client.get(reverse("experts:setup")).content.decode()
    assert not any(code in again for code in codes)


def test_a_wrong_code_does_not_confirm_the_authenticator(client, expert):
    sign_in(client, expert.user)
    client.get(reverse("experts:setup"))
    device = TOTPDevice.objects.get(user=expert.user)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("experts:setup"), {"token": wrong})

    assert response.status_code == 400
    assert "验证码不正确或已过期" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("experts:home")).status_code == 302


def test_verify_with_the_authenticator_code(client, expert):
    device = TOTPDevice.objects.create(user=expert.user, name="authenticator", confirmed=True)
    sign_in(client, expert.user)

    response = client.post(
        reverse("experts:verify"),
        {"token": code_of(device), "next": reverse("experts:declarations")},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("experts:declarations")
    assert client.get(reverse("experts:declarations")).status_code == 200


def test_verify_never_redirects_off_site(client, expert):
    device = TOTPDevice.objects.create(user=expert.user, name="authenticator", confirmed=True)
    sign_in(client, expert.user)
    response = client.post(
        reverse("experts:verify"), {"token": code_of(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("experts:home")


def test_a_recovery_code_works_once(client, expert):
    sign_in(client, expert.user)
    client.get(reverse("experts:setup"))
    device = TOTPDevice.objects.get(user=expert.user)
    codes = client.post(reverse("experts:setup"), {"token": code_of(device)}).context["codes"]
    client.logout()

    sign_in(client, expert.user)
    response = client.post(reverse("experts:verify"), {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("experts:home")).status_code == 200
    used = Event.objects.get(action="recovery_code_used", actor=expert.user)
    assert used.data == {"remaining": 9}
    client.logout()

    sign_in(client, expert.user)
    response = client.post(reverse("experts:verify"), {"token": codes[0]})
    assert response.status_code == 400
    assert "恢复码不正确或已使用过" in response.content.decode()
    assert client.get(reverse("experts:home")).status_code == 302
    assert StaticToken.objects.filter(device__user=expert.user).count() == 9


def test_the_office_resets_a_lost_authenticator(client, expert, office):
    TOTPDevice.objects.create(user=expert.user, name="authenticator", confirmed=True)
    StaticDevice.objects.create(user=expert.user, name="recovery", confirmed=True)
    client.force_login(office)
    url = reverse("experts:reset_second_factor", args=[expert.pk])

    client.post(url, {"reason": ""})
    assert TOTPDevice.objects.filter(user=expert.user).exists()  # no reason, no reset

    client.post(url, {"reason": "专家手机遗失"})
    assert not TOTPDevice.objects.filter(user=expert.user).exists()
    assert not StaticDevice.objects.filter(user=expert.user).exists()
    event = Event.objects.get(action="second_factor_reset")
    assert (event.actor, event.reason, event.target_id) == (
        office,
        "专家手机遗失",
        str(expert.user.pk),
    )
    client.logout()
    sign_in(client, expert.user)
    assert client.get(reverse("experts:home"))["Location"].startswith(reverse("experts:setup"))


def test_a_verified_expert_may_replace_the_authenticator(client, expert):
    old = verify_session(client, expert.user)
    client.get(reverse("experts:setup"))
    new = TOTPDevice.objects.get(user=expert.user, confirmed=False)
    response = client.post(reverse("experts:setup"), {"token": code_of(new)})
    assert response.status_code == 200
    assert list(TOTPDevice.objects.filter(user=expert.user)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()


MIDDLEWARE_ON = [*settings.MIDDLEWARE, "keyprojects.experts.middleware.SecondFactorMiddleware"]


@override_settings(MIDDLEWARE=MIDDLEWARE_ON)
def test_the_optional_middleware_guards_every_page(client, expert, office):
    sign_in(client, expert.user)
    inbox = client.get(reverse("notifications:inbox"))
    assert inbox["Location"] == f"{reverse('experts:setup')}?next=%2Fnotifications%2F"
    assert client.get(reverse("experts:setup")).status_code == 200
    client.logout()
    client.force_login(office)  # no second factor required of the office (yet)
    assert client.get(reverse("notifications:inbox")).status_code == 200
