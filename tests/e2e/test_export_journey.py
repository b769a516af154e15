"""Lists and their exports, walked in a real browser (issue 8, "Data out").

The office filters its list of recommended applications by category and a search, sorts it
by investment (largest first), opens an application and comes back with the browser's back
button: the filters and the order are still there, because they live in the URL. It
exports the list, opens the XLSX with openpyxl and finds the same rows in the same order,
the amounts as numbers. Then, with a threshold of three rows, a larger export goes to the
background worker: the progress page shows it queued, the worker runs, and the page, polling,
shows the download link without a reload. Screenshots: test-artifacts/screenshots/export-*.png.
"""

import io
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status

from .. import factories
from ..exports import _data
from .conftest import shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def listed(transactional_db):
    """An open call with 12 recommended applications: 8 of 数字治理类, 4 of 数字经济类."""
    _data.load_reference()
    call = factories.make_call()
    office = factories.make_office(username="office_export")
    users = _data.organisations_with_users(6, seats=_data.county_seats()[:12])
    rows = _data.applications_at_stages(
        call, users, 12, office=office, statuses=[Status.RECOMMENDED, Status.CHECK_PASSED]
    )
    governance = call.categories.get(code="digital_governance")
    economy = call.categories.get(code="digital_economy")
    for n, application in enumerate(rows):
        kind = "智慧政务" if n % 3 else "产业互联网"
        Application.objects.filter(pk=application.pk).update(
            name=f"{kind}示范项目{n + 1:02d}",
            category=governance if n < 8 else economy,
            total_investment=Decimal(1000 + 137 * n),
            civil_works_investment=Decimal(100),
        )
    return call, office, governance


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("header")).to_contain_text(str(user))


def shown_names(page):
    return page.locator("table tbody tr td:first-child a").all_inner_texts()


def expected_names(call, category):
    rows = Application.objects.filter(call=call, category=category, name__contains="智慧政务")
    rows = sorted(rows, key=lambda a: (-(a.total_investment - a.civil_works_investment), a.pk))
    return [a.name for a in rows]


def test_office_filters_sorts_goes_back_and_exports(page, listed, artifacts, settings):
    call, office, governance = listed
    log_in(page, office)
    page.goto(f"/selection/{call.slug}/")

    # Filter by category and a search, then sort by investment, largest first.
    page.get_by_label("类别", exact=True).select_option(str(governance.pk))
    page.get_by_role("searchbox", name="搜索").fill("智慧政务")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name="信息化投资（万元）").click()
    page.get_by_role("link", name="信息化投资（万元） ▲").click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("信息化投资")
    query = parse_qs(urlsplit(page.url).query)
    assert query["sort"] == ["-investment"] and query["q"] == ["智慧政务"]
    wanted = expected_names(call, governance)
    assert shown_names(page) == wanted
    shot(page, "export-01-office-list-filtered-sorted")

    # To an application and back: the list comes back as it was.
    listed_url = page.url
    page.get_by_role("link", name=wanted[0], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(wanted[0])
    page.go_back()
    assert page.url == listed_url
    expect(page.get_by_role("searchbox", name="搜索")).to_have_value("智慧政务")
    expect(page.get_by_label("类别", exact=True)).to_have_value(str(governance.pk))
    assert shown_names(page) == wanted
    shot(page, "export-02-back-to-the-same-list")

    # Export: the file holds the rows of the page, in its order, amounts as numbers.
    with page.expect_download() as download:
        page.get_by_role("button", name="导出 XLSX").click()
    path = artifacts / "export-office-list.xlsx"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("形式审查项目-")
    sheet = load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    column = {name: i for i, name in enumerate(header)}
    assert [row[column["项目名称"]] for row in rows] == wanted
    investments = [row[column["信息化投资（万元）"]] for row in rows]
    assert investments == sorted(investments, reverse=True)
    assert all(isinstance(value, int | float) for value in investments)

    # A larger export (over three rows, for the journey) goes to the background worker.
    settings.EXPORT_DIRECT_MAX_ROWS = 3
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("button", name="导出 XLSX").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("导出 XLSX")
    expect(page.get_by_role("progressbar")).to_be_visible()
    expect(page.locator("#export-status")).to_contain_text("排队等待后台任务")
    shot(page, "export-03-large-export-queued")
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    link = page.get_by_role("link", name="下载 XLSX")
    expect(link).to_be_visible()  # the page polled: no reload
    expect(page.get_by_role("progressbar")).to_have_count(0)
    shot(page, "export-04-large-export-ready")
    with page.expect_download() as download:
        link.click()
    path = artifacts / "export-office-list-background.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(io.BytesIO(path.read_bytes())).worksheets[0]
    assert [row[column["项目名称"]] for row in sheet.iter_rows(min_row=2, values_only=True)] == (
        wanted
    )
