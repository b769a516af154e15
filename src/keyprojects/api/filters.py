"""The query parameters each list accepts, validated before any query runs (422 if wrong).

Strings are bounded and patterned: a NUL byte or a 10 MB value never reaches the database.
Unknown parameters are ignored.
"""

from typing import Literal
from uuid import UUID

from ninja import Field, Schema

from keyprojects.applications.workflow import RECOMMENDED_ONWARDS
from keyprojects.notices.models import PublicNotice
from keyprojects.orgs.models import Region
from keyprojects.tracking.models import ProgressReport

SLUG = r"^[-a-zA-Z0-9_]+$"
REGION_CODE = r"^\d{6}$"
CITY = r"^(\d{6}|province)$"
# Printable text without control characters (a search query).
TEXT = r"^[^\x00-\x1f\x7f]*$"

Year = Field(None, ge=2000, le=2100, description="年度，如 2020")
CallSlug = Field(None, pattern=SLUG, max_length=50, description="年度批次的网址标识，如 2020")
CategoryCode = Field(
    None, pattern=SLUG, max_length=32, description="工程类别代码，如 digital_governance"
)

RegionKind = Literal[tuple(Region.Kind.values)]
NoticeState = Literal[PublicNotice.State.PUBLISHED.value, PublicNotice.State.FINALISED.value]
ProjectStatus = Literal[tuple(sorted(str(s) for s in RECOMMENDED_ONWARDS))]
ReportState = Literal[tuple(ProgressReport.State.values)]


class CallFilters(Schema):
    year: int | None = Year


class RegionFilters(Schema):
    kind: RegionKind | None = Field(None, description="区划类型")
    parent: str | None = Field(None, pattern=REGION_CODE, description="上级区划代码")


class NoticeFilters(Schema):
    call: str | None = CallSlug
    state: NoticeState | None = Field(None, description="published 公示中、finalised 名单已确定")


class SelectedFilters(Schema):
    call: str | None = CallSlug
    year: int | None = Year
    category: str | None = CategoryCode
    city: str | None = Field(
        None, pattern=REGION_CODE, description="设区市区划代码（含其下辖区县的申报单位）"
    )


class ProjectFilters(SelectedFilters):
    status: ProjectStatus | None = Field(None, description="申报状态（已推荐及以后）")


class MyFilters(Schema):
    call: str | None = CallSlug


class CaseFilters(Schema):
    year: int | None = Year
    category: str | None = CategoryCode
    city: str | None = Field(
        None, pattern=CITY, max_length=8, description="设区市区划代码；province 表示省级单位"
    )
    q: str | None = Field(None, pattern=TEXT, max_length=100, description="全文检索词，空格分隔")


class ReportFilters(Schema):
    round: UUID | None = Field(None, description="跟踪评价轮次编号")
    state: ReportState | None = Field(None, description="报告状态")
    year: int | None = Field(None, ge=2000, le=2100, description="项目入选年度")
    city: str | None = Field(
        None, pattern=CITY, max_length=8, description="设区市区划代码；province 表示省级单位"
    )
