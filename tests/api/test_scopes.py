"""Who reads what: tokens by area and scope, people by their role, and the refusals.

An object outside the caller's reach answers 404 (its existence is not theirs to know); a
kind of resource the caller may not read at all answers 403; missing or bad credentials 401.
Every answer that is not 200 carries the one error body.
"""

import datetime as dt

import pytest
import time_machine

from keyprojects.api import tokens
from keyprojects.api.models import ApiToken
from keyprojects.audit.models import Event
from keyprojects.core.clock import now

from ..factories import make_user
from .conftest import JIANGYIN, NANJING, SUZHOU, WUXI, authority, bearer, issue

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return {item["name"] for item in response.json()["items"]}


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["details"] == []
    return body["error"]


ALL = {"玄武区城市大脑", "苏州工业互联网平台", "江阴市智慧水务", "鼓楼区智慧养老"}


def test_a_province_wide_token_reads_every_project_from_recommendation_on(client, world, office):
    secret = issue(office)
    assert names(client.get("/api/v1/projects/", headers=bearer(secret))) == ALL
    # Submitted but not recommended: not a project for anyone here.
    submitted = client.get(f"/api/v1/projects/{world.submitted.pk}", headers=bearer(secret))
    assert_error(submitted, 404, "not_found")


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (NANJING, {"玄武区城市大脑", "鼓楼区智慧养老"}),
        (SUZHOU, {"苏州工业互联网平台"}),
        (JIANGYIN, {"江阴市智慧水务"}),  # routed to the county
        (WUXI, {"江阴市智慧水务"}),  # copied (抄报) to its city
    ],
)
def test_an_authority_token_reads_only_its_area(client, world, office, area, expected):
    secret = issue(office, area=area)
    assert names(client.get("/api/v1/projects/", headers=bearer(secret))) == expected
    for application in [world.nanjing, world.suzhou, world.jiangyin, world.recommended]:
        response = client.get(f"/api/v1/projects/{application.pk}", headers=bearer(secret))
        if application.name in expected:
            assert response.json()["id"] == str(application.pk)
        else:
            assert_error(response, 404, "not_found")  # never 403: existence must not leak


def test_a_token_without_the_scope_is_refused_and_the_refusal_audited(client, world, office):
    secret = issue(office, scopes=["tracking:read"])
    token = tokens.find(secret)
    for url in ["/api/v1/projects/", f"/api/v1/projects/{world.nanjing.pk}"]:
        refused = assert_error(client.get(url, headers=bearer(secret)), 403, "insufficient_scope")
        assert "projects:read" in refused["message"]
    events = Event.objects.filter(target_id=str(token.pk), action="use_refused")
    assert events.count() == 2
    assert {e.reason for e in events} == {"missing_scope:projects:read"}
    assert {e.outcome for e in events} == {"denied"}
    assert client.get("/api/v1/tracking/reports/", headers=bearer(secret)).status_code == 200


def test_revoked_expired_and_wrong_tokens_get_401_with_the_error_body(client, world, office):
    revoked = issue(office, name="吊销的")
    tokens.revoke(tokens.find(revoked), by=office)
    expiring = issue(office, name="将过期的", days=1)
    valid = issue(office)
    wrong = valid[:-4] + "AAAA"
    cases = [
        (revoked, "token_revoked", "访问令牌已吊销。"),
        (wrong, "invalid_token", "访问令牌无效。"),
        ("not-a-token", "invalid_token", "访问令牌无效。"),
    ]
    for secret, code, message in cases:
        response = client.get("/api/v1/projects/", headers=bearer(secret))
        assert assert_error(response, 401, code)["message"] == message
        assert response["WWW-Authenticate"].startswith("Bearer")
    with time_machine.travel(now() + dt.timedelta(days=2)):
        response = client.get("/api/v1/projects/", headers=bearer(expiring))
    assert assert_error(response, 401, "token_expired")["message"] == "访问令牌已过期。"
    malformed = client.get("/api/v1/projects/", headers={"Authorization": f"Token {valid}"})
    assert_error(malformed, 401, "invalid_token")
    refusals = Event.objects.filter(action="use_refused", outcome="denied")
    assert sorted(refusals.values_list("reason", flat=True)) == sorted(
        ["revoked", "unknown", "unknown", "expired", "malformed_header"]
    )
    assert valid not in str(list(refusals.values_list("data", flat=True)))


def test_a_bad_token_is_refused_even_with_a_valid_session(client, world, office):
    client.force_login(office)
    assert client.get("/api/v1/projects/").status_code == 200
    assert_error(
        client.get("/api/v1/projects/", headers=bearer("kp_00000000_x")), 401, "invalid_token"
    )


def test_nobody_anonymous_reads_a_protected_resource(client, world):
    for url in [
        "/api/v1/projects/",
        f"/api/v1/projects/{world.nanjing.pk}",
        "/api/v1/me/applications/",
        "/api/v1/tracking/reports/",
    ]:
        response = client.get(url)
        assert (
            assert_error(response, 401, "unauthorized")["message"]
            == "需要登录或提供有效的访问令牌。"
        )


def test_the_office_session_reads_everything(client, world, office):
    client.force_login(office)
    assert names(client.get("/api/v1/projects/")) == ALL
    assert_error(client.get("/api/v1/me/applications/"), 403, "forbidden")


def test_a_reviewer_session_reads_its_authoritys_projects(client, world):
    client.force_login(make_user(None, authority=authority(SUZHOU)))
    assert names(client.get("/api/v1/projects/")) == {"苏州工业互联网平台"}
    assert_error(client.get(f"/api/v1/projects/{world.nanjing.pk}"), 404, "not_found")


def test_an_applicant_reads_its_own_applications_only(client, world):
    owner = world.nanjing.organisation.users.get()
    client.force_login(owner)
    assert names(client.get("/api/v1/me/applications/")) == {"玄武区城市大脑"}
    assert client.get(f"/api/v1/me/applications/{world.nanjing.pk}").status_code == 200
    # Another organisation's application does not exist for this applicant.
    assert_error(client.get(f"/api/v1/me/applications/{world.suzhou.pk}"), 404, "not_found")
    # An applicant is not a reader of projects.
    assert_error(client.get("/api/v1/projects/"), 403, "forbidden")
    assert_error(client.get("/api/v1/tracking/reports/"), 403, "forbidden")


def test_a_colleague_reads_the_same_organisations_applications(client, world):
    colleague = make_user(world.nanjing.organisation)
    client.force_login(colleague)
    assert names(client.get("/api/v1/me/applications/")) == {"玄武区城市大脑"}


def test_a_token_is_not_an_applicant(client, world, office):
    secret = issue(office)
    assert_error(client.get("/api/v1/me/applications/", headers=bearer(secret)), 403, "forbidden")


def test_use_is_remembered_at_most_once_a_minute(client, world, office):
    secret = issue(office)
    token = tokens.find(secret)
    assert token.last_used_at is None
    client.get("/api/v1/projects/", headers=bearer(secret))
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get("/api/v1/projects/", headers=bearer(secret))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    with time_machine.travel(now() + dt.timedelta(minutes=2)):
        client.get("/api/v1/projects/", headers=bearer(secret))
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_tokens_are_confined_to_the_extranet_like_staff(client, world, office, settings):
    settings.STAFF_NETWORKS = ["10.0.0.0/8"]
    secret = issue(office)
    inside = client.get("/api/v1/projects/", headers=bearer(secret), REMOTE_ADDR="10.1.2.3")
    assert inside.status_code == 200
    outside = client.get("/api/v1/projects/", headers=bearer(secret), REMOTE_ADDR="8.8.8.8")
    assert_error(outside, 403, "outside_extranet")
    assert Event.objects.filter(action="use_refused", reason="outside_extranet").exists()
    # Public data stays public from anywhere.
    assert client.get("/api/v1/calls/", REMOTE_ADDR="8.8.8.8").status_code == 200


def test_too_many_requests_get_429_with_retry_after(client, world, office, settings):
    settings.KEYPROJECTS_API_RATE = "2/m"
    settings.KEYPROJECTS_API_ANON_RATE = "1/m"
    secret = issue(office)
    for _ in range(2):
        assert client.get("/api/v1/projects/", headers=bearer(secret)).status_code == 200
    limited = client.get("/api/v1/projects/", headers=bearer(secret))
    assert_error(limited, 429, "rate_limited")
    assert 0 < int(limited["Retry-After"]) <= 60
    # Another token has its own budget; anonymous callers are counted by address.
    assert client.get("/api/v1/projects/", headers=bearer(issue(office))).status_code == 200
    assert client.get("/api/v1/calls/").status_code == 200
    assert_error(client.get("/api/v1/calls/"), 429, "rate_limited")
