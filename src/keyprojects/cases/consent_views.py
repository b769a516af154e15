"""The applicant organisation's pages: the cases written about its own projects, and its
consent (or refusal) to publish each one as it stands."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.domain import history
from keyprojects.core.access import require

from . import domain, queries
from .forms import ConsentForm
from .models import Case

CONSENT_ACTIONS = {"consent_given", "consent_refused", "consent_lapsed", "withdraw_consent"}


@login_required
@require_GET
def consent_list(request):
    require(request, "cases.view_consent_list")
    cases = queries.about_organisation(request.user.organisation_id)
    return render(request, "cases/consent_list.html", {"cases": cases})


@login_required
@require_http_methods(["GET", "POST"])
def consent(request, pk):
    case = get_object_or_404(Case.objects.select_related("organisation", "category", "city"), pk=pk)
    require(request, "cases.give_consent", case)
    status = 200
    if request.method == "POST":
        form = ConsentForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                domain.decide_consent(
                    case,
                    given=form.cleaned_data["decision"] == "given",
                    note=form.cleaned_data["note"],
                    seen_digest=form.cleaned_data["digest"],
                    by=request.user,
                )
            except domain.ContentChanged as error:
                # Keep what was typed; the page below shows the new content to decide on.
                case.refresh_from_db()
                data = request.POST.copy()
                data["digest"] = case.content_digest
                form = ConsentForm(data)
                form.is_valid()
                form.add_error(None, error.message)
                status = 409
            except TransitionRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已记录贵单位的意见，省信息化办将收到通知。"))
                return redirect("cases:consent", pk=case.pk)
    else:
        form = ConsentForm(initial={"digest": case.content_digest})
    events = history(case).filter(action__in=CONSENT_ACTIONS).order_by("-at")[:20]
    context = {
        "case": case,
        "figures": list(case.figures.all()),
        "pictures": list(case.images.all()),
        "form": form,
        "events": events,
    }
    return render(request, "cases/consent.html", context, status=status)
