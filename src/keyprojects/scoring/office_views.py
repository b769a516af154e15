"""The provincial office's pages: rounds, progress, reminders, ranking, scores.

Every view requires login and the office permission for the object it touches; anyone
else gets 404.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.audit.domain import history
from keyprojects.calls.models import Call
from keyprojects.core.access import require
from keyprojects.experts.models import Expert

from . import domain, queries
from .aggregation import round_results
from .forms import DeadlineForm, PanelForm, ReasonForm, RoundForm
from .models import ReviewRound, Score


def _round(request, pk):
    round_ = get_object_or_404(ReviewRound.objects.select_related("call"), pk=pk)
    require(request, "scoring.manage_rounds", round_)
    return round_


def _errors(request, form):
    for errors in form.errors.values():
        messages.error(request, " ".join(errors))


@login_required
@require_GET
def office_home(request):
    require(request, "scoring.manage_rounds")
    calls = Call.objects.order_by("-year", "-window_opens_at").prefetch_related("review_rounds")
    return render(request, "scoring/office_home.html", {"calls": calls})


@login_required
@require_http_methods(["GET", "POST"])
def call_rounds(request, slug):
    require(request, "scoring.manage_rounds")
    call = get_object_or_404(Call, slug=slug)
    rounds = list(call.review_rounds.all())
    form = RoundForm(request.POST or None, initial={"order": len(rounds) + 1})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                domain.create_round(call, **form.cleaned_data, by=request.user)
            except domain.ScoringRefused as error:
                messages.error(request, error.message)
                status = 409
            else:
                messages.success(request, _("已添加评审轮次。"))
                return redirect("scoring:call", slug=slug)
        else:
            status = 400
    return render(
        request, "scoring/call.html", {"call": call, "rounds": rounds, "form": form}, status=status
    )


@login_required
@require_GET
def round_page(request, pk):
    return round_response(request, _round(request, pk))


def round_response(request, round_, panel_form=None, status=200):
    """The round's page; `panel_form` is a refused new-panel form to show again as typed."""
    applications, experts = queries.progress(round_)
    context = {
        "round": round_,
        "call": round_.call,
        "applications": applications,
        "experts": experts,
        "unfinished": sum(1 for e in experts if e.done < e.assigned),
        "reason_form": ReasonForm(),
        "deadline_form": DeadlineForm(initial={"deadline": round_.deadline}),
        "events": history(round_).order_by("-at")[:30],
        "panel_form": panel_form or PanelForm(call=round_.call),
        "panels": round_.panels.select_related("category").prefetch_related("experts")
        if round_.kind == ReviewRound.Kind.DEFENCE
        else [],
        "shortlist": round_.entries.select_related("application__category"),
    }
    return render(request, "scoring/round.html", context, status=status)


@login_required
@require_POST
def round_state(request, pk):
    round_ = _round(request, pk)
    action = request.POST.get("action")
    if action not in domain.ROUND_ACTIONS:
        raise Http404
    try:
        domain.change_round(round_, action, by=request.user, reason=request.POST.get("reason", ""))
    except domain.ScoringRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("本轮状态已更新。"))
    return redirect("scoring:round", pk=pk)


@login_required
@require_POST
def round_deadline(request, pk):
    round_ = _round(request, pk)
    form = DeadlineForm(request.POST)
    if form.is_valid():
        domain.set_deadline(round_, form.cleaned_data["deadline"], by=request.user)
        messages.success(request, _("评分截止时间已更新。"))
    else:
        _errors(request, form)
    return redirect("scoring:round", pk=pk)


@login_required
@require_POST
def remind(request, pk):
    round_ = _round(request, pk)
    expert = None
    if request.POST.get("expert"):
        expert = Expert.objects.filter(pk=_uuid_or_none(request.POST["expert"])).first()
        if expert is None:
            raise Http404
    result = domain.remind(round_, by=request.user, expert=expert)
    names = {key: "、".join(e.name for e in experts) for key, experts in result.items()}
    if result["notified"]:
        messages.success(
            request,
            _("已提醒 %(n)d 位专家（站内消息和电子邮件）：%(names)s。")
            % {"n": len(result["notified"]), "names": names["notified"]},
        )
    if result["already"]:
        messages.info(request, _("今天已提醒过：%(names)s。") % {"names": names["already"]})
    if result["no_account"]:
        messages.warning(
            request,
            _("以下专家没有可用的账号，请电话联系：%(names)s。") % {"names": names["no_account"]},
        )
    if not any(result.values()):
        messages.info(request, _("没有需要提醒的专家。"))
    return redirect("scoring:round", pk=pk)


def _uuid_or_none(value):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


@login_required
@require_GET
def ranking_page(request, pk):
    round_ = _round(request, pk)
    normalise = request.GET.get("normalise") == "1"
    results = round_results(round_.call, round_, normalise=normalise)
    categories = {}
    for row in results.rows:
        categories.setdefault(row.category, []).append(row)
    context = {
        "round": round_,
        "call": round_.call,
        "normalise": normalise,
        "categories": categories,
        "experts": results.experts,
    }
    return render(request, "scoring/ranking.html", context)


def _score(request, pk):
    score = get_object_or_404(
        Score.objects.select_related("round__call", "expert", "application", "saved_by"), pk=pk
    )
    require(request, "scoring.manage_rounds", score.round)
    require(request, "scoring.view_score", score)
    return score


@login_required
@require_GET
def score_detail(request, pk):
    score = _score(request, pk)
    items = domain.score_rows(score)
    return render(
        request,
        "scoring/score.html",
        {"score": score, "items": items, "events": history(score), "form": ReasonForm()},
    )


@login_required
@require_POST
def score_reopen(request, pk):
    score = _score(request, pk)
    require(request, "scoring.reopen_score", score)
    try:
        domain.reopen_score(score, by=request.user, reason=request.POST.get("reason", ""))
    except domain.ScoringRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("评分已退回专家修改，并已通知专家。"))
    return redirect("scoring:score", pk=pk)
