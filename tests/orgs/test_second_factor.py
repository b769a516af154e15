"""The second factor for the privileged roles: office, reviewers and administrators.

The rest of the suite narrows SECOND_FACTOR_ROLES to experts (tests/conftest.py); here the
production default from settings.py applies, and the set-up runs with a real TOTP code.
"""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects import settings as project_settings
from keyprojects.experts.access import second_factor_required
from keyprojects.orgs.models import Authority

from ..experts.conftest import verify_session
from ..experts.test_second_factor import code_of
from ..factories import PASSWORD, make_office, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_roles(settings):
    settings.SECOND_FACTOR_ROLES = project_settings.SECOND_FACTOR_ROLES


@pytest.fixture
def reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))


@pytest.fixture
def admin(regions):
    return make_user(None, is_staff=True, is_superuser=True)


def test_by_default_every_privileged_role_needs_it_and_applicants_do_not(
    office, reviewer, admin, applicant
):
    assert project_settings.SECOND_FACTOR_ROLES == ["expert", "office", "reviewer", "admin"]
    assert second_factor_required(office)
    assert second_factor_required(reviewer)
    assert second_factor_required(admin)
    assert not second_factor_required(applicant)


@pytest.mark.parametrize(
    ("who", "page"),
    [
        ("office", "selection:index"),
        ("reviewer", "review:queue"),
        ("admin", "admin:index"),
    ],
)
def test_an_unverified_session_reaches_only_the_set_up(client, request, who, page):
    user = request.getfixturevalue(who)
    assert client.login(username=user.username, password=PASSWORD)

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("experts:setup"))


def test_the_office_sets_up_an_authenticator_and_then_works(client, office, call):
    assert client.login(username=office.username, password=PASSWORD)
    target = reverse("selection:index")
    page = client.get(reverse("experts:setup"), {"next": target})
    assert "审核员和省信息化办工作人员" in page.content.decode()
    device = TOTPDevice.objects.get(user=office, confirmed=False)

    client.post(reverse("experts:setup"), {"token": code_of(device), "next": target})

    response = client.get(target, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("selection:overview", args=[call.slug]), 302)]


def test_a_verified_reviewer_works_and_an_applicant_never_asked(client, reviewer, applicant, call):
    verify_session(client, reviewer)
    assert client.get(reverse("review:queue")).status_code == 200
    client.logout()
    assert client.login(username=applicant.username, password=PASSWORD)
    assert client.get(reverse("applications:home")).status_code == 200


def test_the_roles_come_from_the_environment(settings):
    office = make_office()
    settings.SECOND_FACTOR_ROLES = ["expert"]
    assert not second_factor_required(office)
