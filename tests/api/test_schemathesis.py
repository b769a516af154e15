"""Schemathesis against the served OpenAPI document, in process (WSGI), on a fixed budget.

Every operation is called with generated inputs (valid and invalid): with a province-wide
token, anonymously, and (the /me/ operations) as an applicant. Schemathesis's default
checks run on every response: not_a_server_error, status_code_conformance,
content_type_conformance, response_headers_conformance, response_schema_conformance,
negative_data_rejection, positive_data_acceptance, unsupported_method, ignored_auth among
them. Derandomized with 20 examples per operation, so CI runs the same cases every time.
"""

import hypothesis
import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from keyprojects.wsgi import application

from .conftest import bearer, issue, publish_case

BUDGET = hypothesis.settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)

# Loaded from the application itself, as a client would load it (no database needed).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The same document for the applicant's own operations, authenticated by a session.
mine = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"^/api/v1/me/"
)
SESSION = {}  # the logged-in applicant's session key, set by the fixture below


@mine.auth(refresh_interval=None)
class ApplicantSession:
    def get(self, case, context):
        return SESSION.get("key")  # None while collecting: no credentials yet

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), settings.SESSION_COOKIE_NAME: data}


@pytest.fixture
def _same_connection():
    """Keep the test's transaction open across in-process requests, as Django's test client
    does: the WSGI handler would otherwise close the connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def data(_same_connection, world, reports, office, checker, settings):
    """Something behind every endpoint, so generated requests reach real rows."""
    settings.KEYPROJECTS_API_RATE = "100000/m"
    settings.KEYPROJECTS_API_ANON_RATE = "100000/m"
    publish_case(world.nanjing, office=office, checker=checker)
    return world


@pytest.fixture
def province_token(office, data):
    return issue(office, name="schemathesis")


@pytest.fixture
def applicant_session(data):
    client = Client()
    client.force_login(data.nanjing.organisation.users.get())
    SESSION["key"] = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield
    SESSION.clear()


@pytest.mark.django_db
@schema.parametrize()
@BUDGET
def test_with_a_province_wide_token(case, province_token):
    response = case.call_and_validate(headers=bearer(province_token))
    assert response.status_code < 500  # also among schemathesis's checks


@pytest.mark.django_db
@schema.parametrize()
@BUDGET
def test_anonymously(case, data):
    response = case.call_and_validate()
    assert response.status_code < 500  # also among schemathesis's checks


@pytest.mark.django_db
@mine.parametrize()
@BUDGET
def test_as_an_applicant(case, applicant_session):
    response = case.call_and_validate()
    assert response.status_code < 500  # also among schemathesis's checks
