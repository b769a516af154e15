"""Repeated failed logins lock the account for that address, with a clear message; the
office can unlock it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from keyprojects.audit.models import Event

from ..factories import PASSWORD, make_user


def attempt(client, user, password, address="198.51.100.9"):
    return client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=address
    )


def lock(client, user, address="198.51.100.9"):
    for _ in range(5):
        response = attempt(client, user, "wrong-password", address)
    return response


def test_four_failures_still_let_the_right_password_in(client, applicant):
    for _ in range(4):
        assert attempt(client, applicant, "wrong-password").status_code == 200
    assert attempt(client, applicant, PASSWORD).status_code == 302
    # Success starts the count again.
    assert not AccessAttempt.objects.filter(username=applicant.username).exists()


def test_the_fifth_failure_locks_the_account_with_a_clear_message(client, applicant):
    response = lock(client, applicant)

    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    refused = attempt(client, applicant, PASSWORD)
    assert refused.status_code == 429
    assert "30 分钟" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_only_for_that_address(client, applicant):
    lock(client, applicant, "198.51.100.9")
    assert attempt(client, applicant, PASSWORD, "203.0.113.5").status_code == 302


def test_the_office_sees_and_unlocks_the_login(client, applicant, office):
    lock(client, applicant)
    client.force_login(office)

    page = client.get(reverse("orgs:lockouts")).content.decode()
    assert applicant.username in page
    locked = AccessAttempt.objects.get(username=applicant.username)
    response = client.post(reverse("orgs:unlock", args=[locked.pk]), follow=True)

    assert f"已解锁 {applicant.username}" in response.content.decode()
    unlock = Event.objects.get(action="unlock")
    assert (unlock.target_id, unlock.actor, unlock.data) == (
        applicant.username,
        office,
        {"ip": "198.51.100.9"},
    )
    client.logout()
    assert attempt(client, applicant, PASSWORD).status_code == 302


@pytest.mark.parametrize("who", ["anonymous", "applicant", "reviewer"])
def test_only_the_office_may_see_or_unlock(client, applicant, stranger, who, regions):
    lock(client, stranger)
    locked = AccessAttempt.objects.get(username=stranger.username)
    if who == "applicant":
        client.force_login(applicant)
    elif who == "reviewer":
        from keyprojects.orgs.models import Authority

        client.force_login(make_user(None, authority=Authority.objects.first()))
    listing = client.get(reverse("orgs:lockouts"))
    unlocking = client.post(reverse("orgs:unlock", args=[locked.pk]))
    if who == "anonymous":
        assert listing.status_code == unlocking.status_code == 302
        assert listing["Location"].startswith(reverse("login"))
    else:
        assert listing.status_code == unlocking.status_code == 404
    assert AccessAttempt.objects.filter(pk=locked.pk).exists()
