"""The office's handling of objections: investigate, answer, withdraw the project, evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.audit.domain import history
from keyprojects.core.access import require
from keyprojects.documents.responses import download_response

from . import objections
from .forms import AnswerForm, InvestigationForm
from .models import Objection
from .workflow import OBJECTION_TRANSITIONS


def _objection(request, pk, permission="notices.handle_objection"):
    objection = get_object_or_404(
        Objection.objects.select_related("notice__call", "application__organisation"), pk=pk
    )
    require(request, permission, objection)
    return objection


EVENT_LABELS = {
    "file": gettext_lazy("提出异议"),
    "withdraw_project": gettext_lazy("撤销该项目入选"),
    **{name: t.label for name, t in OBJECTION_TRANSITIONS.items()},
}


def _event_rows(objection):
    """The objection's events in Chinese: (event, action, from state, to state)."""
    states = dict(Objection.State.choices)
    return [
        (
            e,
            EVENT_LABELS.get(e.action, e.action),
            states.get(e.from_state, ""),
            states.get(e.to_state, ""),
        )
        for e in history(objection)
    ]


def _page(request, objection, investigation_form=None, answer_form=None, status=200):
    initial = {"version": objection.version}
    return render(
        request,
        "notices/objection.html",
        {
            "objection": objection,
            "notice": objection.notice,
            "events": _event_rows(objection),
            "investigation_form": investigation_form
            or InvestigationForm(initial={**initial, "notes": objection.investigation}),
            "answer_form": answer_form or AnswerForm(initial=initial),
            "can_withdraw": (
                objection.outcome == Objection.Outcome.UPHELD
                and not objection.project_withdrawn
                and objection.application.status == Status.SELECTED
            ),
        },
        status=status,
    )


@login_required
@require_GET
def objection_detail(request, pk):
    return _page(request, _objection(request, pk))


@login_required
@require_POST
def investigate(request, pk):
    objection = _objection(request, pk)
    form = InvestigationForm(request.POST)
    if form.is_valid():
        try:
            objections.investigate(
                objection,
                form.cleaned_data["notes"],
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已记录调查核实情况。"))
            return redirect("notices:objection", pk=pk)
    return _page(request, objection, investigation_form=form, status=400)


@login_required
@require_POST
def answer(request, pk):
    objection = _objection(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            objections.answer(
                objection,
                data["outcome"],
                data["answer"],
                by=request.user,
                withdraw=data["withdraw"],
                expected_version=data["version"],
            )
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("已答复异议。"))
            if data["withdraw"]:
                messages.success(request, _("已撤销该项目入选，公示名单已更新。"))
            return redirect("notices:objection", pk=pk)
    return _page(request, objection, answer_form=form, status=400)


@login_required
@require_POST
def withdraw(request, pk):
    objection = _objection(request, pk)
    try:
        objections.withdraw_project(objection, by=request.user)
    except TransitionRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已撤销该项目入选，公示名单已更新。"))
    return redirect("notices:objection", pk=pk)


@login_required
@require_GET
def evidence(request, pk):
    objection = _objection(request, pk, "notices.view_evidence")
    if not objection.evidence:
        raise Http404
    return download_response(objection.evidence, objection.evidence_name, objection.content_type)
