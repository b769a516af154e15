"""Uploads are scanned by a real ClamAV daemon when one is configured, and refused when it
finds something or cannot be asked (fail closed). /healthz says whether it answers.

clamd runs here on a one-signature database (tests/clamd.py); the infected files are
otherwise valid files carrying that signature's test marker.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from keyprojects.applications.models import Attachment
from keyprojects.audit.models import Event
from keyprojects.calls.admin import CallMaterialForm
from keyprojects.cases import images
from keyprojects.core.management.commands.worker import beat
from keyprojects.documents import antivirus
from keyprojects.documents.sheets import BadSheet, read_sheet
from keyprojects.documents.uploads import MB, FileKind, inspect_upload

from ..clamd import MARKER, SIGNATURE, clamd_binary, running_clamd
from ..factories import PASSWORD, make_application, pdf_bytes

pytestmark = pytest.mark.skipif(
    clamd_binary() is None,
    reason="clamd is not installed (Debian package clamav-daemon; `make test` installs it)",
)

PDF_ONLY = [FileKind.PDF]


@pytest.fixture(scope="module")
def clamd(tmp_path_factory):
    with running_clamd(tmp_path_factory.mktemp("clamd"), stream_max="2M") as sock:
        yield sock


@pytest.fixture
def scanning(settings, clamd):
    settings.CLAMD_SOCKET = clamd
    return clamd


def infected_pdf() -> bytes:
    """A one-page PDF whose (uncompressed) page content carries the marker as a comment."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    content = DecodedStreamObject()
    content.set_data(b"% " + MARKER + b"\n")
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def infected_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARKER.decode())
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 120, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assert_refused(content, code, allowed=PDF_ONLY, name="file.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        inspect_upload(SimpleUploadedFile(name, content), allowed, 5 * MB)
    assert refused.value.code == code
    return refused.value


def test_a_clean_file_passes_the_scan(scanning):
    verdict = antivirus.scan(io.BytesIO(pdf_bytes()))
    assert verdict == antivirus.Verdict(clean=True)
    inspected = inspect_upload(SimpleUploadedFile("批复.pdf", pdf_bytes()), PDF_ONLY, 5 * MB)
    assert inspected.kind is FileKind.PDF


def test_the_marker_is_found_in_an_otherwise_valid_pdf(scanning, db):
    content = infected_pdf()
    assert MARKER in content and PdfReader(io.BytesIO(content)).pages  # only the scan refuses

    error = assert_refused(content, "virus", name="带毒.pdf")

    assert SIGNATURE in error.messages[0] and "恶意代码" in error.messages[0]
    found = Event.objects.get(action="virus_found")
    assert found.outcome == Event.Outcome.DENIED
    assert found.target_type == "upload"
    assert found.data["name"] == "带毒.pdf"
    assert SIGNATURE in found.data["signature"]


def test_without_a_configured_scanner_nothing_is_scanned(settings, db):
    settings.CLAMD_SOCKET = ""
    inspected = inspect_upload(SimpleUploadedFile("a.pdf", infected_pdf()), PDF_ONLY, 5 * MB)
    assert inspected.kind is FileKind.PDF
    assert not Event.objects.filter(action="virus_found").exists()


def test_an_unreachable_scanner_refuses_every_upload(settings, tmp_path, db):
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd.sock")
    error = assert_refused(pdf_bytes(), "scanner_unavailable")
    assert "病毒扫描服务暂时不可用" in error.messages[0]

    settings.CLAMD_SOCKET = "127.0.0.1:1"  # host:port, nothing listening
    assert_refused(pdf_bytes(), "scanner_unavailable")


def test_a_file_over_the_scanners_stream_limit_is_refused_not_passed(scanning):
    big = pdf_bytes() + b"%" + b"0" * (3 * MB) + b"\n"  # clamd here accepts 2 MB per stream
    with pytest.raises(antivirus.ScannerUnavailable):
        antivirus.scan(io.BytesIO(big))
    assert_refused(big, "scanner_unavailable")


def test_an_infected_attachment_is_refused_on_the_page_and_audited(
    scanning, client, call, applicant
):
    application = make_application(call, applicant, attach=False)
    client.login(username=applicant.username, password=PASSWORD)

    response = client.post(
        reverse("applications:upload_attachment", args=[application.pk]),
        {"kind": "approval", "file": SimpleUploadedFile("批复.pdf", infected_pdf())},
        follow=True,
    )

    assert "病毒扫描发现文件含有恶意代码" in response.content.decode()
    assert not Attachment.objects.exists()
    found = Event.objects.get(action="virus_found")
    assert found.actor == applicant  # who tried, from the request being served


def test_case_images_and_imports_pass_the_scan_too(scanning, db):
    with pytest.raises(ValidationError) as refused:
        images.redraw(SimpleUploadedFile("图.png", infected_png()))
    assert refused.value.code == "virus"

    with pytest.raises(BadSheet, match="恶意代码"):
        read_sheet(io.BytesIO(xlsx(["姓名"], [MARKER.decode()])), ["姓名"], 10)
    assert read_sheet(io.BytesIO(xlsx(["姓名"], ["王五"])), ["姓名"], 10) == [(2, {"姓名": "王五"})]
    assert Event.objects.filter(action="virus_found").count() == 2


def test_healthz_reports_the_scanner(client, settings, scanning, tmp_path, db):
    beat("worker-a", started=True)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["antivirus"] == "ok"

    settings.CLAMD_SOCKET = str(tmp_path / "gone.sock")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["antivirus"] == "fail"


def test_healthz_leaves_the_scanner_out_when_none_is_configured(client, settings, db):
    settings.CLAMD_SOCKET = ""
    beat("worker-a", started=True)
    assert "antivirus" not in client.get("/healthz").json()["checks"]


def test_the_offices_call_materials_are_scanned_in_the_admin(scanning, call):
    def form(content):
        return CallMaterialForm(
            data={"call": call.pk, "title": "申报表模板", "filename": "模板.doc", "order": 0},
            files={"file": SimpleUploadedFile("模板.doc", content)},
        )

    refused = form(b"\xd0\xcf\x11\xe0 an old Word file " + MARKER)
    assert not refused.is_valid()
    assert "恶意代码" in refused.errors["file"][0]
    assert form(b"\xd0\xcf\x11\xe0 an old Word file").is_valid()  # any kind, only scanned
