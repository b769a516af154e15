"""Tracked projects, an open round and the people around a report.

The owner is the `organisation` fixture (seat 南京市玄武区, so its reports go to 南京市's
authority); a 苏州 reviewer stands for "a reviewer of another city".
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from keyprojects.core.clock import CHINA, now
from keyprojects.orgs.models import Authority, Region
from keyprojects.tracking import domain, imports
from keyprojects.tracking.models import TrackedProject

from ..factories import make_office, make_user

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def office(regions):
    return make_office(username="office")


@pytest.fixture
def nanjing_reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))


@pytest.fixture
def suzhou_reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="苏州市信息化主管部门"))


def today():
    return now().astimezone(CHINA).date()


def xlsx_upload(rows, header=None, name="名单.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or imports.COLUMNS)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def row(name, credit_code, *, year=2018, category="数字治理类", city="南京市", amount="500"):
    return [year, name, f"{name}建设单位", credit_code, category, city, amount]


def make_project(organisation=None, *, name="智慧社区平台", year=2018, amount="800.00", **fields):
    """A tracked project as an import leaves it (matched to `organisation` if given)."""
    values = {
        "year": year,
        "name": name,
        "applicant_name": organisation.name if organisation else f"{name}建设单位",
        "credit_code": organisation.credit_code if organisation else fields.pop("credit_code"),
        "category_name": "数字治理类",
        "city": Region.objects.get(code="320100"),
        "informatisation_investment": Decimal(amount),
        "source": TrackedProject.Source.IMPORTED,
        "organisation": organisation,
        "created_at": now(),
        **fields,
    }
    return TrackedProject.objects.create(**values)


def open_round(office, *, due_in_days=30, title="2026年度跟踪评价"):
    return domain.open_round(
        title=title,
        period="2026年度",
        due_on=today() + dt.timedelta(days=due_in_days),
        by=office,
    )


@pytest.fixture
def project(organisation):
    return make_project(organisation)


@pytest.fixture
def round_(office, project):
    return open_round(office)


@pytest.fixture
def report(round_, project):
    return round_.reports.get(project=project)


FILLED = {
    "investment_completed": Decimal("420.50"),
    "milestones": "完成平台一期建设并通过验收。",
    "users_and_results": "服务居民12万人。",
    "problems": "无",
}


def form_data(report, **overrides):
    data = {**FILLED, "version": report.version, **overrides}
    return {k: "" if v is None else str(v) for k, v in data.items()}
