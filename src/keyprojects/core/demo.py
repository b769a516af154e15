"""Demo data for `make run`: a call open today and an account for every role."""

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from pypdf import PdfWriter
from stdnum.cn import uscc

from keyprojects.applications import domain as applications
from keyprojects.applications.models import AttachmentKind
from keyprojects.calls.models import Call
from keyprojects.calls.reference import call_spec, load_call
from keyprojects.core.clock import CHINA, china_midnight, now
from keyprojects.orgs.models import OFFICE_GROUP, Authority, Organisation, Region, User

DEMO_PASSWORD = "Jiangsu-demo-2026"


def credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


DEMO_ORGANISATIONS = [
    # (credit code without check character, name, kind, seat, supervising department)
    (
        "91320102MA1XYW001",
        "南京玄武智慧城市科技有限公司",
        Organisation.Kind.ENTERPRISE,
        "320102",
        None,
    ),
    (
        "91320505MA1ABC112",
        "苏州高新数字产业发展有限公司",
        Organisation.Kind.ENTERPRISE,
        "320505",
        None,
    ),
    (
        "91320000MA1TGK223",
        "江苏省交通控股数字科技有限公司",
        Organisation.Kind.PROVINCIAL_SOE,
        "320106",
        "省交通运输厅",
    ),
]

DEMO_ORGANISATIONS.append(
    ("12320322MB1PXQ334", "沛县大数据中心", Organisation.Kind.INSTITUTION, "320322", None)
)

DEMO_USERS = [
    # (username, full name, organisation index or None, role description)
    ("applicant", "王晓明", 0, "申报单位（南京市玄武区企业）"),
    ("applicant2", "李娜", 0, "同一申报单位的第二个账号"),
    ("applicant_sz", "陈刚", 1, "另一申报单位（苏州市虎丘区企业）"),
    ("applicant_soe", "赵磊", 2, "省属企业（主管部门：省交通运输厅），已提交一个项目"),
    ("applicant_px", "孙丽", 3, "县属事业单位（徐州市沛县），已提交一个项目"),
]

DEMO_REVIEWERS = [
    # (username, full name, authority, role description)
    ("reviewer_nj", "周审核", "南京市信息化主管部门", "设区市审核员（南京市，审核市辖区项目）"),
    ("reviewer_px", "吴审核", "徐州市沛县信息化主管部门", "县(市)审核员（沛县）"),
    ("reviewer_xz", "郑审核", "徐州市信息化主管部门", "设区市审核员（徐州市，可查看沛县抄报件）"),
    ("reviewer_jt", "冯审核", "省交通运输厅", "省级部门审核员（省交通运输厅）"),
    ("reviewer_sz", "钱审核", "苏州市信息化主管部门", "设区市审核员（苏州市）"),
]

# A complete project, used for the demo's submitted applications (and by the tests).
SAMPLE_PROJECT = {
    "summary": "以数据汇聚和智能分析支撑城市运行管理",
    "construction_content": "建设城市运行管理中心、数据中台和十二个应用场景。",
    "innovation": "首创街道级事件闭环处置机制。",
    "technologies": ["ai", "big_data", "iot"],
    "core_technology": "自主研发事件智能分拨引擎。",
    "domestic_products": "国产服务器、操作系统和数据库。",
    "security_level": "3",
    "security_protection": "按等保三级建设，部署态势感知。",
    "problems_solved": "解决多头受理、推诿扯皮问题。",
    "users_served": "全区65万居民",
    "economic_benefit": "每年节约运维费用300万元。",
    "social_benefit": "事件处置时长缩短40%。",
    "promotion_prospects": "可在全省区县推广。",
    "in_it_plan": True,
    "it_plan_name": "“十四五”信息化发展规划",
    "approval_document_no": "发改〔2025〕12号",
    "management_systems": ["legal_person", "tendering", "supervision"],
    "total_investment": Decimal("1200.00"),
    "civil_works_investment": Decimal("200.00"),
    "funding_sources": "财政资金",
    "investment_completed": Decimal("600.00"),
    "contact_name": "王五",
    "contact_phone": "13800000000",
    "contact_email": "wangwu@example.com",
    "declares_whole_project": True,
    "declares_truthful": True,
}


@transaction.atomic
def load_demo(today: dt.date | None = None) -> list[tuple[str, str, str]]:
    """Idempotent; returns (username, password, role) for every demo account."""
    today = today or now().astimezone(CHINA).date()
    load_call(
        call_spec(),
        slug="demo",
        year=today.year,
        title=f"{today.year}年智慧江苏重点工程（演示批次）",
        notice_number="演示用，非正式通知",
        window_opens_at=china_midnight(today - dt.timedelta(days=7)),
        window_closes_at=china_midnight(today + dt.timedelta(days=22)),
        recommendation_deadline=china_midnight(today + dt.timedelta(days=33)),
        earliest_start=dt.date(today.year - 1, 1, 1),
    )
    organisations = []
    for first17, name, kind, seat, department in DEMO_ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            credit_code=credit_code(first17),
            defaults={
                "name": name,
                "kind": kind,
                "seat": Region.objects.get(code=seat),
                "supervising_department": (
                    Authority.objects.get(name=department) if department else None
                ),
                "address": f"{Region.objects.get(code=seat)}示范路1号",
                "legal_representative": "张建国",
                "contact_name": "王晓明",
                "contact_phone": "025-83000000",
                "contact_email": "contact@example.com",
            },
        )
        organisations.append(org)
    accounts = []
    for username, full_name, org_index, role in DEMO_USERS:
        _user(username, full_name=full_name, organisation=organisations[org_index])
        accounts.append((username, DEMO_PASSWORD, role))
    for username, full_name, authority, role in DEMO_REVIEWERS:
        _user(username, full_name=full_name, authority=Authority.objects.get(name=authority))
        accounts.append((username, DEMO_PASSWORD, role))
    call = Call.objects.get(slug="demo")
    for username, project in [
        ("applicant_px", "沛县智慧农业大数据平台"),
        ("applicant_soe", "江苏高速公路智慧养护平台"),
    ]:
        _submitted_application(call, User.objects.get(username=username), project)
    office = _user("office", full_name="省信息化办", is_staff=True)
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label__in=["calls"]))
    office.groups.add(group)
    accounts.append(
        ("office", DEMO_PASSWORD, "省信息化办（年度批次、形式审查、专家评审、遴选公示）")
    )
    _user("admin", full_name="系统管理员", is_staff=True, is_superuser=True)
    accounts.append(("admin", DEMO_PASSWORD, "系统管理员"))
    # They build on the accounts above: last year's finished call, its selected projects
    # tracked beside earlier years' imported ones, then this year's call in selection (whose
    # continuation check compares with all of those).
    from keyprojects.cases.demo import load_demo as load_cases
    from keyprojects.stats.demo import load_demo as load_stats
    from keyprojects.tracking.demo import load_demo as load_tracking

    from .demo_completed import load_completed_demo
    from .demo_selection import load_selection_demo

    completed = load_completed_demo(today)
    accounts += load_cases(completed, today)
    load_stats(completed, today)
    load_tracking(today)
    accounts += load_selection_demo(today)
    return accounts


def _submitted_application(call, user, name, **values):
    """A complete application, submitted, unless the organisation already has one by
    that name."""
    existing = call.applications.filter(organisation=user.organisation, name=name).first()
    if existing is not None:
        return existing
    application = applications.start_application(call, user)
    values = {
        **SAMPLE_PROJECT,
        "name": name,
        "category": call.categories.first(),
        **values,
        "start_month": call.earliest_start.replace(month=3),
        "planned_completion_month": call.earliest_start.replace(
            year=call.earliest_start.year + 2, month=3
        ),
    }
    applications.save_draft(
        application,
        values,
        None,
        by=user,
        expected_version=application.version,
        editor_token="demo",
    )
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    applications.add_attachment(
        application,
        AttachmentKind.APPROVAL,
        SimpleUploadedFile("立项批复.pdf", buffer.getvalue()),
        by=user,
    )
    return applications.submit(application, by=user)


def _user(username, **fields):
    user, created = User.objects.update_or_create(
        username=username, defaults={"email": f"{username}@example.com", **fields}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user
