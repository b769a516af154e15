"""Plain functions that build valid objects for tests; each test states what it changes."""

import datetime as dt
import io
import itertools
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from stdnum.cn import uscc

from keyprojects.applications import domain, workflow
from keyprojects.applications.models import AttachmentKind
from keyprojects.calls.reference import call_spec, load_call
from keyprojects.core.clock import now
from keyprojects.core.demo import SAMPLE_PROJECT
from keyprojects.notices import decisions, publication
from keyprojects.orgs.models import OFFICE_GROUP, Organisation, Region, User
from keyprojects.review import domain as review

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


def make_office(username=None, **fields):
    """A member of the provincial office (the OFFICE_GROUP group)."""
    user = make_user(None, username=username, **fields)
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    return user


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
    **SAMPLE_PROJECT,
    "name": "玄武区城市运行一网统管平台",
    "start_month": dt.date(2019, 3, 1),
    "planned_completion_month": dt.date(2021, 3, 1),
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


def passed_maker(call, office):
    reviewers = {}

    def make(name, total="1200.00", civil="200.00", category="digital_governance", seat="320102"):
        owner = make_user(
            make_organisation(
                seat=seat, contact_phone="025-12345678", contact_email="secret@example.com"
            )
        )
        application = make_application(
            call,
            owner,
            name=name,
            total_investment=Decimal(total),
            civil_works_investment=Decimal(civil),
            category=call.categories.get(code=category),
        )
        application = domain.submit(application, by=owner)
        if application.authority_id not in reviewers:
            reviewers[application.authority_id] = make_user(None, authority=application.authority)
        application = review.decide(
            application, "recommend", by=reviewers[application.authority_id]
        )
        return workflow.perform(application, "pass_check", by=office)

    return make


def selected_maker(call, office):
    """selected(name, total, civil, category code, seat): a selected key project (重点工程)."""
    make_passed = passed_maker(call, office)
    tiers = {}

    def make(name, *args, **kwargs):
        if not tiers:
            tiers["key"] = decisions.create_default_tiers(call, by=office)[1]
        return decisions.select(make_passed(name, *args, **kwargs), tiers["key"], by=office)

    return make


def finalise_list(call, office):
    """Publish the call's notice today and make its list final once the period is over."""
    today = publication.today()
    notice = publication.save_notice(
        call,
        {
            "title": f"{call.title}拟入选项目公示",
            "text": "现将拟入选项目予以公示。",
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=6),
            "contact_name": "省信息化办",
            "contact_phone": "025-83000000",
            "contact_email": "",
            "contact_address": "",
        },
        by=office,
    )
    notice = publication.publish(notice, by=office)
    return publication.finalise(notice, by=office, at=notice.closes_at + dt.timedelta(minutes=1))
