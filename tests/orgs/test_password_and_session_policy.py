"""Password policy, forced change of initial passwords and session expiry (等保 身份鉴别)."""

import time

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from keyprojects.orgs.models import Authority

from ..factories import PASSWORD, make_office, make_user


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short-A1", "密码太短，至少包含 10 个字符"),
        ("alllowercase-letters", "至少三类"),
        ("ALLUPPER1234567", "至少三类"),
        ("Zhang.San-2026-x", "不能包含登录名"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(applicant, password, message):
    applicant.username = "zhang.san"
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as refused:
            validate_password(password, applicant)
        assert any(message in m for m in refused.value.messages), refused.value.messages


def test_a_strong_password_passes(applicant):
    assert validate_password("Qinhuai-River-8841", applicant) is None  # raises if refused


def test_none_of_the_last_five_passwords_may_return(applicant):
    used = [f"Rotation-pass-{n}-Qx" for n in range(6)]
    for password in used:
        validate_password(password, applicant)
        applicant.set_password(password)
        applicant.save()
    for recent in used[1:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            validate_password(recent, applicant)
    validate_password(used[0], applicant)  # the sixth-last is allowed again


def test_the_change_form_refuses_a_recent_password(client, applicant):
    client.force_login(applicant)
    applicant.set_password(PASSWORD)
    applicant.save()  # remembered as a used password
    client.force_login(applicant)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "不能使用最近 5 次用过的密码" in response.content.decode()


@pytest.fixture
def office(regions):
    return make_office(is_staff=True, is_superuser=True)  # the admin adds accounts


def test_an_account_the_office_creates_must_change_its_password_first(client, office):
    client.force_login(office)
    client.post(
        reverse("admin:orgs_user_add"),
        {
            "username": "new-reviewer",
            "password1": "Initial-pass-4410",
            "password2": "Initial-pass-4410",
            "usable_password": "true",
        },
    )
    client.logout()
    assert client.login(username="new-reviewer", password="Initial-pass-4410")

    response = client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("password_change")
    assert "请先修改初始密码" in response.content.decode()
    client.post(
        reverse("password_change"),
        {
            "old_password": "Initial-pass-4410",
            "new_password1": "My-own-pass-8123",
            "new_password2": "My-own-pass-8123",
        },
    )
    assert client.get(reverse("home")).status_code == 200


def test_a_password_the_office_resets_is_an_initial_one_again(client, office, applicant):
    client.force_login(office)
    client.post(
        reverse("admin:auth_user_password_change", args=[applicant.pk]),
        {
            "password1": "Reset-by-office-77",
            "password2": "Reset-by-office-77",
            "usable_password": "true",
        },
    )
    applicant.refresh_from_db()
    assert applicant.must_change_password


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_privileged_sessions_end_with_the_browser_and_after_30_idle_minutes(client, regions):
    reviewer = make_user(None, authority=Authority.objects.first())
    log_in(client, reviewer)
    assert client.session.get_expire_at_browser_close()
    queue = reverse("notifications:inbox")
    start = time.time()
    with time_machine.travel(start + 29 * 60, tick=False):
        assert client.get(queue).status_code == 200
    with time_machine.travel(start + 29 * 60 + 31 * 60, tick=False):
        response = client.get(queue, follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "长时间未操作，已自动退出登录" in response.content.decode()


def test_an_applicant_s_session_survives_an_hour_of_quiet_but_not_three(client, applicant):
    log_in(client, applicant)
    assert not client.session.get_expire_at_browser_close()
    home = reverse("applications:home")
    start = time.time()
    with time_machine.travel(start + 60 * 60, tick=False):
        assert client.get(home).status_code == 200
    with time_machine.travel(start + 60 * 60 + 121 * 60, tick=False):
        assert client.get(home).status_code == 302
