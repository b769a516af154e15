"""Endpoints for callers who authenticate (auth.py): projects from recommendation onwards
and tracking reports for the office, reviewers and systems with tokens; an applicant's own
applications.

A caller who may not read a kind of resource at all gets 403 before anything is looked up;
an object outside the caller's reach answers 404, as on the pages: its existence is not
for them to know.
"""

import uuid

from django.http import Http404
from ninja import Query, Router

from .. import queries, serialise
from ..auth import AUTH, require_applicant, require_scope
from ..common import Page, PageParams, page
from ..errors import ERRORS
from ..filters import MyFilters, ProjectFilters, ReportFilters
from ..models import Scope
from ..schemas import (
    MyApplicationDetailOut,
    MyApplicationOut,
    ProjectDetailOut,
    ProjectOut,
    ReportOut,
)

router = Router(auth=AUTH)

PROJECTS = "需要 projects:read 权限（省信息化办、审核推荐部门或其授权系统）。"
TRACKING = "需要 tracking:read 权限（省信息化办、属地主管部门或其授权系统）。"


@router.get(
    "/projects/",
    response={200: Page[ProjectOut], **ERRORS},
    operation_id="listProjects",
    summary="已推荐及以后的申报项目",
    description=PROJECTS
    + "授权到某一主管部门的令牌只能看到推荐或抄报给该部门的项目；全省范围的令牌可看到全部。",
    tags=["项目"],
)
def list_projects(request, filters: Query[ProjectFilters], paging: Query[PageParams]):
    caller = require_scope(request, Scope.PROJECTS_READ)
    return page(queries.projects(caller, **filters.model_dump()), paging, serialise.project)


@router.get(
    "/projects/{id}",
    response={200: ProjectDetailOut, **ERRORS},
    operation_id="getProject",
    summary="一个申报项目",
    description=PROJECTS + "不在调用方范围内的项目返回 404。",
    tags=["项目"],
)
def get_project(request, id: uuid.UUID):
    caller = require_scope(request, Scope.PROJECTS_READ)
    application = queries.projects(caller).prefetch_related("partners").filter(pk=id).first()
    if application is None:
        raise Http404
    return serialise.project(application, detail=True)


@router.get(
    "/me/applications/",
    response={200: Page[MyApplicationOut], **ERRORS},
    operation_id="listMyApplications",
    summary="本单位的申报",
    description="申报单位用户登录后查询本单位的申报及其状态；遴选结果在最终名单确定后提供。",
    tags=["申报单位"],
)
def list_my_applications(request, filters: Query[MyFilters], paging: Query[PageParams]):
    caller = require_applicant(request)
    applications = queries.my_applications(caller, filters.call)
    result = page(applications, paging, lambda a: a)
    finalised = queries.finalised_notices(a.call_id for a in result["items"])
    result["items"] = [serialise.my_application(a, finalised) for a in result["items"]]
    return result


@router.get(
    "/me/applications/{id}",
    response={200: MyApplicationDetailOut, **ERRORS},
    operation_id="getMyApplication",
    summary="本单位的一项申报及办理记录",
    description="其他单位的申报返回 404。",
    tags=["申报单位"],
)
def get_my_application(request, id: uuid.UUID):
    caller = require_applicant(request)
    application = queries.my_applications(caller).filter(pk=id).first()
    if application is None:
        raise Http404
    finalised = queries.finalised_notices([application.call_id])
    return serialise.my_application(application, finalised, detail=True)


@router.get(
    "/tracking/reports/",
    response={200: Page[ReportOut], **ERRORS},
    operation_id="listTrackingReports",
    summary="跟踪评价进展报告",
    description=TRACKING
    + "授权到某一主管部门的调用方只能看到报送给该部门且已提交的报告，且不含省信息化办的评价。",
    tags=["跟踪评价"],
)
def list_reports(request, filters: Query[ReportFilters], paging: Query[PageParams]):
    caller = require_scope(request, Scope.TRACKING_READ)
    reports = queries.reports(caller, **filters.model_dump())
    return page(
        reports,
        paging,
        lambda report: serialise.report(report, with_evaluation=caller.province_wide),
    )
