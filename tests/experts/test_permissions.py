"""Who may use each URL of the experts app: the office, an expert (assigned or not), the
applicant, a reviewer, anonymous. Refused requests answer 404 (or the login page) and change
nothing. Every URL of keyprojects.experts.urls must be in ROUTES.

One world is built once for the module (rolled back at its end): one application that passed
the formal check (南京市玄武区, 数字治理类), an expert assigned to it by hand, a second expert
of the pool, both with a confirmed authenticator.
"""

import dataclasses
import io
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from keyprojects.audit.models import Event
from keyprojects.experts import assignment, urls
from keyprojects.experts.imports import COLUMNS, POOL
from keyprojects.experts.models import (
    Assignment,
    AssignmentRun,
    ConflictDeclaration,
    Expert,
    ReviewPlan,
)
from keyprojects.imports.domain import stage
from keyprojects.orgs.models import User
from keyprojects.orgs.reference import load_authorities, load_departments, load_regions

from .. import factories
from .conftest import make_expert, passed_application

pytestmark = pytest.mark.django_db

ACTORS = ["office", "expert", "other_expert", "applicant", "reviewer", "anonymous"]
EXPERTS = {"expert", "other_expert"}


@dataclasses.dataclass
class World:
    call: object
    users: dict
    devices: dict
    application: object
    expert: Expert
    other_expert: Expert
    assigned: Assignment
    staged: object  # the office's upload of one new expert, awaiting confirmation


def build_world() -> World:
    load_regions()
    load_departments()
    load_authorities()
    call = factories.make_call(slug="experts-permissions")
    office = factories.make_office(username="perm_office")
    application = passed_application(call, office, seat="320102")
    assignment.plan_for(call)
    # Two places per application: one taken below, one for the office's hand edit.
    call.review_plan.experts_per_application, call.review_plan.max_per_expert = 2, 5
    call.review_plan.save()
    expert, other = make_expert(city="320300"), make_expert(city="320200")
    assigned = assignment.add_expert(application, expert, by=office)
    users = {
        "office": office,
        "expert": expert.user,
        "other_expert": other.user,
        "applicant": application.organisation.users.get(),
        "reviewer": factories.make_user(None, authority=application.authority),
    }
    devices = {
        actor: TOTPDevice.objects.create(user=users[actor], name="authenticator", confirmed=True)
        for actor in EXPERTS
    }
    staged = stage(POOL, sheet(), by=office)
    return World(call, users, devices, application, expert, other, assigned, staged)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("experts-permissions-media")
    at_once = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, TASKS=at_once),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


def sheet():
    workbook = Workbook()
    workbook.active.append(COLUMNS)
    workbook.active.append(
        ["新专家", "南京大学", factories.credit_code("12320000MB"), "南京市", "数字治理类",
         "13900000009", "new.expert@example.com"]
    )  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("experts.xlsx", buffer.getvalue())


EXPERT_OWN, OFFICE = "the expert's own", "office only"
GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")


@dataclasses.dataclass(frozen=True)
class Route:
    methods: tuple
    kind: str
    args: Callable[[World], dict] = lambda world: {}
    data: Callable[[World], dict] = lambda world: {}


def declaration(world):
    return {
        "credit_code": factories.credit_code("91320500MA"),
        "organisation_name": "某关联公司",
        "reason": "曾在该单位任职",
    }


ROUTES = {
    "home": Route(GET, EXPERT_OWN),
    "declarations": Route(BOTH, EXPERT_OWN, data=declaration),
    "pool": Route(GET, OFFICE),
    # The upload stages the sheet (imports app); the import itself is the confirmation.
    "import": Route(BOTH, OFFICE, data=lambda world: {"file": sheet()}),
    "import_template": Route(GET, OFFICE),
    "import_report": Route(GET, OFFICE, lambda world: {"pk": world.staged.pk}),
    "import_confirm": Route(POST, OFFICE, lambda world: {"pk": world.staged.pk}),
    "import_progress": Route(GET, OFFICE, lambda world: {"pk": world.staged.pk}),
    "import_errors": Route(GET, OFFICE, lambda world: {"pk": world.staged.pk}),
    "expert": Route(GET, OFFICE, lambda world: {"pk": world.expert.pk}),
    "office_declare": Route(POST, OFFICE, lambda world: {"pk": world.expert.pk}, declaration),
    "reset_second_factor": Route(
        POST, OFFICE, lambda world: {"pk": world.expert.pk}, lambda world: {"reason": "手机遗失"}
    ),
    "plan": Route(
        BOTH,
        OFFICE,
        lambda world: {"slug": world.call.slug},
        lambda world: {
            "experts_per_application": 2,
            "max_per_expert": 9,
            "blind": "on",
            "version": world.call.review_plan.version,
        },
    ),
    "assignment": Route(GET, OFFICE, lambda world: {"slug": world.call.slug}),
    "run_assignment": Route(POST, OFFICE, lambda world: {"slug": world.call.slug}),
    "application": Route(
        BOTH,
        OFFICE,
        lambda world: {"pk": world.application.pk},
        lambda world: {"expert": str(world.other_expert.pk), "reason": "补充"},
    ),
    "remove_assignment": Route(
        POST, OFFICE, lambda world: {"pk": world.assigned.pk}, lambda world: {"reason": "调整"}
    ),
}
SECOND_FACTOR_URLS = {"setup", "verify"}


def test_every_url_is_in_the_table():
    assert {p.name for p in urls.urlpatterns} == set(ROUTES) | SECOND_FACTOR_URLS


def state():
    return {
        # Sign-ins and downloads (the import's template and error rows) are events too
        # (audit signals and middleware); what matters here is the rest.
        "events": Event.objects.exclude(target_type__in=["auth.user", "download"]).count(),
        "assignments": set(Assignment.objects.values_list("pk", flat=True)),
        "runs": AssignmentRun.objects.count(),
        "declarations": ConflictDeclaration.objects.count(),
        "experts": Expert.objects.count(),
        "users": User.objects.count(),
        "devices": TOTPDevice.objects.filter(confirmed=True).count() + StaticDevice.objects.count(),
        "plan": tuple(
            ReviewPlan.objects.values_list("experts_per_application", "max_per_expert", "version")
        ),
    }


def fetch(client, world, actor, method, url, data=None):
    if actor != "anonymous":
        client.force_login(world.users[actor])
        if actor in EXPERTS:  # a session verified with the second factor
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = world.devices[actor].persistent_id
            session.save()
    return client.get(url) if method == "GET" else client.post(url, data or {})


def url_for(world, name, **overrides):
    return reverse(f"experts:{name}", kwargs={**ROUTES[name].args(world), **overrides})


def assert_sent_to_login(response, url):
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query)["next"] == [url]


CASES = [
    pytest.param(name, method, actor, id=f"{name}-{method}-{actor}")
    for name, route in ROUTES.items()
    for method in route.methods
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "method", "actor"), CASES)
def test_who_may_use_each_url(client, world, name, method, actor):
    route = ROUTES[name]
    url = url_for(world, name)
    before = state()

    response = fetch(client, world, actor, method, url, route.data(world))

    after = state()
    entitled = actor in EXPERTS if route.kind == EXPERT_OWN else actor == "office"
    if actor == "anonymous":
        assert_sent_to_login(response, url)
    elif not entitled:
        assert response.status_code == 404
        assert world.application.name.encode() not in response.content
    elif method == "GET":
        # A batch not being imported: its progress page sends back to its report.
        assert response.status_code == (302 if name == "import_progress" else 200)
    else:
        assert response.status_code == 302
        assert after["events"] > before["events"]  # the change was made and recorded
        return
    assert after == before


def test_the_expert_sees_only_their_own_tasks(client, world):
    shown = fetch(client, world, "expert", "GET", reverse("experts:home"))
    assert world.application.name in shown.content.decode()
    other = fetch(client, world, "other_expert", "GET", reverse("experts:home"))
    assert world.application.name not in other.content.decode()


def test_an_expert_cannot_declare_on_an_application_not_assigned_to_them(client, world):
    before = state()
    response = fetch(
        client,
        world,
        "other_expert",
        "POST",
        reverse("experts:declarations"),
        {"application": str(world.application.pk), "reason": "想看看这个项目"},
    )
    assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize("name", sorted(SECOND_FACTOR_URLS))
@pytest.mark.parametrize("actor", ACTORS)
def test_second_factor_pages_need_a_login_only(client, world, name, actor):
    url = reverse(f"experts:{name}")
    response = fetch(client, world, actor, "GET", url)
    if actor == "anonymous":
        assert_sent_to_login(response, url)
    elif name == "verify" and actor not in EXPERTS:
        # No authenticator yet: verification starts with setting one up.
        assert response["Location"].startswith(reverse("experts:setup"))
    else:
        assert response.status_code == 200


def identifiers(name):
    pattern = next(p for p in urls.urlpatterns if p.name == name)
    return list(pattern.pattern.regex.groupindex)


UNKNOWN_CASES = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name, route in ROUTES.items()
    if identifiers(name)
    for method in route.methods
]


@pytest.mark.parametrize(("name", "method"), UNKNOWN_CASES)
def test_an_unknown_identifier_is_not_found(client, world, name, method):
    unknown = {k: ("no-such-call" if k == "slug" else uuid.uuid4()) for k in identifiers(name)}
    before = state()
    response = fetch(
        client, world, "office", method, url_for(world, name, **unknown), ROUTES[name].data(world)
    )
    assert response.status_code == 404
    assert state() == before


WRONG_METHODS = [
    pytest.param(name, method, id=f"{name}-{method}")
    for name, route in ROUTES.items()
    for method in ["GET", "POST"]
    if method not in route.methods
]


@pytest.mark.parametrize(("name", "method"), WRONG_METHODS)
def test_other_methods_are_not_allowed(client, world, name, method):
    actor = "office" if ROUTES[name].kind == OFFICE else "expert"
    response = fetch(client, world, actor, method, url_for(world, name))
    assert response.status_code == 405
