"""The shapes the API answers with (response schemas; they make the OpenAPI document).

Endpoints build plain dicts (serialise.py) and these schemas check and document them.
"""

import datetime as dt
import uuid

from ninja import Field, Schema

from .common import ChinaTime, CodeLabel, Decimal2, Money, RegionRef


class CallRef(Schema):
    slug: str
    year: int
    title: str


class CategoryOut(Schema):
    code: str
    name: str


class MaterialOut(Schema):
    title: str
    url: str


class CallOut(Schema):
    slug: str
    year: int
    title: str
    notice_number: str
    window: CodeLabel = Field(
        ..., description="申报窗口：upcoming 未开始、open 进行中、closed 已截止"
    )
    window_opens_at: ChinaTime
    window_closes_at: ChinaTime = Field(..., description="此刻起系统关闭（不含）")
    recommendation_deadline: ChinaTime
    min_informatisation_investment: Money
    earliest_start: dt.date
    nominal_period_months: int
    per_applicant_limit: int
    categories: list[CategoryOut]
    contact_name: str
    contact_phone: str
    support_phone: str
    contact_address: str
    url: str = Field(..., description="平台上的批次页面")


class CallDetailOut(CallOut):
    notice_text: str
    requirements: str
    instructions: str
    materials: list[MaterialOut]


class RegionOut(Schema):
    code: str
    name: str
    kind: CodeLabel
    parent: str | None = Field(..., description="上级区划代码")
    established_on: dt.date | None
    abolished_on: dt.date | None


class NoticeOut(Schema):
    id: uuid.UUID
    call: CallRef
    title: str
    text: str
    state: CodeLabel
    starts_on: dt.date
    ends_on: dt.date = Field(..., description="含当日，至当日24:00止")
    published_at: ChinaTime | None
    finalised_at: ChinaTime | None
    contact_name: str
    contact_phone: str
    contact_email: str
    contact_address: str
    url: str


class SelectedOut(Schema):
    id: uuid.UUID
    call: CallRef
    name: str
    applicant: str
    city: RegionRef | None = Field(..., description="申报单位所在设区市")
    category: CategoryOut | None
    tier: str


class Named(Schema):
    id: int
    name: str


class OrganisationRef(Schema):
    name: str
    credit_code: str


class ProjectOut(Schema):
    id: uuid.UUID
    call: CallRef
    name: str
    summary: str
    category: CategoryOut | None
    organisation: OrganisationRef
    seat: RegionRef = Field(..., description="申报单位所在地区")
    city: RegionRef | None = Field(..., description="申报单位所在设区市")
    authority: Named | None = Field(..., description="审核推荐部门")
    copy_authority: Named | None = Field(..., description="抄报部门")
    status: CodeLabel
    tier: str | None = Field(..., description="入选档次（入选时）")
    total_investment: Money | None
    civil_works_investment: Money | None
    informatisation_investment: Money | None
    investment_completed: Money | None
    start_month: dt.date | None
    planned_completion_month: dt.date | None
    submitted_at: ChinaTime | None
    updated_at: ChinaTime


class PartnerOut(Schema):
    role: CodeLabel
    name: str
    credit_code: str
    work_division: str


class ProjectDetailOut(ProjectOut):
    construction_content: str
    innovation: str
    technologies: list[CodeLabel]
    core_technology: str
    domestic_products: str
    security_level: CodeLabel | None
    problems_solved: str
    users_served: str
    economic_benefit: str
    social_benefit: str
    promotion_prospects: str
    funding_sources: str
    is_cooperative: bool
    partners: list[PartnerOut]


class OutcomeOut(Schema):
    result: CodeLabel = Field(..., description="selected 入选 或 not_selected 未入选")
    tier: str | None
    reason: str
    finalised_at: ChinaTime | None
    notice_id: uuid.UUID


class MyApplicationOut(Schema):
    id: uuid.UUID
    call: CallRef
    name: str
    category: CategoryOut | None
    status: CodeLabel = Field(..., description="向申报单位显示的状态（省级内部环节显示为“已推荐”）")
    total_investment: Money | None
    civil_works_investment: Money | None
    informatisation_investment: Money | None
    created_at: ChinaTime
    updated_at: ChinaTime
    submitted_at: ChinaTime | None
    outcome: OutcomeOut | None = Field(..., description="最终名单确定后的遴选结果")


class HistoryOut(Schema):
    at: ChinaTime
    actor: str
    action: str
    action_label: str
    from_state: CodeLabel | None
    to_state: CodeLabel | None
    reason: str
    changed: str


class MyApplicationDetailOut(MyApplicationOut):
    history: list[HistoryOut]


class FigureOut(Schema):
    label: str
    value: Decimal2
    unit: str


class ImageOut(Schema):
    id: uuid.UUID
    caption: str
    width: int
    height: int
    url: str


class CaseOut(Schema):
    id: uuid.UUID
    title: str
    summary: str
    year: int
    category: CategoryOut | None
    city: RegionRef | None = Field(..., description="设区市；省级单位为 null")
    organisation: str
    technologies: str
    published_at: ChinaTime | None
    url: str


class CaseDetailOut(CaseOut):
    problem: str
    solution: str
    results: str
    figures: list[FigureOut]
    images: list[ImageOut]


class RoundOut(Schema):
    id: uuid.UUID
    title: str
    period: str
    due_on: dt.date = Field(..., description="含当日，至当日24:00止")
    state: CodeLabel


class TrackedProjectOut(Schema):
    id: uuid.UUID
    year: int
    name: str
    applicant_name: str
    credit_code: str
    category_name: str
    city: RegionRef | None
    informatisation_investment: Money
    source: CodeLabel
    application_id: uuid.UUID | None


class CommentOut(Schema):
    authority: str
    text: str
    written_at: ChinaTime


class EvaluationOut(Schema):
    on_schedule: CodeLabel
    funds: CodeLabel
    results: CodeLabel
    overall: CodeLabel
    remark: str
    evaluated_at: ChinaTime


class ReportOut(Schema):
    id: uuid.UUID
    round: RoundOut
    project: TrackedProjectOut
    state: CodeLabel
    investment_completed: Money | None
    milestones: str
    users_and_results: str
    problems: str
    late: bool
    first_submitted_at: ChinaTime | None
    submitted_at: ChinaTime | None
    authority: Named | None = Field(..., description="属地主管部门")
    comment: CommentOut | None
    evaluation: EvaluationOut | None = Field(
        ..., description="省信息化办的评价（仅全省范围的调用方可见）"
    )
