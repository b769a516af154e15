"""The office's pages for the defence round and the combined meeting (defence.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.applications.printing import application_context
from keyprojects.core.access import require, uuids

from . import defence, domain
from .aggregation import round_results
from .forms import FinalListForm, PanelForm, ScoreForm, SlotForm
from .models import DefencePanel, DefenceSlot, ReviewRound
from .office_views import round_response

Kind = ReviewRound.Kind


def _round(request, pk, kind):
    round_ = get_object_or_404(ReviewRound.objects.select_related("call"), pk=pk, kind=kind)
    require(request, "scoring.manage_rounds", round_)
    return round_


@login_required
@require_http_methods(["GET", "POST"])
def shortlist(request, pk):
    round_ = _round(request, pk, Kind.DEFENCE)
    if request.method == "POST":
        try:
            added, removed = defence.set_shortlist(
                round_, uuids(request.POST.getlist("ids")), by=request.user
            )
        except domain.ScoringRefused as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("入围名单已保存：新增 %(added)d 项，移出 %(removed)d 项。")
                % {"added": len(added), "removed": len(removed)},
            )
            return redirect("scoring:round", pk=pk)
    before = defence.previous_round(round_)
    results = round_results(round_.call, before)
    chosen = set(round_.entries.values_list("application_id", flat=True))
    categories = {}
    for row in results.rows:
        categories.setdefault(row.category, []).append((row, row.application.pk in chosen))
    return render(
        request,
        "scoring/shortlist.html",
        {"round": round_, "before": before, "categories": categories},
    )


@login_required
@require_POST
def panel_create(request, pk):
    round_ = _round(request, pk, Kind.DEFENCE)
    form = PanelForm(request.POST, call=round_.call)
    if form.is_valid():
        try:
            panel = defence.create_panel(round_, **form.cleaned_data, by=request.user)
        except domain.ScoringRefused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已建立评审组，请为入围项目安排答辩时间。"))
            return redirect("scoring:panel", pk=panel.pk)
    # The round's page again, with what was typed and each reason at its field.
    messages.error(request, _("评审组未建立，请按提示修改后重新提交。"))
    return round_response(request, round_, panel_form=form, status=400)


def _panel(request, pk):
    panel = get_object_or_404(DefencePanel.objects.select_related("round__call", "category"), pk=pk)
    require(request, "scoring.manage_rounds", panel.round)
    return panel


def _unscheduled(panel):
    return [
        e.application
        for e in panel.round.entries.filter(application__category=panel.category)
        .exclude(application__defence_slots__round=panel.round)
        .select_related("application")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def panel_page(request, pk):
    panel = _panel(request, pk)
    form = SlotForm(request.POST or None, applications=_unscheduled(panel))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            application = form.applications[form.cleaned_data["application"]]
            try:
                defence.add_slot(
                    panel,
                    application,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    by=request.user,
                )
            except domain.ScoringRefused as error:
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, _("已安排答辩并通知申报单位。"))
                return redirect("scoring:panel", pk=pk)
        else:
            status = 400
    experts = list(panel.experts.all())
    scores = {
        (s.application_id, s.expert_id): s
        for s in panel.round.scores.filter(application__defence_slots__panel=panel)
    }
    slots = [
        (
            slot,
            defence.slot_text(slot),
            [(e, scores.get((slot.application_id, e.pk))) for e in experts],
        )
        for slot in panel.slots.select_related("application")
    ]
    context = {
        "panel": panel,
        "round": panel.round,
        "experts": experts,
        "slots": slots,
        "form": form,
        "conflicts": defence.panel_conflicts(panel),
    }
    return render(request, "scoring/panel.html", context, status=status)


def _slot(request, pk):
    slot = get_object_or_404(
        DefenceSlot.objects.select_related("round__call", "panel", "application__organisation"),
        pk=pk,
    )
    require(request, "scoring.manage_rounds", slot.round)
    return slot


@login_required
@require_POST
def slot_cancel(request, pk):
    slot = _slot(request, pk)
    panel_pk = slot.panel_id
    try:
        defence.cancel_slot(slot, by=request.user, reason=request.POST.get("reason", ""))
    except domain.ScoringRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已取消答辩安排并通知申报单位。"))
    return redirect("scoring:panel", pk=panel_pk)


@login_required
@require_http_methods(["GET", "POST"])
def paper_score(request, pk, expert_pk):
    """The secretary types in a panel expert's signed paper sheet, recorded as such."""
    slot = _slot(request, pk)
    require(request, "scoring.enter_paper_score", slot)
    expert = get_object_or_404(slot.panel.experts, pk=expert_pk)
    round_, application = slot.round, slot.application
    score = domain.find_score(round_, expert, application)
    form = ScoreForm(
        request.POST if request.method == "POST" else None,
        rubric=round_.rubric,
        initial=ScoreForm.initial_for(score),
    )
    status = 200
    if request.method == "POST":
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
                    paper=True,
                )
            except domain.ScoringRefused as error:
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, _("纸质评分已录入。"))
                return redirect("scoring:panel", pk=slot.panel_id)
        else:
            messages.error(request, _("评分未保存，请按提示修改。"))
            status = 400
    context = {
        **application_context(application),
        "slot": slot,
        "round": round_,
        "expert": expert,
        "score": score,
        "rows": domain.score_rows(score) if score is not None else [],
        "form": form,
        "editable": round_.state == ReviewRound.State.OPEN and not (score and score.is_submitted),
    }
    return render(request, "scoring/paper_score.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def combined(request, pk):
    round_ = _round(request, pk, Kind.COMBINED)
    before = defence.previous_round(round_)
    results = round_results(round_.call, before)
    candidates = defence.final_list_candidates(round_)
    entries = {e.application_id: e for e in round_.entries.all()}
    initial = {"version": round_.version, "minutes": round_.minutes}
    for pk_, entry in entries.items():
        initial.update({f"tier_{pk_}": entry.tier, f"note_{pk_}": entry.note})
    form = FinalListForm(request.POST or None, applications=candidates, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                defence.save_final_list(
                    round_,
                    form.tiers(),
                    form.cleaned_data["minutes"],
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except domain.ScoringRefused as error:
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, _("会议结果和纪要已保存。"))
                return redirect("scoring:combined", pk=pk)
        else:
            status = 400
    ranked = {r.application.pk: r for r in results.rows}
    rows = [(a, ranked.get(a.pk), tier, note) for a, tier, note in form.row_fields()]
    context = {
        "round": round_,
        "before": before,
        "form": form,
        "rows": rows,
        "editable": round_.state != ReviewRound.State.CLOSED,
    }
    return render(request, "scoring/combined.html", context, status=status)
