"""Statistics and funding priority, walked in a real browser.

The office opens the dashboard (ECharts drawn from the project's static files, each chart
with its table), hovers a bar (the tooltip is drawn in the chart: no inline style for the
CSP to refuse), downloads a figure's XLSX, marks a selected project for priority support from
the special fund and exports the list for the finance process. The 徐州市 reviewer opens its
reduced dashboard: its districts and its counties only. Once the list is final, anyone reads
the yearly summary. Screenshots go to test-artifacts/screenshots/ (names start with "stats-").
"""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from keyprojects.applications import domain as applications
from keyprojects.notices import decisions, publication
from keyprojects.orgs.models import Authority
from keyprojects.review import domain as review

from .. import factories
from .conftest import ARTIFACTS, shot

pytestmark = pytest.mark.e2e

# (name, total, civil works, category, seat): selected key projects in four cities and 省级.
SELECTED = [
    ("玄武区城市运行一网统管平台", "1500.00", "200.00", "digital_governance", "320102"),
    ("秦淮区数字孪生水务管理系统", "980.00", "100.00", "digital_infrastructure", "320104"),
    ("苏州工业互联网标识解析二级节点", "2600.00", "300.00", "digital_economy", "320505"),
    ("徐州鼓楼区智慧社区综合服务平台", "720.00", "120.00", "digital_governance", "320302"),
    ("沛县智慧农业大数据平台", "650.00", "80.00", "digital_economy", "320322"),
]
MARKED = "苏州工业互联网标识解析二级节点"
SUPPORT = "520.50"
NOTE = "支持标识解析节点在全省推广应用"


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("header")).to_contain_text(str(user))


def log_out(page):
    page.locator("header").get_by_role("button", name="退出").click()
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()


def charts_drawn(page, count):
    expect(page.locator("[data-chart-ready=true]")).to_have_count(count)


def xlsx_rows(download):
    path = ARTIFACTS / "downloads" / download.suggested_filename
    path.parent.mkdir(parents=True, exist_ok=True)
    download.save_as(path)
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.fixture
def province(call):
    """Five selected projects, one not selected, others recommended or only submitted, a
    draft; the 徐州市 reviewer. All through the real workflow."""
    office = factories.make_office(username="office", is_staff=True)
    make_selected = factories.selected_maker(call, office)
    for row in SELECTED:
        make_selected(*row)
    make_passed = factories.passed_maker(call, office)
    decisions.not_select(
        make_passed("建邺区智慧停车平台", "600.00", "100.00", "digital_governance", "320105"),
        "综合评审得分较低",
        by=office,
    )
    for name, seat, category in [
        ("无锡梁溪区政务服务一网通办", "320213", "digital_governance"),
        ("常州新北区工业大脑", "320411", "digital_economy"),
        ("南通崇川区网络安全态势感知平台", "320602", "cybersecurity"),
    ]:
        owner = factories.make_user(factories.make_organisation(seat=seat))
        application = factories.make_application(
            call, owner, name=name, category=call.categories.get(code=category)
        )
        application = applications.submit(application, by=owner)
        if category != "cybersecurity":
            reviewer = factories.make_user(None, authority=application.authority)
            review.decide(application, "recommend", by=reviewer)
    draft_owner = factories.make_user(factories.make_organisation(seat="320102"))
    factories.make_application(call, draft_owner, name="还在填写的草稿")
    xuzhou = factories.make_user(None, authority=Authority.objects.get(name="徐州市信息化主管部门"))
    return {"office": office, "xuzhou": xuzhou}


def test_dashboard_funding_priority_city_dashboard_and_public_summary(page, call, province):
    log_in(page, province["office"])
    check_office_dashboard(page)
    check_tooltip_of_a_bar(page)
    check_figure_export(page, call)
    check_funding_mark_and_export(page)
    log_out(page)
    log_in(page, province["xuzhou"])
    check_city_dashboard_scope(page)
    log_out(page)
    check_public_summary(page, call, province["office"])


def check_office_dashboard(page):
    """Four charts, each with its table."""
    page.goto("/stats/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("统计分析")
    charts_drawn(page, 4)
    expect(page.locator("#total-applications")).to_have_text("9")  # the draft is not counted
    expect(page.locator("#total-selected")).to_have_text("5")
    funnel = page.locator("#figure-funnel table")
    expect(funnel.locator("tbody tr").first).to_contain_text("填报（含草稿）")
    expect(funnel.locator("tbody tr").first).to_contain_text("10")
    city_table = page.locator("#figure-city table")
    expect(city_table.locator('tr[data-key="320300"]')).to_contain_text("徐州市")
    shot(page, "stats-01-dashboard")


def check_tooltip_of_a_bar(page):
    """The tooltip is built without inline style (the conftest fails the test on any CSP
    violation) and shows the category's figures in Chinese."""
    chart = page.locator("#figure-category [data-chart]")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.7)
    tooltip = chart.locator(".stats-tooltip-title")
    expect(tooltip).to_have_text("数字治理类")
    expect(tooltip.locator("xpath=..")).to_contain_text("申报数：4")
    expect(tooltip.locator("xpath=..")).to_contain_text("申报总投资（万元）：4020.00")
    page.wait_for_timeout(300)  # the box's fade-in
    chart.screenshot(path=str(ARTIFACTS / "screenshots" / "stats-02-tooltip.png"))


def check_figure_export(page, call):
    """The category figure as XLSX, with the year filter applied."""
    page.select_option("#id_call", call.slug)
    page.get_by_role("button", name="筛选").click()
    charts_drawn(page, 4)
    with page.expect_download() as download:
        page.locator("#figure-category").get_by_role("link", name="导出 XLSX").click()
    rows = xlsx_rows(download.value)
    assert rows[0][0] == "智慧江苏重点工程统计：按工程类别"
    assert f"年度批次：{call.title}" in rows[1][0]
    assert rows[2][:4] == ["工程类别", "申报数", "推荐数", "入选数"]
    economy = next(row for row in rows if row[0] == "数字经济类")
    assert economy[1:4] == [3, 3, 2]  # 苏州, 沛县 selected; 常州 recommended
    total = next(row for row in rows if row[0] == "合计")
    assert total[1:4] == [9, 8, 5]


def check_funding_mark_and_export(page):
    """Mark one selected project (a refused amount first), then export for the finance process."""
    page.get_by_role("link", name="专项资金优先支持").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("专项资金优先支持")
    page.get_by_role("link", name=f"标记优先支持：{MARKED}").click()
    page.fill("#id_amount", "99999")
    page.get_by_role("button", name="标记优先支持").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("不能超过项目总投资（2600.00 万元）")
    page.fill("#id_amount", SUPPORT)
    page.fill("#id_note", NOTE)
    page.get_by_role("button", name="标记优先支持").click()
    expect(page.get_by_role("alert").filter(has_text="已标记")).to_be_visible()
    expect(page.locator("#funding-table tr", has_text=MARKED)).to_contain_text(SUPPORT)
    shot(page, "stats-03-funding")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出优先支持项目表（XLSX）").click()
    rows = xlsx_rows(download.value)
    assert rows[2] == [
        "序号",
        "项目名称",
        "申报单位",
        "统一社会信用代码",
        "所在地",
        "类别",
        "总投资（万元）",
        "支持金额（万元）",
        "备注",
    ]
    assert rows[3][1] == MARKED and rows[3][4] == "苏州市虎丘区"
    assert rows[3][6:9] == [Decimal("2600"), Decimal(SUPPORT), NOTE]
    assert rows[4][:2] == ["合计", "1个项目"]


def check_city_dashboard_scope(page):
    """The 徐州市 reviewer: its district and its county (沛县), nothing of other cities."""
    page.goto("/stats/")
    charts_drawn(page, 4)
    expect(page.locator("#scope")).to_contain_text("徐州市信息化主管部门")
    expect(page.locator("#total-applications")).to_have_text("2")
    expect(page.locator("#total-selected")).to_have_text("2")
    main = page.locator("main")
    for other in ["南京市", "苏州市", "无锡市", "省级"]:
        expect(main).not_to_contain_text(other)
    expect(page.get_by_role("link", name="专项资金优先支持")).to_have_count(0)
    shot(page, "stats-04-city-dashboard")


def check_public_summary(page, call, office):
    """The list becomes final; anyone reads the year's summary."""
    notice = publication.save_notice(
        call, {**publication.initial_values(call), "starts_on": publication.today()}, by=office
    )
    notice = publication.publish(notice, by=office)
    publication.finalise(notice, by=office, at=notice.closes_at + dt.timedelta(minutes=1))
    page.goto("/stats/public/")
    page.get_by_role("link", name=re.compile(f"{call.year}年度")).click()
    charts_drawn(page, 2)
    expect(page.locator("#public-applications")).to_have_text("9")
    expect(page.locator("#public-selected")).to_have_text("5")
    expect(page.locator("#public-selected-investment")).to_have_text("6450.00")
    shot(page, "stats-05-public-summary")
