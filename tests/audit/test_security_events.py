"""Security-relevant events reach the audit trail with user, role, address and outcome."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from keyprojects.audit.middleware import AuditMiddleware
from keyprojects.audit.models import Event
from keyprojects.core.network import client_ip

from .. import factories
from ..factories import PASSWORD


def test_login_logout_and_failed_login_are_recorded(client, applicant):
    client.post(reverse("login"), {"username": applicant.username, "password": "wrong"})
    client.post(reverse("login"), {"username": applicant.username, "password": PASSWORD})
    client.post(reverse("logout"))

    failed, login, logout = Event.objects.filter(target_type="auth.user").order_by("seq")
    assert (failed.action, failed.outcome, failed.target_id) == (
        "login_failed",
        Event.Outcome.FAILURE,
        applicant.username,
    )
    assert failed.actor is None
    assert (login.action, login.actor, login.role) == ("login", applicant, "applicant")
    assert (logout.action, logout.actor) == ("logout", applicant)
    assert login.ip == "127.0.0.1"


def test_a_download_is_recorded(client, call, applicant):
    application = factories.make_application(call, applicant)
    attachment = application.attachments.first()
    client.force_login(applicant)
    url = reverse("applications:attachment", args=[application.pk, attachment.pk])

    response = client.get(url)

    assert response.status_code == 200
    download = Event.objects.get(action="download")
    assert (download.target_id, download.actor, download.outcome) == (url, applicant, "success")
    assert "attachment" in download.data["disposition"]


def test_a_refused_request_is_recorded(rf, applicant):
    def refuses(request):
        raise PermissionDenied

    request = rf.post("/somewhere/", REMOTE_ADDR="10.1.2.3")
    request.user = applicant
    middleware = AuditMiddleware(refuses)

    middleware.process_exception(request, PermissionDenied())

    denied = Event.objects.get(action="permission_denied")
    assert (denied.target_id, denied.outcome, denied.data) == (
        "/somewhere/",
        Event.Outcome.DENIED,
        {"method": "POST"},
    )


def test_the_address_of_an_event_is_the_client_s(rf, applicant, organisation):
    from keyprojects.audit.domain import record

    def view(request):
        record(organisation, "something", actor=applicant)
        return HttpResponse("ok")

    AuditMiddleware(view)(rf.get("/", REMOTE_ADDR="192.0.2.7"))
    assert Event.objects.get(action="something").ip == "192.0.2.7"


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("192.0.2.7", "", [], "192.0.2.7"),
        # Not behind a trusted proxy: a forwarded header is the client's own claim.
        ("192.0.2.7", "10.9.9.9", [], "192.0.2.7"),
        ("10.0.0.2", "198.51.100.4", ["10.0.0.0/8"], "198.51.100.4"),
        # The client prepends a forged address; the proxy appends the real one.
        ("10.0.0.2", "1.1.1.1, 198.51.100.4", ["10.0.0.0/8"], "198.51.100.4"),
        # Two proxies of ours in a row.
        ("10.0.0.2", "198.51.100.4, 10.0.0.9", ["10.0.0.0/8"], "198.51.100.4"),
        ("10.0.0.2", "not-an-address", ["10.0.0.0/8"], "10.0.0.2"),
    ],
)
def test_client_ip_believes_only_trusted_proxies(settings, remote, forwarded, trusted, expected):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
