import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.audit.domain import history
from keyprojects.calls.domain import WindowClosed, time_left, window_state
from keyprojects.calls.queries import open_and_upcoming_calls, published_calls
from keyprojects.core.access import require
from keyprojects.core.clock import now
from keyprojects.documents.pdf import render_pdf
from keyprojects.documents.responses import download_response, pdf_response

from . import domain, workflow
from .forms import ApplicationForm, AttachmentForm, PartnerFormSet, WithdrawForm, partner_rows
from .printing import application_context, history_rows
from .queries import organisation_applications, visible_to


def get_application(request, pk, permission="applications.view_application"):
    """The application if this user may touch it; "not found" otherwise, never a hint."""
    application = get_object_or_404(visible_to(request.user).select_related("call"), pk=pk)
    require(request, permission, application)
    return application


@login_required
@require_GET
def applicant_home(request):
    require(request, "applications.start_application")
    at = now()
    return render(
        request,
        "applications/home.html",
        {
            "applications": [
                (a, window_state(a.call, at), time_left(a.call, at))
                for a in organisation_applications(request.user)
            ],
            "open_calls": [
                (c, time_left(c, at))
                for c in open_and_upcoming_calls(at)
                if window_state(c, at) == "open"
            ],
        },
    )


@login_required
@require_POST
def start(request, slug):
    call = get_object_or_404(published_calls(), slug=slug)
    require(request, "applications.start_application")
    try:
        application = domain.start_application(call, request.user)
    except WindowClosed as error:
        messages.error(request, str(error))
        return redirect("applications:home")
    return redirect("applications:edit", pk=application.pk)


@login_required
@require_GET
def detail(request, pk):
    application = get_application(request, pk)
    problems = domain.submission_problems(application) if application.is_editable_status else []
    return render(
        request,
        "applications/detail.html",
        {
            **application_context(application),
            "state": window_state(application.call),
            "time_left": time_left(application.call),
            "events": history_rows(application, for_applicant=True),
            "problems": problems,
            "withdraw_form": WithdrawForm(),
            "return_reason": _return_reason(application),
        },
    )


def _return_reason(application):
    """Why the reviewer returned it, while it is with the applicant for revision."""
    if application.status != workflow.Status.RETURNED:
        return None
    event = history(application).filter(action="return").order_by("-at").first()
    return event.reason if event else ""


def _edit_forms(request, application):
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=application, call=application.call)
    initial = [
        {
            "role": p.role,
            "name": p.name,
            "credit_code": p.credit_code,
            "work_division": p.work_division,
        }
        for p in application.partners.all()
    ]
    partners = PartnerFormSet(data, initial=initial, prefix="partners")
    return form, partners


def _save(request, application, form, partners):
    """Save what parsed; returns the new version or raises DraftConflict / WindowClosed."""
    form.is_valid()
    partners.is_valid()
    return domain.save_draft(
        application,
        form.draft_values(),
        partner_rows(partners),
        by=request.user,
        # "overwrite_version" is sent only when the user chose, after a conflict, to replace
        # the newer version with what they typed.
        expected_version=int(
            request.POST.get("overwrite_version") or request.POST.get("version") or 0
        ),
        editor_token=request.POST.get("editor_token", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    application = get_application(request, pk, "applications.change_application")
    try:
        domain.ensure_editable(application)
    except (WindowClosed, domain.NotEditable) as error:
        messages.info(request, str(error))
        return redirect("applications:detail", pk=pk)
    form, partners = _edit_forms(request, application)
    state = {
        "version": application.version,
        "editor_token": request.POST.get("editor_token") or uuid.uuid4().hex,
        "conflict": None,
    }
    if request.method == "POST":
        try:
            state["version"] = _save(request, application, form, partners)
        except domain.DraftConflict as error:
            state["conflict"] = error.current
        except (WindowClosed, domain.NotEditable) as error:
            messages.error(request, str(error))
            return redirect("applications:detail", pk=pk)
        else:
            if not form.errors and "submit" in request.POST:
                refused = _submit(request, application)
                if refused is None:
                    return redirect("applications:detail", pk=pk)
                _show_at_fields(request, form, refused)
            elif not form.errors:
                messages.success(request, _("已保存。"))
                return redirect("applications:edit", pk=pk)
    application.refresh_from_db()
    context = {
        **state,
        "application": application,
        "form": form,
        "partners": partners,
        "problems": domain.submission_problems(application),
        "attachment_form": AttachmentForm(),
        "attachments": application.attachments.all(),
        "time_left": time_left(application.call),
    }
    return render(
        request, "applications/edit.html", context, status=409 if state["conflict"] else 200
    )


def _submit(request, application):
    """Submit; returns None when done, or the refusal with the domain's reasons."""
    try:
        domain.submit(application, by=request.user)
    except workflow.TransitionRefused as refused:
        messages.error(request, refused.message)
        return refused
    except WindowClosed as error:
        messages.error(request, str(error))
        return None
    messages.success(request, _("申报书已提交。截止前如需修改，可先撤回。"))
    return None


def _show_at_fields(request, form, refused):
    """Each reason next to the field it is about; the rest at the top of the page."""
    for problem in refused.problems:
        if problem.field in form.fields:
            form.add_error(problem.field, problem.message)
        else:
            messages.error(request, problem.message)


@login_required
@require_POST
def autosave(request, pk):
    """htmx: save the draft as the user types; answers with a status line."""
    application = get_application(request, pk, "applications.change_application")
    form, partners = _edit_forms(request, application)
    context = {"application": application}
    status = 200
    try:
        context["version"] = _save(request, application, form, partners)
        context["saved_at"] = now()
        context["field_errors"] = form.errors
        application.refresh_from_db()
        context["problems"] = domain.submission_problems(application)
    except domain.DraftConflict as error:
        context["conflict"] = error.current
        status = 409
    except (WindowClosed, domain.NotEditable) as error:
        context["closed"] = str(error)
        status = 403
    return render(request, "applications/_save_status.html", context, status=status)


@login_required
@require_POST
def submit(request, pk):
    application = get_application(request, pk, "applications.submit_application")
    refused = _submit(request, application)
    if refused is not None:
        for problem in refused.problems:
            messages.error(request, problem.message)
        return redirect("applications:edit", pk=pk)
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def withdraw(request, pk):
    application = get_application(request, pk, "applications.withdraw_application")
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        domain.withdraw(application, by=request.user, reason=form.cleaned_data.get("reason", ""))
    except (workflow.TransitionRefused, WindowClosed) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("申报书已撤回，可修改后重新提交。"))
    return redirect("applications:detail", pk=pk)


@login_required
@require_POST
def upload_attachment(request, pk):
    application = get_application(request, pk, "applications.change_application")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("applications:edit", pk=pk)
    try:
        attachment = domain.add_attachment(
            application, form.cleaned_data["kind"], form.cleaned_data["file"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except (WindowClosed, domain.NotEditable) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已上传：%(name)s") % {"name": attachment.original_name})
    return redirect("applications:edit", pk=pk)


def _attachment(request, pk, attachment_pk, permission):
    application = get_application(request, pk, permission)
    return get_object_or_404(application.attachments, pk=attachment_pk)


@login_required
@require_GET
def download_attachment(request, pk, attachment_pk):
    attachment = _attachment(request, pk, attachment_pk, "applications.view_application")
    return download_response(attachment.file, attachment.original_name, attachment.content_type)


@login_required
@require_POST
def delete_attachment(request, pk, attachment_pk):
    attachment = _attachment(request, pk, attachment_pk, "applications.change_application")
    try:
        domain.remove_attachment(attachment, by=request.user)
    except (WindowClosed, domain.NotEditable) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已删除附件：%(name)s") % {"name": attachment.original_name})
    return redirect("applications:edit", pk=pk)


@login_required
@require_GET
def application_pdf(request, pk):
    application = get_application(request, pk)
    if application.status == workflow.Status.DRAFT:
        messages.error(request, _("申报书提交后才能打印。"))
        return redirect("applications:detail", pk=pk)
    pdf = render_pdf("applications/application_pdf.html", application_context(application))
    return pdf_response(pdf, f"申报书-{application.name}.pdf")
