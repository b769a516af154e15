"""One authorisation matrix generated from the whole URL configuration.

Every named URL of the site (walked from the root resolver, with namespaces) must have at
least one row in table.ROWS; each (row, method, role) is its own test. Excluded: Django's
admin (one row of its own below), django.contrib.auth's views (login, logout, password_*),
static/media and the API (api-v1:*, tested by token scope in tests/api). Refused POSTs
must change nothing (state() below); allowed POSTs carry an empty body and may be refused
by the form (400/409): only that the role got through is asserted.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY

from keyprojects.audit.models import Event

from .holes import HOLES
from .table import (
    ADMIN,
    ANONYMOUS,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OFFICE,
    OWNER,
    ROLES,
    ROWS,
    SECOND_FACTOR,
    SECOND_FACTOR_PAGES,
    UNVERIFIED,
)

pytestmark = pytest.mark.django_db

# django.contrib.auth.urls and the login page the root urls.py puts in front of it.
AUTH_VIEWS = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
EXCLUDED_NAMESPACES = ("admin", "api-v1")


def walk(patterns, namespace=None, prefix=""):
    """(view name, route, converters) of every named pattern under `patterns`."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, route, dict(pattern.pattern.converters)


def site_urls():
    """{view name: (route, converters)} of every URL the matrix must cover."""
    found = {}
    for name, route, converters in walk(get_resolver().url_patterns):
        if name in AUTH_VIEWS or name.split(":")[0] in EXCLUDED_NAMESPACES:
            continue
        if route.startswith(("static/", "media/")):
            continue
        found.setdefault(name, (route, converters))
    return found


def test_every_url_has_an_entry():
    missing = sorted(set(site_urls()) - {row.name for row in ROWS})
    assert not missing, f"URLs without a row in tests/security/table.py: {missing}"
    unknown = sorted({row.name for row in ROWS} - set(site_urls()))
    assert not unknown, f"rows for URLs that no longer exist: {unknown}"


# --- Object ids in URLs ---------------------------------------------------------------------

# (view name, argument) → why an id other than a UUID is acceptable there.
NOT_UUID = {
    ("calls:material", "pk"): "a published call's public download; integer id of CallMaterial",
    ("orgs:unlock", "pk"): "django-axes' AccessAttempt (integer key), office only, POST",
    ("orgs:accept_invitation", "token"): "a signed, expiring token (django.core.signing)",
    ("api:docs_asset", "name"): "one of two fixed file names of Swagger UI's bundle",
    ("stats:export", "figure"): "the name of a figure of the dashboard, not an object",
    ("documents:start_export", "name"): "the name of a list (documents/listings.py)",
}


def acceptable(name, argument, converter):
    kind = type(converter).__name__
    if kind == "UUIDConverter" or (name, argument) in NOT_UUID:
        return True
    if argument == "slug" and kind == "SlugConverter":
        return True  # a call's slug: calls are public (their announcement pages)
    return argument == "year" and kind == "IntConverter"  # a year is not an object


def test_object_ids_in_urls_are_not_guessable():
    urls = site_urls()
    guessable = sorted(
        f"{name} <{type(converter).__name__}:{argument}>"
        for name, (route, converters) in urls.items()
        for argument, converter in converters.items()
        if not acceptable(name, argument, converter)
    )
    assert not guessable, (
        f"URL arguments that are neither UUIDs nor listed in NOT_UUID: {guessable}"
    )
    stale = sorted(
        f"{name} <{argument}>"
        for name, argument in NOT_UUID
        if argument not in urls.get(name, ("", {}))[1]
    )
    assert not stale, f"NOT_UUID lists arguments no URL has any more: {stale}"


# --- The matrix -----------------------------------------------------------------------------


def state():
    """Everything a refused request could have changed: rows and versions/states of every
    model of the project, and the business events of the audit trail (sign-ins, downloads
    and refusals are recorded by the middleware whatever the outcome)."""
    snapshot = {}
    for model in apps.get_models():
        if not model.__module__.startswith("keyprojects.") or model is Event:
            continue
        fields = {f.name for f in model._meta.concrete_fields}
        tracked = [f for f in ("version", "state", "status") if f in fields]
        rows = model.objects.order_by("pk").values_list("pk", *tracked)
        snapshot[model._meta.label] = list(rows)
    snapshot["events"] = Event.objects.exclude(
        target_type__in=["auth.user", "download", "request"]
    ).count()
    return snapshot


def sign_in(client, world, role):
    if role == ANONYMOUS:
        return
    user = world.users[role]
    client.force_login(user)
    device = world.devices.get(role)
    if device is not None and role != UNVERIFIED:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def expectation(row, role):
    if role == UNVERIFIED and row.name not in SECOND_FACTOR_PAGES:
        return SECOND_FACTOR
    if role in row.allowed:
        return "allowed"
    return row.anonymous if role == ANONYMOUS else row.refused


def cases():
    for row in ROWS:
        for method in row.methods:
            for role in ROLES:
                marks = []
                reason = HOLES.get((row.id, role))
                if reason:
                    marks.append(pytest.mark.xfail(strict=True, reason=f"HOLE: {reason}"))
                yield pytest.param(row, method, role, id=f"{row.id}-{method}-{role}", marks=marks)


def assert_redirected_to(response, names, url):
    assert response.status_code == 302, f"got {response.status_code}, expected a redirect"
    location = urlsplit(response["Location"])
    assert location.path in {reverse(name) for name in names}, response["Location"]
    if "login" in names:
        assert parse_qs(location.query)["next"] == [url]


def is_refusal_redirect(response):
    if response.status_code != 302:
        return False
    path = urlsplit(response["Location"]).path
    return path in {reverse("login"), reverse("experts:setup"), reverse("experts:verify")}


@pytest.mark.parametrize(("row", "method", "role"), list(cases()))
def test_matrix(client, world, row, method, role):
    url = reverse(row.name, kwargs=row.kwargs(world))
    query = row.query(world)
    expected = expectation(row, role)
    sign_in(client, world, role)
    before = state() if method == "POST" and expected != "allowed" else None

    path = f"{url}?{query}" if query else url
    if method == "GET":
        response = client.get(path, **row.environ)
    else:
        response = client.post(path, row.data(world), **row.environ)

    if expected == "allowed":
        usual = {200, 302} if method == "GET" else {200, 302, 400, 409}
        assert response.status_code in usual | row.ok, f"{role} got {response.status_code}"
        if row.name not in SECOND_FACTOR_PAGES:
            assert not is_refusal_redirect(response), response["Location"]
        return
    if expected == LOGIN:
        assert_redirected_to(response, ["login"], path)
    elif expected == SECOND_FACTOR:
        assert_redirected_to(response, ["experts:verify"], path)
    else:
        assert expected in (NOT_FOUND, FORBIDDEN)
        assert response.status_code == expected, f"{role} got {response.status_code}"
    if before is not None:
        assert state() == before, "a refused request changed something"


def test_state_sees_what_a_post_changes(client, world):
    """The check above is not vacuous: the owner's empty POST deleting its draft's
    attachment does delete it, and state() sees that."""
    sign_in(client, world, OWNER)
    before = state()
    kwargs = {"pk": world.draft.pk, "attachment_pk": world.approval(world.draft)}

    response = client.post(reverse("applications:delete_attachment", kwargs=kwargs))

    assert response.status_code == 302
    assert state() != before


# --- Django's admin: one row -----------------------------------------------------------------

ADMIN_PAGES = ["admin:index", "admin:api_apitoken_changelist", "admin:orgs_user_changelist"]
# Staff see the admin; the office (staff) only the models it manages: API tokens, not users.
# Which systems receive data is the office's decision, not the administrator's (SPEC §2).
ADMIN_ALLOWED = {
    "admin:index": {OFFICE, ADMIN},
    "admin:api_apitoken_changelist": {OFFICE},
    "admin:orgs_user_changelist": {ADMIN},
}


@pytest.mark.parametrize("page", ADMIN_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_admin(client, world, page, role):
    url = reverse(page)
    sign_in(client, world, role)

    response = client.get(url)

    if role == UNVERIFIED:
        assert_redirected_to(response, ["experts:verify"], url)
    elif role in ADMIN_ALLOWED[page]:
        assert response.status_code == 200
    elif role in (OFFICE, ADMIN):
        assert response.status_code == 403  # staff, but not allowed this model
    else:
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("admin:login")
