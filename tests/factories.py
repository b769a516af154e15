"""Plain functions that build valid objects for tests; each test states what it changes."""

import datetime as dt
import io
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from stdnum.cn import uscc

from keyprojects.applications import domain
from keyprojects.applications.models import AttachmentKind
from keyprojects.calls.reference import call_spec, load_call
from keyprojects.core.clock import now
from keyprojects.orgs.models import Organisation, Region, User

PASSWORD = "Test-password-2026"
_serial = itertools.count(1)


def credit_code(prefix="91320102MA") -> str:
    """A valid 统一社会信用代码, different on every call."""
    first17 = f"{prefix}{next(_serial):07d}"[:17]
    return first17 + uscc.calc_check_digit(first17)


def make_call(slug="test", opens=None, closes=None, **overrides):
    at = now()
    return load_call(
        call_spec(),
        slug=slug,
        window_opens_at=opens or at - dt.timedelta(days=1),
        window_closes_at=closes or at + dt.timedelta(days=10),
        recommendation_deadline=(closes or at + dt.timedelta(days=10)) + dt.timedelta(days=11),
        **overrides,
    )


def make_organisation(seat="320102", **fields):
    values = {
        "name": f"测试单位{next(_serial)}",
        "credit_code": credit_code(),
        "kind": Organisation.Kind.ENTERPRISE,
        "seat": Region.objects.get(code=seat),
        "address": "南京市玄武区测试路1号",
        "legal_representative": "张三",
        "contact_name": "李四",
        "contact_phone": "025-88888888",
        "contact_email": "contact@example.com",
        **fields,
    }
    return Organisation.objects.create(**values)


def make_user(organisation=None, username=None, **fields):
    username = username or f"user{next(_serial)}"
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.com",
        organisation=organisation,
        full_name=username,
        **fields,
    )


def pdf_bytes(pages=1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="批复.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


COMPLETE_VALUES = {
    "name": "玄武区城市运行一网统管平台",
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
    "it_plan_name": "玄武区“十四五”信息化发展规划",
    "approval_document_no": "玄发改〔2019〕12号",
    "management_systems": ["legal_person", "tendering", "supervision"],
    "total_investment": Decimal("1200.00"),
    "civil_works_investment": Decimal("200.00"),
    "funding_sources": "区级财政资金",
    "investment_completed": Decimal("600.00"),
    "start_month": dt.date(2019, 3, 1),
    "planned_completion_month": dt.date(2021, 3, 1),
    "contact_name": "王五",
    "contact_phone": "13800000000",
    "contact_email": "wangwu@example.com",
    "declares_whole_project": True,
    "declares_truthful": True,
}


def make_application(call, user, *, complete=True, attach=True, **values):
    """A draft; `complete` fills every field the notice needs, `attach` adds the approval."""
    application = domain.start_application(call, user)
    if complete or values:
        fields = {**(COMPLETE_VALUES if complete else {}), **values}
        fields.setdefault("category", call.categories.get(code="digital_governance"))
        domain.save_draft(
            application,
            fields,
            None,
            by=user,
            expected_version=application.version,
            editor_token="factory",
        )
        application.refresh_from_db()
    if attach:
        domain.add_attachment(application, AttachmentKind.APPROVAL, pdf_upload(), by=user)
    return application
