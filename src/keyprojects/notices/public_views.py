"""The public face: published notices, open to anyone, and the objection form.

A notice page shows only what the notice itself publishes (project, applicant, city, tier,
category); never an applicant's contact details, investment figures or unselected projects.
"""

from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.core.network import client_ip

from . import objections, publication, queries, spam
from .forms import ObjectionForm
from .models import PublicNotice

_RECEIPT_SALT = "keyprojects.notices.receipt"
NEUTRAL_REFUSAL = gettext_lazy("提交未成功，请稍后重新提交。")


def _public_notice(request, pk):
    notice = get_object_or_404(PublicNotice.objects.select_related("call"), pk=pk)
    if not request.user.has_perm("notices.view_public_notice", notice) or not notice.is_public:
        raise Http404
    return notice


@require_GET
def index(request):
    return render(request, "notices/index.html", {"notices": queries.public_notices()})


def _page(request, notice, form=None, error="", status=200):
    accepting = objections.accepts_objections(notice)
    selected = None
    if accepting:  # the list and the form's choices, loaded once
        selected = list(queries.selected(notice.call))
        if form is None:
            initial = {"token": spam.fill_token(notice.pk)}
            form = ObjectionForm(notice=notice, selected=selected, initial=initial)
    content = publication.shown_list(notice, selected)
    context = {
        "notice": notice,
        "groups": publication.grouped(content["rows"]),
        "count": len(content["rows"]),
        "accepting": accepting,
        "form": form if accepting else None,
        "error": error,
        "max_mb": objections.evidence_max_bytes() // (1024 * 1024),
    }
    return render(request, "notices/public_notice.html", context, status=status)


@require_GET
def public_notice(request, pk):
    return _page(request, _public_notice(request, pk))


def _refill(form, notice):
    """Keep what was typed, with a fresh stamp (the old one may be what was refused)."""
    data = form.data.copy()
    data["token"] = spam.fill_token(notice.pk)
    data["website"] = ""
    refilled = ObjectionForm(data, notice=notice)
    refilled.is_valid()
    return refilled


@require_POST
def file_objection(request, pk):
    notice = _public_notice(request, pk)
    if not objections.accepts_objections(notice):
        return _page(request, notice, error=_("当前不在公示期内，不能提出异议。"), status=400)
    address = client_ip(request) or ""
    form = ObjectionForm(request.POST, request.FILES, notice=notice)
    if spam.over_limit(address):
        message = _("提交过于频繁，请约 %(m)d 分钟后再试。") % {"m": spam.minutes_until_next_hour()}
        return _page(request, notice, _refill(form, notice), message, status=429)
    robot = bool(request.POST.get("website")) or spam.too_fast_or_forged(
        request.POST.get("token", ""), notice.pk
    )
    if robot:
        spam.count_attempt(address)
        return _page(request, notice, _refill(form, notice), NEUTRAL_REFUSAL, status=400)
    if not form.is_valid():
        return _page(request, notice, form, _("请按提示修改后重新提交。"), status=400)
    data = form.cleaned_data
    try:
        objection = objections.file_objection(
            notice,
            application=data["application"],
            reasons=data["reasons"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            evidence=data["evidence"],
        )
    except ValidationError as error:
        form.add_error("evidence", error)
        return _page(request, notice, form, _("请按提示修改后重新提交。"), status=400)
    except TransitionRefused as error:
        return _page(request, notice, form, str(error), status=400)
    spam.count_attempt(address)
    token = signing.dumps({"n": str(notice.pk), "r": objection.receipt}, salt=_RECEIPT_SALT)
    return redirect(f"{reverse('notices:receipt', args=[notice.pk])}?r={token}")


@require_GET
def receipt(request, pk):
    """The filer's receipt: only the number and time, from a signed link (nothing to guess)."""
    notice = _public_notice(request, pk)
    try:
        value = signing.loads(request.GET.get("r", ""), salt=_RECEIPT_SALT, max_age=86400)
    except signing.BadSignature as error:
        raise Http404 from error
    if value.get("n") != str(notice.pk):
        raise Http404
    objection = get_object_or_404(notice.objections, receipt=value.get("r"))
    return render(
        request,
        "notices/receipt.html",
        {"notice": notice, "receipt": objection.receipt, "filed_at": objection.filed_at},
    )
