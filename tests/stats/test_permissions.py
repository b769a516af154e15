"""Who may open what: every URL of the stats app, every kind of user.

The dashboard and its exports: the office and local authorities' reviewers (each in its own
scope, see test_dashboard); applicants get 404, anonymous visitors the login page. Funding
priority: the office only. The public summary: anyone, once the year's list is final. Every
URL name of keyprojects.stats.urls must appear in ROUTES.
"""

import pytest
from django.urls import reverse

from keyprojects.stats import urls

from ..factories import finalise_list, make_organisation, make_user
from .conftest import reviewer_of

pytestmark = pytest.mark.django_db

OFFICE, DASHBOARD, PUBLIC = "office", "dashboard", "public"

# name → (methods, who may, the URL's arguments from the world)
ROUTES = {
    "dashboard": (["GET"], DASHBOARD, lambda w: []),
    "export": (["GET"], DASHBOARD, lambda w: ["category"]),
    "funding": (["GET"], OFFICE, lambda w: []),
    "funding_export": (["GET"], OFFICE, lambda w: []),
    "funding_edit": (["GET", "POST"], OFFICE, lambda w: [w["selected"].pk]),
    "funding_unmark": (["POST"], OFFICE, lambda w: [w["selected"].pk]),
    "public_index": (["GET"], PUBLIC, lambda w: []),
    "public_year": (["GET"], PUBLIC, lambda w: [2020]),
}


def test_every_url_is_in_the_table():
    assert {pattern.name for pattern in urls.urlpatterns} == set(ROUTES)


@pytest.fixture
def people(world, call, office):
    finalise_list(call, office)
    selected = world["南京入选"]
    return {
        "selected": selected,
        "users": {
            "office": office,
            "city reviewer": reviewer_of("南京市信息化主管部门"),
            "other city's reviewer": reviewer_of("苏州市信息化主管部门"),
            "owner": selected.organisation.users.first(),
            "stranger": make_user(make_organisation(seat="320505")),
            "staff without the office group": make_user(None, is_staff=True),
        },
    }


def allowed(role, kind):
    if kind == PUBLIC:
        return True
    if kind == DASHBOARD:
        return role in {"office", "city reviewer", "other city's reviewer"}
    return role == "office"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_who_may_open_what(client, people, name):
    methods, kind, args = ROUTES[name]
    url = reverse(f"stats:{name}", args=args(people))
    for role, user in people["users"].items():
        client.force_login(user)
        for method in methods:
            response = getattr(client, method.lower())(url, {"version": "0"})
            if allowed(role, kind):
                assert response.status_code in {200, 302, 400}, (role, method, name)
            else:
                assert response.status_code == 404, (role, method, name)
        client.logout()
    for method in methods:
        response = getattr(client, method.lower())(url)
        if kind == PUBLIC:
            assert response.status_code == 200
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))


def test_the_funding_page_of_a_project_not_selected_does_not_exist(client, world, office):
    client.force_login(office)
    url = reverse("stats:funding_edit", args=[world["南京推荐"].pk])
    assert client.get(url).status_code == 404
