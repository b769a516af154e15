"""After login each role lands where its work is."""

import pytest
from django.urls import reverse

from keyprojects.orgs.models import Authority

from ..factories import PASSWORD, make_office, make_user


def landing(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    return response.redirect_chain[-1][0]


def test_the_office_lands_on_the_formal_check_not_in_the_admin(client, regions):
    office = make_office(is_staff=True)
    assert landing(client, office) == reverse("selection:index")


@pytest.mark.parametrize(
    ("who", "expected"),
    [("applicant", "applications:home"), ("reviewer", "review:queue"), ("admin", "admin:index")],
)
def test_other_roles_land_on_their_pages(client, applicant, regions, who, expected):
    user = {
        "applicant": applicant,
        "reviewer": make_user(None, authority=Authority.objects.first()),
        "admin": make_user(None, is_staff=True, is_superuser=False),
    }[who]
    assert landing(client, user).startswith(reverse(expected))
