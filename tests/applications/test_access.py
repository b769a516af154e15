"""Per-object security: another organisation's application and attachment are "not found".

Every URL of keyprojects.applications.urls that takes an application pk is in ROUTES below,
with the method(s) it answers and the state the application must be in for the request to
change something if it were let through. A new URL with a pk fails
test_every_application_url_is_in_the_table until it gets an entry here.

The test client does not enforce CSRF, so a refused POST here is refused by the view itself.
"""

import dataclasses
import io
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from keyprojects.applications import domain, urls
from keyprojects.applications.models import Application, AttachmentKind
from keyprojects.applications.workflow import Status
from keyprojects.audit.queries import object_events

from .. import factories

DRAFT, SUBMITTED = "draft", "submitted"


@dataclasses.dataclass(frozen=True)
class Route:
    methods: tuple[str, ...]
    # The state the target application is put in, so the request would act if allowed.
    target: str
    # POST body that would change the application if the view let the request through.
    data: Callable[[Application], dict] = lambda application: {}


def _edit_data(application):
    return {
        "version": application.version,
        "editor_token": "intruder",
        "name": "被他人篡改的项目名称",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
    }


ROUTES = {
    "detail": Route(("GET",), DRAFT),
    "edit": Route(("GET", "POST"), DRAFT, _edit_data),
    "autosave": Route(("POST",), DRAFT, _edit_data),
    "submit": Route(("POST",), DRAFT),
    "withdraw": Route(("POST",), SUBMITTED, lambda application: {"reason": "他人撤回"}),
    "pdf": Route(("GET",), SUBMITTED),
    "upload_attachment": Route(
        ("POST",),
        DRAFT,
        lambda application: {"kind": AttachmentKind.OTHER, "file": factories.pdf_upload()},
    ),
    "attachment": Route(("GET",), DRAFT),
    "delete_attachment": Route(("POST",), DRAFT),
}

CASES = [(name, method) for name, route in ROUTES.items() for method in route.methods]
CASE_IDS = [f"{name}-{method}" for name, method in CASES]


def application_url_names() -> set[str]:
    """The names of the URLs in applications.urls whose pattern captures an application pk."""
    return {p.name for p in urls.urlpatterns if "pk" in p.pattern.regex.groupindex}


def test_every_application_url_is_in_the_table():
    assert application_url_names() == set(ROUTES), (
        "Each URL of keyprojects.applications.urls with a `pk` needs an entry in ROUTES, "
        "so that its per-object security is tested."
    )


def url_for(name, application, attachment_pk=None):
    """The URL `name` for `application`, filling in any other captured pk it needs."""
    pattern = next(p for p in urls.urlpatterns if p.name == name)
    kwargs = {"pk": application.pk}
    for group in pattern.pattern.regex.groupindex:
        if group == "attachment_pk":
            kwargs[group] = (
                attachment_pk or application.attachments.get(kind=AttachmentKind.APPROVAL).pk
            )
        elif group != "pk":
            raise AssertionError(f"url_for() does not know how to fill <{group}> of {name!r}")
    return reverse(f"applications:{name}", kwargs=kwargs)


def request(client, method, url, data=None):
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def media_files() -> set[str]:
    root = settings.MEDIA_ROOT
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def snapshot(application) -> dict:
    """Everything a request could change about an application, plus the audit log and files."""
    row = Application.objects.values("status", "version", "name", "updated_at").get(
        pk=application.pk
    )
    return {
        **row,
        "attachments": sorted(
            str(pk) for pk in application.attachments.values_list("pk", flat=True)
        ),
        "partners": application.partners.count(),
        "events": object_events().count(),
        "media_files": media_files(),
    }


@pytest.fixture
def victim(call, applicant):
    """Complete applications of `applicant`'s organisation, one draft and one submitted, each
    with its approval attachment."""
    draft = factories.make_application(call, applicant)
    submitted = factories.make_application(call, applicant, name="已提交的项目")
    domain.submit(submitted, by=applicant)
    submitted.refresh_from_db()
    assert (draft.status, submitted.status) == (Status.DRAFT, Status.SUBMITTED)
    return {DRAFT: draft, SUBMITTED: submitted}


@pytest.fixture
def no_organisation_user(regions):
    """A signed-up user who belongs to no organisation (and is not staff)."""
    return factories.make_user(None)


@pytest.fixture
def request_fixture(request):
    """Look a user fixture up by name, so tests can be parametrised over users."""
    return request.getfixturevalue


def log_in(client, user):
    assert client.login(username=user.username, password=factories.PASSWORD)


# --- Another organisation, no organisation, anonymous --------------------------------------


@pytest.mark.parametrize("actor", ["stranger", "no_organisation_user"])
@pytest.mark.parametrize(("name", "method"), CASES, ids=CASE_IDS)
def test_outsider_gets_not_found_and_changes_nothing(
    request_fixture, client, victim, actor, name, method
):
    log_in(client, request_fixture(actor))
    route = ROUTES[name]
    application = victim[route.target]
    before = snapshot(application)

    response = request(client, method, url_for(name, application), route.data(application))

    assert response.status_code == 404
    assert application.name.encode() not in response.content
    assert snapshot(application) == before


@pytest.mark.parametrize(("name", "method"), CASES, ids=CASE_IDS)
def test_anonymous_is_sent_to_login_and_changes_nothing(client, victim, name, method):
    route = ROUTES[name]
    application = victim[route.target]
    url = url_for(name, application)
    before = snapshot(application)

    response = request(client, method, url, route.data(application))

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/accounts/login/"
    assert parse_qs(location.query)["next"] == [url]
    assert snapshot(application) == before


@pytest.mark.parametrize("name", ["attachment", "delete_attachment"])
def test_own_application_pk_does_not_reach_another_organisations_attachment(
    client, call, victim, stranger, name
):
    """The attachment is looked up within the application named in the URL, not globally."""
    own = factories.make_application(call, stranger)
    target = victim[DRAFT]
    log_in(client, stranger)
    before, own_before = snapshot(target), snapshot(own)

    response = request(
        client,
        "GET" if name == "attachment" else "POST",
        url_for(name, own, attachment_pk=target.attachments.get().pk),
    )

    assert response.status_code == 404
    assert (snapshot(target), snapshot(own)) == (before, own_before)


# --- The owner's side: positive controls and unknown pks -----------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("member", ["applicant", "colleague"])
def test_members_of_the_organisation_see_detail_and_download(
    request_fixture, client, call, applicant, member
):
    application = factories.make_application(call, applicant)
    content = png_bytes()
    log_in(client, applicant)
    # The browser claims a type and a name that do not match the content; the content wins.
    upload = SimpleUploadedFile("现场照片.pdf", content, content_type="text/html")
    response = client.post(
        url_for("upload_attachment", application),
        {"kind": AttachmentKind.OTHER, "file": upload},
    )
    assert response.status_code == 302
    attachment = application.attachments.get(kind=AttachmentKind.OTHER)
    assert attachment.content_type == "image/png"

    client.logout()
    log_in(client, request_fixture(member))
    response = client.get(url_for("detail", application))
    assert response.status_code == 200
    assert application.name in response.content.decode()

    response = client.get(url_for("attachment", application, attachment.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    # Reading the stream to its end closes the response, as a WSGI server would.
    downloaded = b"".join(response.streaming_content)
    with attachment.file.open("rb") as stored:
        assert downloaded == stored.read()
    # The picture as stored is redrawn (documents/images.py): the same pixels.
    assert Image.open(io.BytesIO(downloaded)).tobytes() == Image.open(io.BytesIO(content)).tobytes()

    approval = application.attachments.get(kind=AttachmentKind.APPROVAL)
    response = client.get(url_for("attachment", application, approval.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(("name", "method"), CASES, ids=CASE_IDS)
def test_random_application_pk_is_not_found_for_the_owner(client, victim, applicant, name, method):
    route = ROUTES[name]
    application = victim[route.target]
    url = url_for(name, application).replace(str(application.pk), str(uuid.uuid4()))
    log_in(client, applicant)
    before = snapshot(application)

    response = request(client, method, url, route.data(application))

    assert response.status_code == 404
    assert snapshot(application) == before


@pytest.mark.parametrize("name", ["attachment", "delete_attachment"])
def test_random_attachment_pk_is_not_found_for_the_owner(client, victim, applicant, name):
    application = victim[DRAFT]
    log_in(client, applicant)
    before = snapshot(application)

    response = request(
        client,
        "GET" if name == "attachment" else "POST",
        url_for(name, application, attachment_pk=uuid.uuid4()),
    )

    assert response.status_code == 404
    assert snapshot(application) == before


POST_CASES = [(name, method) for name, method in CASES if method == "POST"]


@pytest.mark.parametrize(("name", "method"), POST_CASES, ids=[f"{n}-{m}" for n, m in POST_CASES])
def test_table_posts_really_act_for_the_owner(client, victim, applicant, name, method):
    """Sanity check of ROUTES itself: each POST, sent by the owner, does change something, so
    the "nothing changed" assertions above are not vacuous."""
    route = ROUTES[name]
    application = victim[route.target]
    log_in(client, applicant)
    before = snapshot(application)

    response = request(client, method, url_for(name, application), route.data(application))

    assert response.status_code in (200, 302)
    assert snapshot(application) != before
