"""Sheets for every importer of the shared import flow, and the people who import them."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from keyprojects.experts.imports import POOL
from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.imports import ORGANISATIONS
from keyprojects.review.imports import REVIEWERS
from keyprojects.tracking.imports import PROJECTS

from ..factories import credit_code, make_office

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORTERS = {"orgs": ORGANISATIONS, "tracking": PROJECTS, "review": REVIEWERS, "experts": POOL}


@pytest.fixture
def office(call):
    """A member of the provincial office (with a call: the experts' categories exist)."""
    return make_office(username="import_office")


@pytest.fixture
def colleague(call):
    """Another member of the office: may import, but not someone else's upload."""
    return make_office(username="import_colleague")


def header(importer) -> list[str]:
    return [c.name for c in importer.columns if not c.optional]


def xlsx(head, rows, name="名单.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(head)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def good_row(app: str, n: int) -> list:
    """A row each importer imports as it is (n makes it unique)."""
    if app == "orgs":
        return [
            f"导入测试单位{n}",
            credit_code(),
            "企业",
            "南京市玄武区",
            f"南京市玄武区测试路{n}号",
            "张三",
            "李四",
            "025-83331234",
            f"contact{n}@example.com",
        ]
    if app == "tracking":
        return [2018, f"往年项目{n}", f"建设单位{n}", credit_code(), "数字治理类", "南京市", "500"]
    if app == "review":
        return [
            f"reviewer{n}",
            f"审核员{n}",
            f"reviewer{n}@example.com",
            "",
            "南京市信息化主管部门",
        ]
    return [
        f"专家{n}",
        "东南大学",
        credit_code("12320000MB"),
        "南京市",
        "数字治理类",
        "13900000001",
        f"expert{n}@example.com",
    ]


def good_sheet(app: str, count=2) -> SimpleUploadedFile:
    return xlsx(header(IMPORTERS[app]), [good_row(app, n) for n in range(count)])


def url(importer, part=None, batch=None) -> str:
    name = importer.url_name + (f"_{part}" if part else "")
    return reverse(name, args=[batch.pk] if batch is not None else [])


def upload(client, importer, sheet) -> ImportBatch:
    """Upload through the page; the batch it staged (the newest)."""
    response = client.post(url(importer), {"file": sheet})
    batch = ImportBatch.objects.filter(importer=importer.key).first()
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response.url == url(importer, "report", batch)
    return batch
