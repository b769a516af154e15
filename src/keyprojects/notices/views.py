"""The provincial office's pages: decisions per call, the notice, finalising, exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.calls.models import Call
from keyprojects.core.access import require, uuids
from keyprojects.documents import listings
from keyprojects.documents.responses import pdf_response

from . import decisions, exports, publication, queries
from .forms import DecisionForm, NoticeForm, VersionForm
from .models import PublicNotice
from .ranking import rank_key, ranking_for
from .workdays import working_days_between

OBJECTIONS_PAGE_SIZE = 50


def _call(request, slug, permission="notices.decide"):
    call = get_object_or_404(Call, slug=slug)
    require(request, permission, call)
    return call


def _notice(request, pk):
    notice = get_object_or_404(PublicNotice.objects.select_related("call"), pk=pk)
    require(request, "notices.manage_notice", notice)
    return notice


@login_required
@require_GET
def office_home(request):
    require(request, "notices.decide")
    calls = list(Call.objects.order_by("-window_opens_at"))
    notices = {n.call_id: n for n in PublicNotice.objects.filter(call__in=calls)}
    counts = queries.objection_counts(notices.values())
    rows = [
        (call, notices.get(call.pk), counts.get(getattr(notices.get(call.pk), "pk", None)))
        for call in calls
    ]
    return render(request, "notices/office_home.html", {"rows": rows})


def _decision_context(call, form, checked=()):
    rows = ranking_for(call)
    applications = list(queries.decidable(call))
    groups = []
    for category in [*call.categories.all(), None]:
        members = [a for a in applications if a.category_id == getattr(category, "pk", None)]
        if not members:
            continue
        members.sort(key=lambda a: rank_key(a, rows))
        groups.append(
            (
                category,
                [
                    (a, rows.get(a.pk), decisions.row_version(a), str(a.pk) in checked)
                    for a in members
                ],
            )
        )
    notice = PublicNotice.objects.filter(call=call).first()
    return {
        "call": call,
        "groups": groups,
        "tier_counts": decisions.tier_counts(call),
        "has_tiers": call.tiers.exists(),
        "form": form,
        "notice": notice,
        "ranked": any(row.score is not None for row in rows.values()),
        "can_change": notice is None or notice.state != PublicNotice.State.FINALISED,
    }


@login_required
@require_GET
def decision_page(request, slug):
    call = _call(request, slug)
    return render(
        request, "notices/decisions.html", _decision_context(call, DecisionForm(call=call))
    )


@login_required
@require_POST
def decide(request, slug):
    call = _call(request, slug)
    form = DecisionForm(request.POST, call=call)
    ids = [str(pk) for pk in uuids(request.POST.getlist("ids"))]
    if not ids:
        form.add_error(None, _("请先勾选要作出决定的项目。"))
    if not form.is_valid():
        context = _decision_context(call, form, set(ids))
        return render(request, "notices/decisions.html", context, status=400)
    chosen = [
        a
        for a in queries.decidable(call).filter(pk__in=ids)
        if request.user.has_perm("notices.decide", a)
    ]
    versions = {pk: request.POST.get(f"v-{pk}") for pk in ids}
    try:
        done, refused = decisions.apply_batch(
            chosen,
            form.cleaned_data["action"],
            by=request.user,
            tier=form.cleaned_data["tier"],
            reason=form.cleaned_data["reason"],
            versions=versions,
        )
    except PermissionDenied as error:
        raise Http404 from error
    if done:
        messages.success(request, _("已对 %(n)d 个项目作出决定。") % {"n": len(done)})
    for application, reason in refused:
        messages.error(request, f"{application}：{reason}")
    return redirect("notices:decisions", slug=call.slug)


@login_required
@require_POST
def default_tiers(request, slug):
    call = _call(request, slug)
    decisions.create_default_tiers(call, by=request.user)
    messages.success(
        request, _("已按2020年做法设置入选档次：标志性工程10项、重点工程50项（含标志性工程）。")
    )
    return redirect("notices:decisions", slug=call.slug)


@login_required
@require_http_methods(["GET", "POST"])
def edit_notice(request, slug):
    call = _call(request, slug, "notices.manage_notice")
    notice = PublicNotice.objects.filter(call=call).first()
    if notice is not None and notice.state == PublicNotice.State.FINALISED:
        messages.info(request, _("最终名单已确定，公示不能再修改。"))
        return redirect("notices:manage", pk=notice.pk)
    if request.method == "GET":
        initial = {"version": notice.version} if notice else publication.initial_values(call)
        form = NoticeForm(instance=notice, initial=initial)
        return render(
            request, "notices/edit_notice.html", {"call": call, "form": form, "notice": notice}
        )
    form = NoticeForm(request.POST, instance=notice)
    if form.is_valid():
        values = {f: form.cleaned_data[f] for f in publication.NOTICE_FIELDS}
        try:
            saved = publication.save_notice(
                call, values, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except TransitionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("公示已保存。"))
            return redirect("notices:manage", pk=saved.pk)
    # The typed values stay in the form (a ModelForm's instance is changed by is_valid()).
    notice = PublicNotice.objects.filter(call=call).first()
    context = {"call": call, "form": form, "notice": notice}
    return render(request, "notices/edit_notice.html", context, status=400)


@login_required
@require_GET
def manage(request, pk):
    notice = _notice(request, pk)
    content = publication.list_content(notice.call)
    listing = listings.get("notice_objections")
    context = listing.context(request.user, {"notice": str(notice.pk)})
    query = listing.query(request.user, request.GET, context)
    page = query.page(
        listing.rows(request.user, query, context), OBJECTIONS_PAGE_SIZE, request.GET.get("page")
    )
    return render(
        request,
        "notices/manage.html",
        {
            **listing.page_context(query, context, page),
            "filters": query.form,
            "page": page,
            "notice": notice,
            "call": notice.call,
            "groups": publication.grouped(publication.shown_list(notice)["rows"]),
            "count": len(content["rows"]),
            "working_days": working_days_between(notice.starts_on, notice.ends_on),
            "objections": page,
            "problems": (
                publication.finalisation_problems(notice)
                if notice.state == PublicNotice.State.PUBLISHED
                else []
            ),
            "version_form": VersionForm(initial={"version": notice.version}),
        },
    )


def _transition(request, pk, action, success):
    notice = _notice(request, pk)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        action(notice, by=request.user, expected_version=version)
    except TransitionRefused as error:
        for problem in error.problems or [error.message]:
            messages.error(request, str(problem))
    else:
        messages.success(request, success)
    return redirect("notices:manage", pk=notice.pk)


@login_required
@require_POST
def publish(request, pk):
    return _transition(
        request, pk, publication.publish, _("公示已发布，公众可在公示页面查看并提出异议。")
    )


@login_required
@require_POST
def finalise(request, pk):
    return _transition(request, pk, publication.finalise, _("最终名单已确定，已通知各申报单位。"))


@login_required
@require_GET
def export(request, pk, fmt):
    notice = _notice(request, pk)
    filename = f"{exports.title(notice)}.{fmt}"
    if fmt == "pdf":
        return pdf_response(exports.render_list_pdf(notice), filename)
    response = HttpResponse(exports.render_xlsx(notice), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
