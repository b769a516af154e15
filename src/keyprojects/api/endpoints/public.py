"""Public endpoints: what the platform already publishes to anyone, without authentication.

Calls (published), administrative regions, public notices, the final lists of selected
projects (once a call's list is final) and published typical cases.
"""

import uuid

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from keyprojects.calls.queries import published_calls
from keyprojects.core.clock import now

from .. import queries, serialise
from ..common import Page, PageParams, page
from ..errors import PUBLIC_ERRORS
from ..filters import SLUG, CallFilters, CaseFilters, NoticeFilters, RegionFilters, SelectedFilters
from ..schemas import (
    CallDetailOut,
    CallOut,
    CaseDetailOut,
    CaseOut,
    NoticeOut,
    RegionOut,
    SelectedOut,
)

router = Router(tags=["公开数据"])


@router.get(
    "/calls/",
    response={200: Page[CallOut], **PUBLIC_ERRORS},
    operation_id="listCalls",
    summary="年度批次（已发布）",
)
def list_calls(request, filters: Query[CallFilters], paging: Query[PageParams]):
    at = now()
    return page(queries.calls(filters.year), paging, lambda call: serialise.call(call, at))


@router.get(
    "/calls/{slug}",
    response={200: CallDetailOut, **PUBLIC_ERRORS},
    operation_id="getCall",
    summary="一个年度批次",
)
def get_call(request, slug: str = Path(..., pattern=SLUG, max_length=50)):
    call = get_object_or_404(published_calls().prefetch_related("materials"), slug=slug)
    return serialise.call(call, detail=True)


@router.get(
    "/regions/",
    response={200: Page[RegionOut], **PUBLIC_ERRORS},
    operation_id="listRegions",
    summary="行政区划（江苏省）",
)
def list_regions(request, filters: Query[RegionFilters], paging: Query[PageParams]):
    return page(queries.regions(filters.kind, filters.parent), paging, serialise.region)


@router.get(
    "/notices/",
    response={200: Page[NoticeOut], **PUBLIC_ERRORS},
    operation_id="listNotices",
    summary="入选项目公示（已发布）",
)
def list_notices(request, filters: Query[NoticeFilters], paging: Query[PageParams]):
    return page(queries.notices(filters.call, filters.state), paging, serialise.notice)


@router.get(
    "/selected/",
    response={200: Page[SelectedOut], **PUBLIC_ERRORS},
    operation_id="listSelected",
    summary="最终名单中的入选项目",
    description="仅含最终名单已确定的年度批次；公示期内的名单以公示页面为准。",
)
def list_selected(request, filters: Query[SelectedFilters], paging: Query[PageParams]):
    return page(queries.selected(**filters.model_dump()), paging, serialise.selected)


@router.get(
    "/cases/",
    response={200: Page[CaseOut], **PUBLIC_ERRORS},
    operation_id="listCases",
    summary="典型案例（已发布）",
)
def list_cases(request, filters: Query[CaseFilters], paging: Query[PageParams]):
    return page(queries.cases(**filters.model_dump()), paging, serialise.case)


@router.get(
    "/cases/{id}",
    response={200: CaseDetailOut, **PUBLIC_ERRORS},
    operation_id="getCase",
    summary="一个典型案例",
)
def get_case(request, id: uuid.UUID):
    case = queries.case(id)
    if case is None:
        raise Http404
    return serialise.case(case, detail=True)
