"""The shared import flow, walked in a real browser with the organisations importer.

The office finds 导入申报单位 in its menu, downloads the template and fills it in, uploads it
and reads in Chinese what is wrong with each bad row (row, column, how to fix); it imports
the good rows, downloads the rows with errors, corrects them in that very file and uploads
it again; this import runs as a background task whose page shows its progress (htmx
polling, no inline script) until the report replaces it.
Screenshots: test-artifacts/screenshots/import-*.png.
"""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from keyprojects.imports import domain
from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.models import Organisation

from .. import factories
from .conftest import shot

pytestmark = pytest.mark.e2e

GOOD = [
    ["南京市玄武区数据局", factories.credit_code("11320102MB"), "县级以上行政部门", "南京市玄武区"],
    ["苏州工业园区智慧城市公司", factories.credit_code(), "企业", "苏州市姑苏区"],
]
BAD = [
    ["鼓楼区大数据中心", "91320102MA1XYW0010", "事业单位", "鼓楼区"],  # check digit, which 鼓楼区
    ["江苏交通控股数字科技", factories.credit_code(), "省属企业", "南京市秦淮区"],  # department
]
CONTACT = ["南京市北京东路41号", "张三", "李四", "025-83331234"]


def fill(template: bytes, rows) -> bytes:
    """The downloaded template with rows (and the optional department column left empty)."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for n, (name, code, kind, seat) in enumerate(rows):
        sheet.append([name, code, kind, seat, "", *CONTACT, f"contact{n}@example.com"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def correct(errors: bytes) -> bytes:
    """What the office does with the downloaded rows: fix each as its 错误说明 says."""
    workbook = load_workbook(io.BytesIO(errors))
    sheet = workbook.active
    columns = [cell.value for cell in sheet[1]]
    assert columns[-2:] == ["错误说明", "原行号"]
    at = {name: index for index, name in enumerate(columns)}
    for row in sheet.iter_rows(min_row=2):
        if row[at["单位名称"]].value == "鼓楼区大数据中心":
            assert "校验位不正确" in row[at["错误说明"]].value
            row[at["统一社会信用代码"]].value = factories.credit_code()
            row[at["所在地区"]].value = "南京市鼓楼区"
        else:
            assert "须填写主管省级部门" in row[at["错误说明"]].value
            row[at["主管省级部门"]].value = "省交通运输厅"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(page, link_name) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return open(info.value.path(), "rb").read()


def upload(page, name, content):
    page.set_input_files(
        "#id_file", {"name": name, "mimeType": "application/octet-stream", "buffer": content}
    )
    page.get_by_role("button", name="上传并检查").click()


def test_import_organisations_fix_the_errors_and_import_them_too(page, call, settings):
    office = factories.make_office(username="office", is_staff=True)
    page.goto("/accounts/login/")
    page.fill("#id_username", office.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    # 1. The menu leads to the page; the template comes with its instructions.
    page.locator("header").get_by_role("button", name="管理").click()
    page.get_by_role("link", name="导入申报单位").click()
    expect(page.locator("h1")).to_have_text("导入申报单位")
    expect(page.locator("#import-columns")).to_contain_text("统一社会信用代码")
    shot(page, "import-01-upload")
    template = download(page, "下载导入模板")

    # 2. Upload: each bad row says, in Chinese, which column is wrong and how to fix it.
    upload(page, "申报单位.xlsx", fill(template, GOOD + BAD))
    expect(page.locator("#import-summary")).to_contain_text("共 4 行：可导入 2 行，有错误 2 行。")
    rows = page.locator("#import-rows tbody tr")
    first_bad = rows.filter(has_text="鼓楼区大数据中心")
    expect(first_bad).to_contain_text("统一社会信用代码：统一社会信用代码校验位不正确")
    expect(first_bad).to_contain_text("所在地区：江苏省有不止一个“鼓楼区”")
    expect(first_bad).to_contain_text("修改方法：请写上设区市，如“南京市鼓楼区”")
    expect(rows.filter(has_text="江苏交通控股数字科技")).to_contain_text(
        "省级单位、省属企业须填写主管省级部门"
    )
    expect(rows.filter(has_text="南京市玄武区数据局")).to_contain_text("可导入")
    shot(page, "import-02-preview-with-errors")

    # 3. Import the good rows; the report counts them and offers the rows with errors.
    page.get_by_role("button", name="确认导入 2 家单位").click()
    expect(page.get_by_role("alert").filter(has_text="已导入 2 家单位")).to_be_visible()
    expect(page.locator("#import-counts")).to_contain_text("新增 2")
    expect(page.locator("#import-counts")).to_contain_text("有错误未导入 2")
    shot(page, "import-03-report-with-errors")
    assert Organisation.objects.count() == 2
    fixed = correct(download(page, "下载有错误的行（Excel，含错误说明）"))

    # 4. The corrected rows, uploaded again: all good now.
    page.get_by_role("link", name="上传其他文件").click()
    upload(page, "申报单位-已更正.xlsx", fixed)
    expect(page.locator("#import-summary")).to_contain_text("共 2 行：可导入 2 行，有错误 0 行。")
    shot(page, "import-04-corrected-preview")

    # 5. This time the worker is busy: the page shows the progress until the report.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page.get_by_role("button", name="确认导入 2 家单位").click()
    expect(page.locator("#import-progress")).to_contain_text("排队等待导入")
    shot(page, "import-05-progress")
    batch = ImportBatch.objects.get(state="queued")
    assert domain.run(str(batch.pk)) == "imported"  # what the task worker does
    expect(page.locator("#import-counts")).to_contain_text("新增 2", timeout=10_000)
    expect(page.locator("#import-rows tbody tr").first).to_contain_text("已新增")
    shot(page, "import-06-report")
    soe = Organisation.objects.get(name="江苏交通控股数字科技")
    assert soe.supervising_department.name == "省交通运输厅"
    assert Organisation.objects.count() == 4
