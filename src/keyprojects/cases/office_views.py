"""The provincial office's pages: the list of cases, writing one from a selected project,
its text, figures and pictures, asking the applicant's consent, review and publication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.domain import history
from keyprojects.core.access import require
from keyprojects.documents import listings

from . import domain, queries, workflow
from .forms import ActionForm, CaseTextForm, ChooseForm, FigureForm, ImageForm
from .models import Case, Collection, Figure, Image

PER_PAGE = 30


def _case(request, pk):
    case = get_object_or_404(
        Case.objects.select_related("application__call", "organisation", "category", "city"),
        pk=pk,
    )
    require(request, "cases.manage_case", case)
    return case


def _refused(request, error):
    for problem in error.problems or [error.message]:
        messages.error(request, str(problem))


@login_required
@require_GET
def office_list(request):
    listing = listings.get("case_office")
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    page = query.page(listing.rows(request.user, query, context), PER_PAGE, request.GET.get("page"))
    return render(
        request,
        "cases/office_list.html",
        {**listing.page_context(query, context, page), "page": page, "filters": query.form},
    )


@login_required
@require_GET
def choose(request):
    require(request, "cases.manage_case")
    page = Paginator(queries.without_case(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cases/office_choose.html", {"page": page})


@login_required
@require_POST
def create(request):
    require(request, "cases.manage_case")
    form = ChooseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择一个入选项目。"))
        return redirect("cases:choose")
    application = get_object_or_404(Application, pk=form.cleaned_data["application"])
    try:
        case = domain.create_case(application, by=request.user)
    except TransitionRefused as error:
        _refused(request, error)
        return redirect("cases:choose")
    messages.success(request, _("已根据申报内容生成案例草稿，请修改完善。"))
    return redirect("cases:edit", pk=case.pk)


@login_required
@require_GET
def case_detail(request, pk):
    case = _case(request, pk)
    return render(request, "cases/office_case.html", _detail_context(request, case))


def _detail_context(request, case, **extra):
    events = history(case).order_by("-at")[:50]
    return {
        "case": case,
        "figures": list(case.figures.all()),
        "pictures": list(case.images.all()),
        "actions": workflow.available(case, request.user),
        "four_eyes": (
            case.state in workflow.TRANSITIONS["publish"].sources
            and case.submitted_by_id == request.user.pk
        ),
        "action_form": ActionForm(initial={"version": case.version}),
        "figure_form": extra.pop("figure_form", FigureForm()),
        "image_form": extra.pop("image_form", ImageForm()),
        "events": events,
        # The year's collection PDF, re-made in the background when a case is published.
        "collection": Collection.objects.filter(year=case.year).first(),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    case = _case(request, pk)
    if not case.is_editable:
        messages.info(request, _("只有草稿可以修改。"))
        return redirect("cases:office_case", pk=case.pk)
    if request.method == "GET":
        return render(
            request, "cases/office_edit.html", {"case": case, "form": CaseTextForm.for_case(case)}
        )
    form = CaseTextForm(request.POST)
    status = 400
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in domain.TEXT_FIELDS}
        try:
            domain.save_text(
                case, values, by=request.user, expected_version=form.cleaned_data["version"]
            )
        except TransitionRefused as error:  # a stale version, or no longer a draft
            form.add_error(None, error.message)
            status = 409
        else:
            messages.success(request, _("案例已保存。"))
            return redirect("cases:office_case", pk=case.pk)
    case.refresh_from_db()
    return render(request, "cases/office_edit.html", {"case": case, "form": form}, status=status)


@login_required
@require_POST
def add_figure(request, pk):
    case = _case(request, pk)
    form = FigureForm(request.POST)
    if form.is_valid():
        try:
            domain.add_figure(case, **form.cleaned_data, by=request.user)
        except TransitionRefused as error:
            _refused(request, error)
        else:
            messages.success(request, _("已添加成效数据。"))
        return redirect("cases:office_case", pk=case.pk)
    context = _detail_context(request, case, figure_form=form)
    return render(request, "cases/office_case.html", context, status=400)


@login_required
@require_POST
def delete_figure(request, pk, figure_pk):
    case = _case(request, pk)
    figure = get_object_or_404(Figure, pk=figure_pk, case=case)
    try:
        domain.delete_figure(figure, by=request.user)
    except TransitionRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("已删除成效数据。"))
    return redirect("cases:office_case", pk=case.pk)


@login_required
@require_POST
def add_image(request, pk):
    case = _case(request, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            domain.add_image(
                case,
                form.cleaned_data["file"],
                caption=form.cleaned_data["caption"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        except TransitionRefused as error:
            _refused(request, error)
            return redirect("cases:office_case", pk=case.pk)
        else:
            messages.success(request, _("已添加图片。"))
            return redirect("cases:office_case", pk=case.pk)
    context = _detail_context(request, case, image_form=form)
    return render(request, "cases/office_case.html", context, status=400)


@login_required
@require_POST
def delete_image(request, pk, image_pk):
    case = _case(request, pk)
    picture = get_object_or_404(Image, pk=image_pk, case=case)
    try:
        domain.delete_image(picture, by=request.user)
    except TransitionRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("已删除图片。"))
    return redirect("cases:office_case", pk=case.pk)


@login_required
@require_POST
def request_consent(request, pk):
    case = _case(request, pk)
    try:
        notified = domain.request_consent(case, by=request.user)
    except TransitionRefused as error:
        _refused(request, error)
    else:
        messages.success(
            request, _("已通知申报单位的 %(n)d 个账号阅读并确认。") % {"n": len(notified)}
        )
    return redirect("cases:office_case", pk=case.pk)


SUCCESS = {
    "submit": _("已提交审核，请另一位工作人员审核发布。"),
    "return": _("已退回修改。"),
    "publish": _("案例已发布，公众可在典型案例库中查看。"),
    "unpublish": _("案例已撤下，公众不再能查看。"),
    "revise": _("案例已转为草稿，可以修改。"),
    "discard": _("案例已作废。"),
}


@login_required
@require_POST
def act(request, pk):
    case = _case(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效，请刷新页面后重试。"))
        return redirect("cases:office_case", pk=case.pk)
    name = form.cleaned_data["action"]
    try:
        domain.act(
            case,
            name,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as error:
        if name == "publish" and request.user.has_perm("cases.manage_case", case):
            messages.error(request, _("提交审核的人不能审核发布同一案例，请由另一位工作人员审核。"))
            return redirect("cases:office_case", pk=case.pk)
        raise Http404 from error
    except TransitionRefused as error:
        _refused(request, error)
        # The page again with the typed reason kept in its box (the case as it is now).
        case.refresh_from_db()
        context = _detail_context(
            request, case, typed_action=name, typed_reason=form.cleaned_data["reason"]
        )
        return render(request, "cases/office_case.html", context, status=400)
    messages.success(request, SUCCESS[name])
    return redirect("cases:office_case", pk=case.pk)


@login_required
@require_GET
def collection_progress(request, year):
    """The year's collection as it is being made; polled by the office's case page."""
    require(request, "cases.manage_case")
    collection = get_object_or_404(Collection, year=year)
    return render(request, "_progress.html", {"job": collection.job})
