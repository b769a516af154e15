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
from keyprojects.documents import listings
from keyprojects.documents.pdf import render_pdf
from keyprojects.documents.responses import download_response, pdf_response

from . import domain, precheck, workflow
from .forms import ApplicationForm, AttachmentForm, PartnerFormSet, WithdrawForm, partner_rows
from .models import Partner
from .printing import application_context, history_rows
from .queries import outcome_final, visible_to


def get_application(request, pk, permission="applications.view_application", related=()):
    """The application if this user may touch it; "not found" otherwise, never a hint.
    `related`: what else to read with it (select_related), besides its call."""
    application = get_object_or_404(
        visible_to(request.user).select_related("call", *related), pk=pk
    )
    require(request, permission, application)
    return application


HOME_PAGE_SIZE = 50


@login_required
@require_GET
def applicant_home(request):
    listing = listings.get("applicant_home")
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    page = query.page(
        listing.rows(request.user, query, context), HOME_PAGE_SIZE, request.GET.get("page")
    )
    at = now()
    return render(
        request,
        "applications/home.html",
        {
            **listing.page_context(query, context, page),
            "page": page,
            "filters": query.form,
            "applications": [(a, window_state(a.call, at), time_left(a.call, at)) for a in page],
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
    application.outcome_final = outcome_final(application.call_id)
    report = precheck.report(application) if application.is_editable_status else None
    return render(
        request,
        "applications/detail.html",
        {
            **application_context(application),
            "state": window_state(application.call),
            "time_left": time_left(application.call),
            "events": history_rows(application, for_applicant=True),
            "precheck": report,
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


def _edit_forms(request, application, *, bound=True, shown=True):
    """The form and the partner rows; bound to the POST unless `bound` is False. A formset
    that is not `shown` (autosave) needs no saved rows: one query less per save."""
    data = request.POST if request.method == "POST" and bound else None
    form = ApplicationForm(data, instance=application, call=application.call, shown=shown)
    if not shown:
        return form, PartnerFormSet(data, prefix="partners")
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
        expected_version=_count(
            request.POST.get("overwrite_version") or request.POST.get("version")
        ),
        editor_token=request.POST.get("editor_token", ""),
        editor_seq=_count(request.POST.get("editor_seq")),
    )


def _count(value) -> int:
    """A count the page sends; anything else is 0."""
    # isdigit() alone also passes "²", which int() refuses
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else 0


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
        # the page shown again after a POST goes on counting the same tab's edits
        "editor_seq": _count(request.POST.get("editor_seq")),
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
            if form.errors:
                state["status"] = 400
                _say_what_was_not_saved(request, "submit" in request.POST)
            elif "submit" in request.POST:
                refused = _submit(request, application)
                if refused is None:
                    return redirect("applications:detail", pk=pk)
                _show_at_fields(request, form, refused)
            else:
                messages.success(request, _("已保存。"))
                return redirect("applications:edit", pk=pk)
    status = 409 if state["conflict"] else state.pop("status", 200)
    return _edit_page(request, application, form, partners, state, status=status)


def _edit_page(request, application, form, partners, state, attachment_form=None, status=200):
    application.refresh_from_db()
    report = precheck.report(application)
    context = {
        **state,
        "application": application,
        "form": form,
        "partners": partners,
        "sections": [(report[key], title, fields) for key, title, fields in form.sections()],
        "precheck": report,
        "attachment_form": attachment_form or AttachmentForm(call=application.call),
        "attachments": application.attachments.all(),
        "time_left": time_left(application.call),
    }
    return render(request, "applications/edit.html", context, status=status)


def _say_what_was_not_saved(request, submitting):
    if submitting:
        messages.error(
            request,
            _(
                "申报书未提交：有内容格式不正确（见标红的字段下方的说明），"
                "请改正后再点“提交申报”。其余内容已保存。"
            ),
        )
    else:
        messages.error(
            request,
            _("标红的内容格式不正确，未保存，请按字段下方的说明改正；其余内容已保存。"),
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
        elif problem.message != refused.message:
            messages.error(request, problem.message)


@login_required
@require_POST
def autosave(request, pk):
    """htmx: save the draft as the user types; answers with a status line."""
    application = get_application(
        request, pk, "applications.change_application", related=PRECHECK_READS
    )
    form, partners = _edit_forms(request, application, shown=False)
    context = {"application": application}
    status = 200
    try:
        context["version"] = _save(request, application, form, partners)
        context["saved_at"] = now()
        context["field_errors"] = [
            (form.fields[name].label if name in form.fields else "", errors)
            for name, errors in form.errors.items()
        ]
        context["precheck"] = _precheck_after_save(application, partners)
    except domain.DraftConflict as error:
        context["conflict"] = error.current
        status = 409
    except (WindowClosed, domain.NotEditable) as error:
        context["closed"] = str(error)
        status = 403
    return render(request, "applications/_save_status.html", context, status=status)


# What the pre-check's rules read through the application.
PRECHECK_READS = ("category", "organisation__seat__parent", "organisation__supervising_department")


def _precheck_after_save(application, partners):
    """The pre-check of what was just saved, without reading it back: the instance holds
    the stored values and the partner rows are those just posted (stored as they are)."""
    rows = [Partner(application=application, **row) for row in partner_rows(partners)]
    facts = domain.submit_facts(application, partners=rows)
    return precheck.report(application, domain.submit_problems(application, facts))


@login_required
@require_POST
def submit(request, pk):
    application = get_application(request, pk, "applications.submit_application")
    refused = _submit(request, application)
    if refused is not None:
        for problem in refused.problems:
            if problem.message != refused.message:
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
    form = AttachmentForm(request.POST, request.FILES, call=application.call)
    if form.is_valid():
        try:
            attachment = domain.add_attachment(
                application, form.cleaned_data["kind"], form.cleaned_data["file"], by=request.user
            )
        except ValidationError as error:
            form.add_error("file", error)
        except (WindowClosed, domain.NotEditable) as error:
            messages.error(request, str(error))
            return redirect("applications:edit", pk=pk)
        else:
            messages.success(request, _("已上传：%(name)s") % {"name": attachment.original_name})
            return redirect("applications:edit", pk=pk)
    try:
        domain.ensure_editable(application)
    except (WindowClosed, domain.NotEditable) as error:
        messages.error(request, str(error))
        return redirect("applications:detail", pk=pk)
    # The page again with the chosen type kept and the reason under the field.
    messages.error(request, _("附件未上传，请按“附件”栏中的提示改正后重新选择文件上传。"))
    fresh, partners = _edit_forms(request, application, bound=False)
    state = {"version": application.version, "editor_token": uuid.uuid4().hex, "conflict": None}
    return _edit_page(request, application, fresh, partners, state, form, status=400)


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
