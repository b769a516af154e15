"""Issuing and revoking tokens: the secret is shown once and stored only as a keyed digest;
only the office manages tokens; every issue and revocation is an audit event."""

import datetime as dt
import hmac
import re

import pytest
from django.conf import settings
from django.urls import reverse

from keyprojects.api import tokens
from keyprojects.api.models import ApiToken
from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.models import Event
from keyprojects.core.clock import now

from ..factories import make_user
from .conftest import NANJING, authority

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"kp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}")


def test_the_database_keeps_a_keyed_sm3_digest_never_the_secret(office):
    token, secret = tokens.issue(
        name="南京市项目库",
        authority=authority(NANJING),
        scopes=["tracking:read", "projects:read"],
        expires_at=now() + dt.timedelta(days=30),
        by=office,
    )
    assert SECRET.fullmatch(secret)
    assert secret.startswith(token.prefix + "_")
    key = hmac.new(settings.SECRET_KEY.encode(), b"keyprojects.api.token", "sm3").digest()
    assert token.digest == hmac.new(key, secret.encode(), "sm3").hexdigest()
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in str(stored)
    assert token.scopes == ["projects:read", "tracking:read"]  # the fixed order
    assert tokens.find(secret) == token
    assert tokens.find(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None


def test_issuing_is_an_audit_event_without_the_secret(office):
    token, secret = tokens.issue(
        name="全省数据平台",
        authority=None,
        scopes=["projects:read"],
        expires_at=now() + dt.timedelta(days=30),
        by=office,
    )
    event = Event.objects.get(target_type="api.apitoken", target_id=str(token.pk))
    assert event.action == "create"
    assert event.actor == office
    assert event.data["prefix"] == token.prefix
    assert event.data["authority"] == ""  # province-wide
    assert event.data["scopes"] == ["projects:read"]
    assert secret not in str(event.data)


@pytest.mark.parametrize(
    ("scopes", "days", "message"),
    [
        ([], 30, "请至少选择一项有效的权限范围。"),
        (["admin:write"], 30, "请至少选择一项有效的权限范围。"),
        (["projects:read"], -1, "有效期须晚于当前时间。"),
        (["projects:read"], 800, "令牌有效期最长两年，到期后请重新申请。"),
    ],
)
def test_issuing_refuses_bad_scopes_and_lifetimes(office, scopes, days, message):
    with pytest.raises(TransitionRefused) as refused:
        tokens.issue(
            name="x",
            authority=None,
            scopes=scopes,
            expires_at=now() + dt.timedelta(days=days),
            by=office,
        )
    assert str(refused.value.message) == message
    assert not ApiToken.objects.exists()


def test_revoking_is_recorded_and_happens_once(office):
    token, _secret = tokens.issue(
        name="x",
        authority=None,
        scopes=["projects:read"],
        expires_at=now() + dt.timedelta(days=30),
        by=office,
    )
    revoked = tokens.revoke(token, by=office, reason="系统停用")
    assert revoked.state() == ApiToken.State.REVOKED
    assert revoked.revoked_by == office
    event = Event.objects.get(target_id=str(token.pk), action="revoke")
    assert (event.from_state, event.to_state, event.reason) == ("active", "revoked", "系统停用")
    with pytest.raises(TransitionRefused):
        tokens.revoke(token, by=office)


# --- The office's page ----------------------------------------------------------------------


def form(**overrides):
    values = {
        "name": "南京市项目库",
        "authority": str(authority(NANJING).pk),
        "scopes": ["projects:read", "tracking:read"],
        "expires_on": (now() + dt.timedelta(days=90)).date().isoformat(),
    }
    return {**values, **overrides}


def test_the_office_issues_a_token_and_sees_its_secret_once(client, office):
    client.force_login(office)
    response = client.post(reverse("api:tokens"), form())
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    secret = SECRET.search(page).group(0)
    token = ApiToken.objects.get()
    assert token.authority.name == NANJING
    assert token.created_by == office
    assert tokens.find(secret) == token
    # China time: valid to the end of the chosen day.
    assert token.expires_at.astimezone(dt.timezone(dt.timedelta(hours=8))).hour == 0
    listing = client.get(reverse("api:tokens")).content.decode()
    assert token.prefix in listing
    assert secret not in listing
    assert Event.objects.filter(target_id=str(token.pk), action="create").exists()


def test_a_wrong_form_keeps_what_was_typed_and_says_why(client, office):
    client.force_login(office)
    response = client.post(
        reverse("api:tokens"), form(scopes=[], expires_on="2001-01-01", name="我的系统")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请至少选择一项权限范围。" in page
    assert "有效期不能早于今天。" in page
    assert 'value="我的系统"' in page
    assert not ApiToken.objects.exists()


def test_the_office_revokes_a_token_on_the_page(client, office):
    token, secret = tokens.issue(
        name="x",
        authority=None,
        scopes=["projects:read"],
        expires_at=now() + dt.timedelta(days=30),
        by=office,
    )
    client.force_login(office)
    url = reverse("api:revoke_token", args=[token.pk])
    assert "立即失效" in client.get(url).content.decode()
    response = client.post(url, {"reason": "令牌可能泄露"}, follow=True)
    assert "已吊销，立即失效" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = Event.objects.get(target_id=str(token.pk), action="revoke")
    assert event.reason == "令牌可能泄露"
    client.logout()
    refused = client.get("/api/v1/projects/", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401


@pytest.mark.parametrize("who", ["applicant", "reviewer", "anonymous"])
def test_nobody_but_the_office_reaches_the_token_pages(client, office, applicant, who):
    token, _secret = tokens.issue(
        name="x",
        authority=None,
        scopes=["projects:read"],
        expires_at=now() + dt.timedelta(days=30),
        by=office,
    )
    if who == "applicant":
        client.force_login(applicant)
    elif who == "reviewer":
        client.force_login(make_user(None, authority=authority(NANJING)))
    revoke = reverse("api:revoke_token", args=[token.pk])
    for response in [
        client.get(reverse("api:tokens")),
        client.post(reverse("api:tokens"), form()),
        client.post(revoke, {"reason": ""}),
    ]:
        if who == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 404
    assert ApiToken.objects.count() == 1
    assert ApiToken.objects.get().revoked_at is None


def test_the_token_list_costs_the_same_queries_whatever_its_length(
    client, office, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            tokens.issue(
                name=f"系统{i}",
                authority=authority(NANJING) if i % 2 else None,
                scopes=["projects:read"],
                expires_at=now() + dt.timedelta(days=30),
                by=office,
            )

    client.force_login(office)
    add(1)
    with django_assert_max_num_queries(12) as one:
        client.get(reverse("api:tokens"))
    add(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("api:tokens")).status_code == 200


# --- The admin ----------------------------------------------------------------------------


def test_the_office_issues_in_the_admin_and_sees_the_secret_once(client, office):
    client.force_login(office)
    expires = (now() + dt.timedelta(days=10)).astimezone(dt.timezone(dt.timedelta(hours=8)))
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "name": "全省数据平台",
            "authority": "",
            "scopes": ["projects:read"],
            "expires_at_0": expires.date().isoformat(),
            "expires_at_1": "12:00:00",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    secret = SECRET.search(response.content.decode()).group(0)
    token = ApiToken.objects.get()
    assert token.is_province_wide
    assert tokens.find(secret) == token
    assert Event.objects.filter(target_id=str(token.pk), action="create").exists()
    change = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert secret not in change and token.digest not in change


def test_the_admin_revokes_the_selected_tokens(client, office):
    token, _secret = tokens.issue(
        name="x",
        authority=None,
        scopes=["projects:read"],
        expires_at=now() + dt.timedelta(days=30),
        by=office,
    )
    client.force_login(office)
    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke_selected", "_selected_action": [str(token.pk)]},
    )
    token.refresh_from_db()
    assert token.revoked_by == office
    assert Event.objects.filter(target_id=str(token.pk), action="revoke").exists()


def test_the_admin_is_closed_to_staff_outside_the_office(client, regions):
    staff = make_user(None, is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 403
