"""The expert's pages (their tasks and scores) and the applicant's defence slots.

Expert pages use experts.access.expert_required (login, an expert in the pool, a session
verified with the second factor); then every object is checked by permission. Nothing
here names another expert: not in the task list, not in the score page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keyprojects.applications.models import Application
from keyprojects.applications.printing import application_context
from keyprojects.core.access import require
from keyprojects.documents.pdf import render_pdf
from keyprojects.documents.responses import download_response, pdf_response
from keyprojects.experts.access import expert_required

from . import defence, domain, queries
from .forms import ScoreForm
from .models import DefenceSlot, ReviewRound
from .rules import RoundTask


def _task(request, round_pk, pk):
    round_ = get_object_or_404(ReviewRound.objects.select_related("call"), pk=round_pk)
    application = get_object_or_404(
        Application.objects.select_related("call", "organisation", "category"), pk=pk
    )
    require(request, "scoring.view_task", RoundTask(round_, application))
    return round_, application


@expert_required
@require_GET
def home(request):
    require(request, "scoring.view_own_tasks")
    tasks = queries.expert_tasks(request.user.expert)
    rounds = {}
    for task in tasks:
        rounds.setdefault(task.round, []).append(task)
    return render(request, "scoring/home.html", {"rounds": rounds})


@expert_required
@require_http_methods(["GET", "POST"])
def task(request, round_pk, pk):
    round_, application = _task(request, round_pk, pk)
    expert = request.user.expert
    score = domain.find_score(round_, expert, application)
    form = ScoreForm(
        request.POST if request.method == "POST" else None,
        rubric=round_.rubric,
        initial=ScoreForm.initial_for(score),
    )
    status = 200
    if request.method == "POST":
        require(request, "scoring.score_task", RoundTask(round_, application))
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                domain.save_score(
                    round_,
                    application,
                    expert,
                    **form.score_values(),
                    by=request.user,
                    submit=submit,
                )
            except domain.ScoringRefused as error:
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, _("评分已提交。") if submit else _("草稿已保存。"))
                return redirect("scoring:task", round_pk=round_.pk, pk=application.pk)
        else:
            messages.error(request, _("评分未保存，请按提示修改。"))
            status = 400
    context = {
        **application_context(application),
        "round": round_,
        "score": score,
        "rows": domain.score_rows(score) if score is not None else [],
        "form": form,
        "editable": round_.state == ReviewRound.State.OPEN and not (score and score.is_submitted),
        "slot": round_.slots.filter(application=application).select_related("panel").first(),
        "attachment_url": "scoring:attachment",
    }
    return render(request, "scoring/task.html", context, status=status)


@expert_required
@require_GET
def attachment(request, round_pk, pk, attachment_pk):
    _round, application = _task(request, round_pk, pk)
    item = get_object_or_404(application.attachments, pk=attachment_pk)
    return download_response(item.file, item.original_name, item.content_type)


# --- The applicant's defence slots ------------------------------------------------------


@login_required
@require_GET
def my_slots(request):
    require(request, "scoring.view_own_slots")
    slots = [(s, defence.slot_text(s)) for s in queries.applicant_slots(request.user)]
    return render(request, "scoring/my_slots.html", {"slots": slots})


@login_required
@require_GET
def slot_pdf(request, pk):
    slot = get_object_or_404(
        DefenceSlot.objects.select_related(
            "application__organisation", "application__category", "panel", "round__call"
        ),
        pk=pk,
    )
    require(request, "scoring.view_slot", slot)
    pdf = render_pdf(
        "scoring/slot_pdf.html",
        {"slot": slot, "call": slot.round.call, "time": defence.slot_text(slot)},
    )
    return pdf_response(pdf, f"答辩通知-{slot.application.name}.pdf")
