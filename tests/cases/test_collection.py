"""The yearly collection PDF: rendered in the background, stored, served from the file."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from keyprojects.cases import collection, domain
from keyprojects.cases.models import Collection

from .conftest import publish
from .images import png


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def published(case, office, office2, owner):
    domain.add_figure(case, label="服务人次", value=Decimal("1200"), unit="万", by=office)
    domain.add_image(case, png(), caption="城市运行指挥中心", by=office)
    return publish(case, office=office, checker=office2, owner=owner)


def test_publishing_renders_the_year_with_cover_contents_figures_and_pictures(published, client):
    stored = Collection.objects.get(year=published.year)
    assert stored.state == "ready" and stored.case_count == 1 and stored.has_file
    response = client.get(f"/cases/collection/{published.year}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    text = pdf_text(data)
    assert f"{published.year}年智慧江苏重点工程" in text  # the cover
    assert "目录" in text
    assert text.count(published.title) >= 2  # in the contents and as the section heading
    assert "服务人次" in text and "1200" in text
    assert "城市运行指挥中心" in text  # the picture's caption
    reader = PdfReader(io.BytesIO(data))
    assert any("/XObject" in (page["/Resources"] or {}) for page in reader.pages)  # the picture


def test_a_second_case_joins_the_collection(published, select, office, office2):
    other = select("数字孪生水务平台", seat="320505")
    case = domain.create_case(other, by=office)
    publish(case, office=office, checker=office2, owner=other.organisation.users.get())
    stored = Collection.objects.get(year=published.year)
    assert stored.case_count == 2
    with stored.file.open("rb") as f:
        text = pdf_text(f.read())
    assert published.title in text and "数字孪生水务平台" in text


def run_worker():
    # The worker closes the database connection between tasks, as in production; the tests
    # that call it therefore run with committed transactions (django_db(transaction=True)).
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")


@pytest.mark.django_db(transaction=True)
def test_unpublishing_withdraws_the_stored_file_at_once(published, office, settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    old = Collection.objects.get(year=published.year).file.name
    storage = Collection._meta.get_field("file").storage
    domain.act(published, "unpublish", by=office, expected_version=published.version, reason="更新")
    stored = Collection.objects.get(year=published.year)
    assert not stored.has_file and stored.state == "pending" and not storage.exists(old)
    # No published case is left: nothing to wait for.
    assert client.get(f"/cases/collection/{published.year}.pdf").status_code == 404
    run_worker()
    stored.refresh_from_db()
    assert stored.state == "ready" and stored.case_count == 0 and not stored.has_file


@pytest.mark.django_db(transaction=True)
def test_while_none_is_ready_the_page_says_so(case, office, office2, owner, settings, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    published = publish(case, office=office, checker=office2, owner=owner)
    response = client.get(f"/cases/collection/{published.year}.pdf")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "汇编正在生成" in response.content.decode()
    run_worker()
    response = client.get(f"/cases/collection/{published.year}.pdf")
    assert response.status_code == 200
    assert published.title in pdf_text(b"".join(response.streaming_content))


def test_an_older_request_never_overwrites_a_newer_one(published, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first = collection.request(published.year).generation
    second = collection.request(published.year).generation
    assert collection.render_and_store(published.year, first) == "superseded"
    assert Collection.objects.get(year=published.year).state == "pending"
    assert collection.render_and_store(published.year, second) == "ready"


def test_a_year_without_cases_has_no_collection(client, db):
    assert client.get("/cases/collection/2019.pdf").status_code == 404
