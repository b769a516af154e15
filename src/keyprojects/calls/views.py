from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from keyprojects.applications.printing import blank_form_context
from keyprojects.core.clock import now
from keyprojects.documents.pdf import render_pdf
from keyprojects.documents.responses import download_response, pdf_response

from .domain import time_left, window_state
from .queries import open_and_upcoming_calls, past_calls, published_calls


@require_GET
def home(request):
    at = now()
    return render(
        request,
        "calls/home.html",
        {
            "open_calls": [(call, window_state(call, at)) for call in open_and_upcoming_calls(at)],
            "past_calls": past_calls(at),
        },
    )


def _published_call(slug):
    return get_object_or_404(published_calls(), slug=slug)


@require_GET
def call_detail(request, slug):
    call = _published_call(slug)
    at = now()
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "state": window_state(call, at),
            "time_left": time_left(call, at),
            "materials": call.materials.all(),
        },
    )


@require_GET
def notice_pdf(request, slug):
    call = _published_call(slug)
    return pdf_response(
        render_pdf("calls/notice_pdf.html", {"call": call}), f"{call.title}-通知.pdf"
    )


@require_GET
def instructions_pdf(request, slug):
    call = _published_call(slug)
    return pdf_response(
        render_pdf("calls/instructions_pdf.html", {"call": call}), f"{call.title}-填报说明.pdf"
    )


@require_GET
def form_template_pdf(request, slug):
    """The blank 申报表, from the same template as a submitted application's PDF."""
    call = _published_call(slug)
    return pdf_response(
        render_pdf("applications/application_pdf.html", blank_form_context(call)),
        f"{call.title}-申报表（样表）.pdf",
    )


@require_GET
def material_download(request, slug, pk):
    call = _published_call(slug)
    material = get_object_or_404(call.materials, pk=pk)
    return download_response(material.file, material.filename, "application/octet-stream")
