"""Every selection URL is the provincial office's alone: anonymous users are sent to log
in, everybody else (the applicant, reviewers of a county, of the very city that
recommended the application, of a provincial department) gets "not found" and changes
nothing. Every URL of keyprojects.selection.urls must have an entry in ROUTES."""

import dataclasses
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from keyprojects.applications.models import Application, AttachmentKind
from keyprojects.audit.models import Event
from keyprojects.selection import urls
from keyprojects.selection.models import FormalCheck, SimilarityRun, SimilarPair

from . import texts
from .conftest import recommended
from .test_verdicts import ALL_PASS, form

ACTORS = ["anonymous", "applicant", "county", "city", "department", "office"]


@dataclasses.dataclass
class World:
    call: object
    application: object
    attachment: object
    pair: object
    users: dict


@pytest.fixture
def world(call, office, nanjing_reviewer, county_reviewer, department_reviewer):
    application = recommended(
        call, reviewer=nanjing_reviewer, name="城市智慧水务平台", construction_content=texts.WATER
    )
    other = recommended(call, name="智慧水务管理平台", construction_content=texts.WATER_BY_PARTNER)
    pair = SimilarPair.objects.create(
        call=call,
        application=application,
        other_application=other,
        estimated_jaccard=0.7,
        jaccard=0.72,
        name_jaccard=0.5,
        passages=["二次供水泵房远程监控"],
        found_at=application.submitted_at,
    )
    return World(
        call=call,
        application=application,
        attachment=application.attachments.get(kind=AttachmentKind.APPROVAL),
        pair=pair,
        users={
            "applicant": application.organisation.users.first(),
            "county": county_reviewer,
            "city": nanjing_reviewer,  # the authority that recommended the application
            "department": department_reviewer,
            "office": office,
        },
    )


@dataclasses.dataclass(frozen=True)
class Route:
    methods: tuple
    kwargs: Callable
    data: Callable = lambda world: {}
    # What the office gets: a status code, and a check of what changed.
    office_status: dict = dataclasses.field(default_factory=lambda: {"GET": 200, "POST": 302})


def _call(world):
    return {"slug": world.call.slug}


def _application(world):
    return {"pk": world.application.pk}


ROUTES = {
    "index": Route(("GET",), lambda world: {}, office_status={"GET": 302}),
    "overview": Route(("GET",), _call),
    "check": Route(("GET", "POST"), _application, lambda world: form(ALL_PASS, verdict="pass")),
    "attachment": Route(
        ("GET",), lambda world: {"pk": world.application.pk, "attachment_pk": world.attachment.pk}
    ),
    "duplicates": Route(("GET",), _call),
    "run_similarity": Route(("POST",), _call),
    "similarity_progress": Route(("GET",), _call),
    "pair": Route(
        ("GET", "POST"),
        lambda world: {"pk": world.pair.pk},
        lambda world: {"verdict": "duplicate", "note": "同一项目"},
    ),
}
CASES = [(name, method) for name, route in ROUTES.items() for method in route.methods]


def test_every_selection_url_is_in_the_table():
    assert {p.name for p in urls.urlpatterns} == set(ROUTES)


def state():
    return {
        "statuses": dict(Application.objects.values_list("name", "status")),
        "checks": FormalCheck.objects.count(),
        "runs": SimilarityRun.objects.count(),
        "verdicts": list(SimilarPair.objects.values_list("verdict", flat=True)),
        "events": Event.objects.count(),
    }


@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_only_the_office_gets_through(client, world, name, method):
    route = ROUTES[name]
    url = reverse(f"selection:{name}", kwargs=route.kwargs(world))
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world.users[actor])
        before = state()
        response = client.get(url) if method == "GET" else client.post(url, route.data(world))
        after = state()
        if actor == "anonymous":
            assert response.status_code == 302, actor
            location = urlsplit(response["Location"])
            assert location.path == reverse("login")
            assert parse_qs(location.query)["next"] == [url]
            assert after == before
        elif actor != "office":
            assert response.status_code == 404, actor
            assert after == before, actor
            assert world.application.name.encode() not in response.content
        else:
            assert response.status_code == route.office_status[method]
            if method == "POST":
                assert after != before  # the office's request did act
            if name == "attachment":
                assert response["Content-Disposition"].startswith("attachment;")


def test_unknown_objects_are_not_found_for_the_office(client, world):
    client.force_login(world.users["office"])
    for name, method in CASES:
        real = ROUTES[name].kwargs(world)
        for identifier in real:  # one unknown identifier at a time
            unknown = "no-such-call" if identifier == "slug" else uuid.uuid4()
            url = reverse(f"selection:{name}", kwargs={**real, identifier: unknown})
            before = state()
            if method == "GET":
                response = client.get(url)
            else:
                response = client.post(url, ROUTES[name].data(world))
            assert response.status_code == 404, (name, method, identifier)
            assert state() == before


def test_an_unknown_call_in_the_switch_is_not_found(client, world):
    client.force_login(world.users["office"])
    assert client.get(reverse("selection:index") + "?call=nope").status_code == 404
    response = client.get(reverse("selection:index") + f"?call={world.call.slug}")
    assert response["Location"] == reverse("selection:overview", args=[world.call.slug])


WRONG = [
    (name, method)
    for name, route in ROUTES.items()
    for method in ["GET", "POST"]
    if method not in route.methods
]


def test_other_methods_are_not_allowed(client, world):
    client.force_login(world.users["office"])
    for name, method in WRONG:
        url = reverse(f"selection:{name}", kwargs=ROUTES[name].kwargs(world))
        before = state()
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == 405, (name, method)
        assert state() == before


def test_the_nav_shows_selection_to_the_office_only(client, world):
    link = reverse("selection:index")
    for actor in ["applicant", "city", "office"]:
        client.force_login(world.users[actor])
        body = client.get(reverse("home")).content.decode()
        assert (f'href="{link}"' in body) is (actor == "office"), actor
