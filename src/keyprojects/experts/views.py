"""The provincial office's pages: the pool, the review plan, the assignment and its edits."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status
from keyprojects.calls.models import Call
from keyprojects.core.access import require
from keyprojects.documents import listings

from . import assignment, domain, second_factor
from .access import has_authenticator, verified_required
from .conflicts import conflict_map, with_facts
from .forms import AddExpertForm, DeclarationForm, PlanForm, ReasonForm
from .listings import category_names
from .models import Assignment, ConflictDeclaration, Expert
from .queries import assignment_overview, loads, pool

PAGE_SIZE = 50


def _categories():
    return category_names()


def _label_categories(experts):
    names = dict(_categories())
    for expert in experts:
        expert.category_labels = [names.get(code, code) for code in expert.category_codes]


@verified_required
@require_GET
def pool_list(request):
    listing = listings.get("expert_pool")
    context = listing.context(request.user, request.GET)
    query = listing.query(request.user, request.GET, context)
    page = query.page(
        listing.rows(request.user, query, context), PAGE_SIZE, request.GET.get("page")
    )
    _label_categories(page)
    return render(
        request,
        "experts/pool.html",
        {
            **listing.page_context(query, context, page),
            "filters": query.form,
            "page": page,
            "calls": Call.objects.order_by("-window_opens_at"),
        },
    )


def _expert(request, pk, permission="experts.view_expert"):
    expert = get_object_or_404(Expert.objects.select_related("city", "user"), pk=pk)
    require(request, permission, expert)
    return expert


def _office_declaration_form(data=None):
    applications = with_facts(Application.objects.filter(status=Status.CHECK_PASSED)).order_by(
        "call", "name"
    )
    return DeclarationForm(data, applications=applications)


@verified_required
@require_GET
def expert_detail(request, pk):
    expert = _expert(request, pk)
    return render(request, "experts/expert_detail.html", _detail_context(expert))


def _detail_context(expert, form=None):
    _label_categories([expert])
    return {
        "expert": expert,
        "declarations": expert.declarations.select_related("application", "created_by"),
        "assignments": expert.assignments.select_related("application__call").order_by(
            "application__name"
        ),
        "form": form or _office_declaration_form(),
        "reset_form": ReasonForm(),
        "has_authenticator": expert.user_id is not None and has_authenticator(expert.user),
    }


@verified_required
@require_POST
def office_declare(request, pk):
    expert = _expert(request, pk, "experts.manage_expert")
    form = _office_declaration_form(request.POST)
    if form.is_valid():
        try:
            _declaration, dropped = domain.declare_conflict(
                expert,
                by=request.user,
                source=ConflictDeclaration.Source.OFFICE,
                reason=form.cleaned_data["reason"],
                application=form.cleaned_data["application"],
                credit_code=form.cleaned_data["credit_code"],
                organisation_name=form.cleaned_data["organisation_name"],
            )
        except domain.Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已添加回避。"))
            for item in dropped:
                messages.warning(
                    request,
                    _("已将该专家移出项目“%(name)s”的评审，请补充分配。")
                    % {"name": item.application.name},
                )
            return redirect("experts:expert", pk=expert.pk)
    return render(request, "experts/expert_detail.html", _detail_context(expert, form), status=400)


@verified_required
@require_POST
def reset_second_factor(request, pk):
    expert = _expert(request, pk, "experts.manage_expert")
    if expert.user is None:
        raise Http404
    try:
        second_factor.reset(expert.user, by=request.user, reason=request.POST.get("reason", ""))
    except second_factor.SecondFactorError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已重置该专家的认证器和恢复码，其下次登录时须重新绑定。"))
    return redirect("experts:expert", pk=expert.pk)


def _call(request, slug, permission):
    call = get_object_or_404(Call, slug=slug)
    require(request, permission, call)
    return call


@verified_required
@require_http_methods(["GET", "POST"])
def plan(request, slug):
    call = _call(request, slug, "experts.edit_plan")
    review_plan = assignment.plan_for(call)
    form = PlanForm(
        request.POST or None, instance=review_plan, initial={"version": review_plan.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_plan(
                review_plan,
                form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                by=request.user,
            )
        except domain.Refused as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("评审方案已保存。"))
            return redirect("experts:plan", slug=call.slug)
    status = 400 if request.method == "POST" else 200
    from keyprojects.scoring.rubric import rubric_for  # scoring builds on experts

    context = {"call": call, "form": form, "plan": review_plan, "rubric": rubric_for(call)}
    return render(request, "experts/plan.html", context, status=status)


@verified_required
@require_GET
def assignment_page(request, slug):
    call = _call(request, slug, "experts.run_assignment")
    category = request.GET.get("category", "")
    applications = assignment_overview(call, category=category)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    load = loads(call)
    experts = list(Expert.objects.filter(pk__in=load).select_related("city").order_by("name"))
    for expert in experts:
        expert.load = load[expert.pk]
    return render(
        request,
        "experts/assignment.html",
        {
            "call": call,
            "plan": assignment.plan_for(call),
            "page": page,
            "category": category,
            "categories": call.categories.all(),
            "last_run": call.assignment_runs.first(),
            "experts": experts,
            "reason_form": ReasonForm(),
        },
    )


@verified_required
@require_POST
def run_assignment(request, slug):
    call = _call(request, slug, "experts.run_assignment")
    done = assignment.run(call, by=request.user)
    if done.result["feasible"]:
        messages.success(
            request,
            _("专家分配已完成：新分配 %(assigned)d 人次，替换原自动分配 %(replaced)d 人次。")
            % done.result,
        )
    else:
        messages.error(request, _("无法完成分配，原有分配未改变。原因见下方。"))
    return redirect("experts:assignment", slug=call.slug)


def _application(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("call", "category", "organisation"), pk=pk
    )
    require(request, "experts.adjust_assignment", application)
    return application


def _addable_experts(application):
    """The pool's experts of the application's category, with their load in its call."""
    code = application.category.code if application.category else "-"
    experts = list(pool(category=code).filter(is_active=True))
    load = loads(application.call)
    for expert in experts:
        expert.load = load.get(expert.pk, 0)
    return experts


@verified_required
@require_http_methods(["GET", "POST"])
def application_assignments(request, pk):
    application = _application(request, pk)
    experts = _addable_experts(application)
    form = AddExpertForm(request.POST or None, experts=experts)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = next(e for e in experts if str(e.pk) == form.cleaned_data["expert"])
            try:
                assignment.add_expert(
                    application, chosen, by=request.user, reason=form.cleaned_data["reason"]
                )
            except assignment.AssignmentRefused as error:
                form.add_error("expert", error.message)
            else:
                messages.success(request, _("已分配专家%(name)s。") % {"name": chosen.name})
                return redirect("experts:application", pk=application.pk)
    assigned = application.expert_assignments.select_related("expert__city").order_by(
        "expert__name"
    )
    conflicted = conflict_map(experts, with_facts(Application.objects.filter(pk=application.pk)))
    for expert in experts:
        expert.conflicts = conflicted.get((str(expert.pk), str(application.pk)), [])
    return render(
        request,
        "experts/application.html",
        {
            "application": application,
            "plan": assignment.plan_for(application.call),
            "assigned": assigned,
            "experts": experts,
            "form": form,
            "reason_form": ReasonForm(),
        },
        status=status,
    )


@verified_required
@require_POST
def remove_assignment(request, pk):
    item = get_object_or_404(Assignment.objects.select_related("application", "expert"), pk=pk)
    require(request, "experts.adjust_assignment", item.application)
    try:
        assignment.remove(item, by=request.user, reason=request.POST.get("reason", ""))
    except assignment.AssignmentRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("已将专家%(expert)s移出项目“%(name)s”的评审。")
            % {"expert": item.expert.name, "name": item.application.name},
        )
    return redirect("experts:application", pk=item.application_id)
