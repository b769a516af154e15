"""Staff accounts and the admin only from the e-government extranet, where configured."""

import pytest
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.orgs.models import Authority

from ..factories import PASSWORD, make_user

EXTRANET = "10.23.4.5"
INTERNET = "198.51.100.9"


@pytest.fixture
def extranet_only(settings):
    settings.STAFF_NETWORKS = ["10.0.0.0/8"]


@pytest.fixture
def reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))


def log_in(client, user, address, **extra):
    return client.post(
        reverse("login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR=address,
        **extra,
    )


def test_without_configuration_staff_log_in_from_anywhere(client, reviewer):
    assert log_in(client, reviewer, INTERNET).status_code == 302


@pytest.mark.parametrize("who", ["reviewer", "office"])
def test_a_staff_login_from_the_internet_is_refused_and_audited(
    client, extranet_only, who, request
):
    user = request.getfixturevalue(who)

    response = log_in(client, user, INTERNET)

    assert response.status_code == 200
    assert "须通过电子政务外网登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    refused = Event.objects.get(action="login_refused_outside_extranet")
    assert (refused.actor, refused.ip, refused.outcome) == (user, INTERNET, "denied")


def test_a_staff_login_from_the_extranet_works(client, extranet_only, reviewer):
    assert log_in(client, reviewer, EXTRANET).status_code == 302
    assert client.get(reverse("notifications:inbox"), REMOTE_ADDR=EXTRANET).status_code == 200


def test_applicants_come_from_the_internet(client, extranet_only, applicant):
    assert log_in(client, applicant, INTERNET).status_code == 302
    assert client.get(reverse("applications:home"), REMOTE_ADDR=INTERNET).status_code == 200


def test_a_staff_session_carried_outside_ends(client, extranet_only, reviewer):
    log_in(client, reviewer, EXTRANET)

    response = client.get(reverse("notifications:inbox"), REMOTE_ADDR=INTERNET)

    assert response.status_code == 403
    assert "请通过电子政务外网访问" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Event.objects.filter(action="request_refused_outside_extranet", actor=reviewer)


def test_the_admin_is_closed_to_the_internet_even_before_login(client, db, extranet_only):
    assert client.get("/admin/login/", REMOTE_ADDR=INTERNET).status_code == 403
    assert client.get("/admin/login/", REMOTE_ADDR=EXTRANET).status_code == 200


def test_behind_our_proxy_the_forwarded_client_counts(client, settings, extranet_only, reviewer):
    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]
    proxy = {"HTTP_X_FORWARDED_FOR": EXTRANET}
    assert log_in(client, reviewer, "172.16.0.2", **proxy).status_code == 302
    forged = {"HTTP_X_FORWARDED_FOR": EXTRANET}  # not from our proxy: the header is ignored
    client.logout()
    assert log_in(client, reviewer, INTERNET, **forged).status_code == 200


def test_the_staff_host_name_is_required_where_configured(client, settings, reviewer):
    settings.STAFF_HOSTS = ["zw.keyprojects.example"]
    settings.ALLOWED_HOSTS = ["www.keyprojects.example", "zw.keyprojects.example"]
    refused = log_in(client, reviewer, INTERNET, HTTP_HOST="www.keyprojects.example")
    assert "须通过电子政务外网登录" in refused.content.decode()
    assert log_in(client, reviewer, INTERNET, HTTP_HOST="zw.keyprojects.example").status_code == 302
