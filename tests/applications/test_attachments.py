"""Uploads through the form: decided by content, stored under random names, refused clearly."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript

from keyprojects.applications.models import Attachment

from ..factories import PASSWORD, make_application, pdf_bytes


def upload(client, application, kind, name, content):
    return client.post(
        reverse("applications:upload_attachment", args=[application.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_pdf_is_stored_under_a_random_name(client, call, applicant):
    application = make_application(call, applicant, attach=False)
    client.login(username=applicant.username, password=PASSWORD)
    response = upload(client, application, "approval", "立项批复.pdf", pdf_bytes())
    assert "已上传：立项批复.pdf" in response.content.decode()
    attachment = Attachment.objects.get(application=application)
    assert attachment.content_type == "application/pdf"
    assert "立项批复" not in attachment.file.name and attachment.file.name.endswith(".pdf")
    download = client.get(reverse("applications:attachment", args=[application.pk, attachment.pk]))
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_image_named_pdf_is_recognised_and_refused_for_a_pdf_only_type(client, call, applicant):
    application = make_application(call, applicant, attach=False)
    client.login(username=applicant.username, password=PASSWORD)
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, "PNG")
    response = upload(client, application, "tender_contract", "合同.pdf", png.getvalue())
    assert "只接受 PDF" in response.content.decode()
    assert not Attachment.objects.exists()


def test_pdf_with_script_is_refused_with_a_message(client, call, applicant):
    application = make_application(call, applicant, attach=False)
    client.login(username=applicant.username, password=PASSWORD)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.add_open_action(JavaScript("app.alert('x')"))
    buffer = io.BytesIO()
    writer.write(buffer)
    response = upload(client, application, "approval", "批复.pdf", buffer.getvalue())
    assert "脚本" in response.content.decode()
    assert not Attachment.objects.exists()


def test_removed_attachment_is_recorded(client, call, applicant):
    application = make_application(call, applicant)
    attachment = application.attachments.get()
    client.login(username=applicant.username, password=PASSWORD)
    client.post(reverse("applications:delete_attachment", args=[application.pk, attachment.pk]))
    assert not application.attachments.exists()
    from keyprojects.audit.models import Event

    assert Event.objects.filter(target_id=str(application.pk), action="detach").exists()


def test_submitted_application_pdf(client, call, applicant):
    from keyprojects.applications import domain

    application = make_application(call, applicant)
    client.login(username=applicant.username, password=PASSWORD)
    draft_pdf = client.get(reverse("applications:pdf", args=[application.pk]))
    assert draft_pdf.status_code == 302  # a draft is not printed
    domain.submit(application, by=applicant)
    response = client.get(reverse("applications:pdf", args=[application.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    for expected in [
        application.name,
        application.organisation.credit_code,
        "1,000.00",
        "申报单位（盖章）",
        "立项批复文件",
    ]:
        assert expected in text


def test_a_photographed_document_is_stored_without_its_metadata(call, applicant):
    from keyprojects.applications import domain

    from ..documents.pictures import assert_only_pixels, jpeg_with_gps

    application = make_application(call, applicant, attach=False)
    attachment = domain.add_attachment(application, "approval", jpeg_with_gps(), by=applicant)
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert_only_pixels(data)
    assert attachment.size == len(data) and attachment.content_type == "image/jpeg"
