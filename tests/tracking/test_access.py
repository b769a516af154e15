"""Every tracking URL answers each kind of user as it should: anonymous users are sent to log
in; the office reaches its pages; the owner its own report; the local authority the
submitted reports of its area; everybody else gets "not found" and changes nothing.
Every URL of keyprojects.tracking.urls must have an entry in ROUTES."""

import dataclasses
from collections.abc import Callable

import pytest
from django.urls import reverse

from keyprojects.tracking import domain, imports, urls, workflow
from keyprojects.tracking.models import AuthorityComment, TrackingRound

from ..factories import credit_code, make_organisation, make_user, pdf_upload
from .conftest import FILLED, row, xlsx_upload

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "owner", "stranger", "nanjing", "suzhou", "office"]


@dataclasses.dataclass
class World:
    round: object
    report: object
    attachment: object
    batch: object
    users: dict


@pytest.fixture
def world(office, report, applicant, nanjing_reviewer, suzhou_reviewer, round_):
    attachment = domain.add_attachment(report, pdf_upload(), by=applicant)
    report = workflow.submit(report, FILLED, by=applicant, expected_version=report.version)
    batch = imports.preview(xlsx_upload([row("项目甲", credit_code())]), by=office)
    return World(
        round=round_,
        report=report,
        attachment=attachment,
        batch=batch,
        users={
            "owner": applicant,
            "stranger": make_user(make_organisation(seat="320505")),
            "nanjing": nanjing_reviewer,
            "suzhou": suzhou_reviewer,
            "office": office,
        },
    )


@dataclasses.dataclass(frozen=True)
class Route:
    methods: tuple
    args: Callable = lambda w: []
    data: Callable = lambda w: {}
    allowed: dict = dataclasses.field(default_factory=lambda: {"office": {"GET": 200, "POST": 302}})


OFFICE = {"office": {"GET": 200, "POST": 302}}
ROUTES = {
    "index": Route(("GET",)),
    "projects": Route(("GET",)),
    "sync_platform": Route(("POST",)),
    "import": Route(("GET", "POST"), allowed={"office": {"GET": 200, "POST": 400}}),
    "import_template": Route(("GET",)),
    "import_report": Route(("GET",), lambda w: [w.batch.pk]),
    "import_confirm": Route(("POST",), lambda w: [w.batch.pk]),
    # A batch not being imported: its progress sends back to its report.
    "import_progress": Route(("GET",), lambda w: [w.batch.pk], allowed={"office": {"GET": 302}}),
    "import_errors": Route(("GET",), lambda w: [w.batch.pk]),
    "round_new": Route(("GET", "POST"), allowed={"office": {"GET": 200, "POST": 400}}),
    "round": Route(("GET",), lambda w: [w.round.pk]),
    "round_export": Route(("GET",), lambda w: [w.round.pk]),
    "round_remind": Route(("POST",), lambda w: [w.round.pk]),
    "round_add_missing": Route(("POST",), lambda w: [w.round.pk]),
    "round_close": Route(("POST",), lambda w: [w.round.pk], lambda w: {"version": 999}),
    "report": Route(("GET",), lambda w: [w.report.pk]),
    "evaluate": Route(
        ("POST",),
        lambda w: [w.report.pk],
        lambda w: {"overall": "poor", "version": w.report.version, "evaluation_version": 0},
        allowed={"office": {"POST": 400}},
    ),
    "return": Route(
        ("POST",),
        lambda w: [w.report.pk],
        lambda w: {"reason": "", "version": w.report.version},
        allowed={"office": {"POST": 400}},
    ),
    "attachment": Route(
        ("GET",),
        lambda w: [w.report.pk, w.attachment.pk],
        allowed={"office": {"GET": 200}, "owner": {"GET": 200}, "nanjing": {"GET": 200}},
    ),
    "my_reports": Route(("GET",), allowed={"owner": {"GET": 200}, "stranger": {"GET": 200}}),
    "my_report": Route(
        ("GET", "POST"),
        lambda w: [w.report.pk],
        lambda w: {"milestones": "越权", "version": w.report.version, "save": ""},
        # Submitted: the owner reads it, and a save is refused with the reason.
        allowed={"owner": {"GET": 200, "POST": 400}},
    ),
    "attach": Route(
        ("POST",),
        lambda w: [w.report.pk],
        lambda w: {"file": pdf_upload()},
        allowed={"owner": {"POST": 302}},
    ),
    "detach": Route(
        ("POST",),
        lambda w: [w.report.pk, w.attachment.pk],
        allowed={"owner": {"POST": 302}},
    ),
    "area_reports": Route(("GET",), allowed={"nanjing": {"GET": 200}, "suzhou": {"GET": 200}}),
    "area_report": Route(
        ("GET", "POST"),
        lambda w: [w.report.pk],
        lambda w: {"text": "意见", "version": 0},
        allowed={"nanjing": {"GET": 200, "POST": 302}},
    ),
}


def test_every_url_has_a_route():
    assert {p.name for p in urls.urlpatterns} == set(ROUTES)


@pytest.mark.parametrize("name", sorted(ROUTES))
@pytest.mark.parametrize("actor", ACTORS)
def test_who_reaches_what(client, world, name, actor):
    route = ROUTES[name]
    url = reverse(f"tracking:{name}", args=route.args(world))
    if actor != "anonymous":
        client.force_login(world.users[actor])
    for method in route.methods:
        before = _state(world)
        response = getattr(client, method.lower())(url, route.data(world))
        if actor == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response.url
        else:
            expected = route.allowed.get(actor, {}).get(method, 404)
            assert response.status_code == expected, (name, actor, method)
        if expected_unchanged(route, actor, method):
            assert _state(world) == before, (name, actor, method)


def expected_unchanged(route, actor, method):
    return method == "POST" and (actor == "anonymous" or method not in route.allowed.get(actor, {}))


def _state(world):
    report = type(world.report).objects.get(pk=world.report.pk)
    return (
        report.state,
        report.version,
        report.milestones,
        report.attachments.count(),
        AuthorityComment.objects.count(),
        TrackingRound.objects.get(pk=world.round.pk).state,
        world.round.reports.count(),
        type(world.batch).objects.get(pk=world.batch.pk).state,
    )
