"""Who may open what: every URL of the notices app, every kind of user.

The office pages exist only for the provincial office: reviewers and applicants (even the
owner of a listed project) get 404, anonymous visitors the login page. The public pages are
open to anyone, but only for a published notice. Every URL name of keyprojects.notices.urls
must appear in ROUTES, so a new page fails test_every_url_is_in_the_table until it is added.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keyprojects.applications.workflow import Status
from keyprojects.audit.models import Event
from keyprojects.notices import objections, publication, urls
from keyprojects.notices.models import Objection, PublicNotice

from ..factories import PASSWORD, make_organisation, make_user, pdf_bytes
from .conftest import notice_values

pytestmark = pytest.mark.django_db

OFFICE_ONLY, PUBLIC = "office", "public"

# name → (methods, who may, how to build the URL's arguments from the world)
ROUTES = {
    "index": (["GET"], PUBLIC, lambda w: []),
    "public": (["GET"], PUBLIC, lambda w: [w["notice"].pk]),
    "file_objection": (["POST"], PUBLIC, lambda w: [w["notice"].pk]),
    "receipt": (["GET"], PUBLIC, lambda w: [w["notice"].pk]),
    "office": (["GET"], OFFICE_ONLY, lambda w: []),
    "decisions": (["GET"], OFFICE_ONLY, lambda w: [w["call"].slug]),
    "decide": (["POST"], OFFICE_ONLY, lambda w: [w["call"].slug]),
    "default_tiers": (["POST"], OFFICE_ONLY, lambda w: [w["call"].slug]),
    "edit_notice": (["GET", "POST"], OFFICE_ONLY, lambda w: [w["call"].slug]),
    "manage": (["GET"], OFFICE_ONLY, lambda w: [w["notice"].pk]),
    "publish": (["POST"], OFFICE_ONLY, lambda w: [w["notice"].pk]),
    "finalise": (["POST"], OFFICE_ONLY, lambda w: [w["notice"].pk]),
    "xlsx": (["GET"], OFFICE_ONLY, lambda w: [w["notice"].pk]),
    "pdf": (["GET"], OFFICE_ONLY, lambda w: [w["notice"].pk]),
    "objection": (["GET"], OFFICE_ONLY, lambda w: [w["objection"].pk]),
    "investigate": (["POST"], OFFICE_ONLY, lambda w: [w["objection"].pk]),
    "answer": (["POST"], OFFICE_ONLY, lambda w: [w["objection"].pk]),
    "withdraw": (["POST"], OFFICE_ONLY, lambda w: [w["objection"].pk]),
    "evidence": (["GET"], OFFICE_ONLY, lambda w: [w["objection"].pk]),
}
NOT_OFFICE = ["reviewer", "owner", "stranger", "expert_like_staff"]


def test_every_url_is_in_the_table():
    names = {pattern.name for pattern in urls.urlpatterns}
    assert names == set(ROUTES)


@pytest.fixture
def world(call, listed, notice, reviewer, regions):
    objection = objections.file_objection(
        notice,
        application=listed["flagship"],
        reasons="该项目建设内容与2018年已验收项目重复。",
        name="张三",
        phone="13900000000",
        evidence=SimpleUploadedFile("证明.pdf", pdf_bytes()),
    )
    return {
        "call": call,
        "notice": notice,
        "objection": objection,
        "users": {
            "reviewer": reviewer,
            "owner": listed["flagship"].organisation.users.first(),
            "stranger": make_user(make_organisation(seat="320505")),
            # staff without the office group: the admin flag alone grants nothing here
            "expert_like_staff": make_user(None, is_staff=True),
        },
    }


def _snapshot():
    return (
        list(Event.objects.order_by("at").values_list("pk", flat=True)),
        list(PublicNotice.objects.values_list("state", "version")),
        list(Objection.objects.values_list("state", "version", "project_withdrawn")),
    )


@pytest.mark.parametrize("actor", NOT_OFFICE)
def test_office_pages_do_not_exist_for_others(client, world, actor):
    client.login(username=world["users"][actor].username, password=PASSWORD)
    before = _snapshot()
    for name, (methods, who, args) in ROUTES.items():
        if who != OFFICE_ONLY:
            continue
        url = reverse(f"notices:{name}", args=args(world))
        for method in methods:
            response = getattr(client, method.lower())(url)
            assert response.status_code == 404, (actor, name, method)
    assert _snapshot() == before


def test_office_pages_send_anonymous_visitors_to_login(client, world):
    before = _snapshot()
    for name, (methods, who, args) in ROUTES.items():
        if who != OFFICE_ONLY:
            continue
        url = reverse(f"notices:{name}", args=args(world))
        for method in methods:
            response = getattr(client, method.lower())(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("login")), name
    assert _snapshot() == before


def test_the_office_opens_every_office_page(client, world, office):
    client.login(username=office.username, password=PASSWORD)
    for name, (methods, who, args) in ROUTES.items():
        if who == OFFICE_ONLY and methods == ["GET"]:
            url = reverse(f"notices:{name}", args=args(world))
            assert client.get(url).status_code == 200, name
    evidence = client.get(reverse("notices:evidence", args=[world["objection"].pk]))
    assert evidence["Content-Disposition"].startswith("attachment")
    assert b"".join(evidence.streaming_content).startswith(b"%PDF")


def test_decisions_by_others_change_nothing(client, world, listed):
    application = listed["key"]
    for actor in NOT_OFFICE:
        client.login(username=world["users"][actor].username, password=PASSWORD)
        response = client.post(
            reverse("notices:decide", args=[world["call"].slug]),
            {"ids": [str(application.pk)], "action": "not_select", "reason": "越权"},
        )
        assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Status.SELECTED


def test_permissions_on_the_objects_themselves(world, office, listed):
    objection, notice = world["objection"], world["notice"]
    for user in world["users"].values():
        assert not user.has_perm("notices.decide", listed["key"])
        assert not user.has_perm("notices.handle_objection", objection)
        assert not user.has_perm("notices.view_evidence", objection)
        assert not user.has_perm("notices.manage_notice", notice)
    assert office.has_perm("notices.decide", listed["key"])
    assert office.has_perm("notices.view_evidence", objection)


def test_a_draft_notice_is_not_public(client, call, listed, office):
    draft = publication.save_notice(call, notice_values(call), by=office)
    assert client.get(reverse("notices:public", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("notices:index")).content.decode()
    client.login(username=office.username, password=PASSWORD)
    assert client.get(reverse("notices:manage", args=[draft.pk])).status_code == 200


def test_public_pages_for_anyone(client, world):
    for actor in [None, *world["users"]]:
        client.logout()
        if actor:
            client.login(username=world["users"][actor].username, password=PASSWORD)
        assert client.get(reverse("notices:index")).status_code == 200
        assert client.get(reverse("notices:public", args=[world["notice"].pk])).status_code == 200
    # The receipt page needs its signed link: no guessing of receipts.
    bare = client.get(reverse("notices:receipt", args=[world["notice"].pk]))
    assert bare.status_code == 404
    forged = client.get(
        reverse("notices:receipt", args=[world["notice"].pk]) + "?r=" + world["objection"].receipt
    )
    assert forged.status_code == 404
