from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def download_response(fieldfile, filename: str, content_type: str) -> FileResponse:
    """Always a download (never rendered inline), with the type we decided on upload."""
    response = FileResponse(
        fieldfile.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
