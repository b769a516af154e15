"""Tracking evaluation, walked in a real browser: import, round, report, comment, evaluation.

The office imports an XLSX of earlier key projects with good and bad rows, reads the per-row
report and confirms; it opens a round. The demo-like applicant of 南京市玄武区 (whose credit
code is in the file) files its progress report with an attachment; 南京市's reviewer adds
the local comment. The due date passes: the office sees the late list, reminds the late
owner, evaluates the report against the rubric and exports the round.
Screenshots go to test-artifacts/screenshots/ (names start with "tracking-").
"""

import datetime as dt
import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect

from keyprojects.notifications.models import Notification
from keyprojects.orgs.models import Authority
from keyprojects.tracking.imports import COLUMNS
from keyprojects.tracking.models import ProgressReport, TrackedProject, TrackingRound

from .. import factories
from .conftest import shot

pytestmark = pytest.mark.e2e

OWN = "玄武区智慧社区综合服务平台"
LATE = "虎丘区河湖长制信息平台"
MILESTONES = "完成社区事件受理、网格巡查和居民服务三个子系统建设，2025年通过初步验收。"
RESULTS = "覆盖全区59个社区，注册居民18万人，年受理事件4.2万件。"
COMMENT = "经实地核查，平台运行正常，建设进展属实。"
EVAL_REMARK = "建设成效明显，可作为典型案例推广。"


@pytest.fixture
def people(call):
    owner_org = factories.make_organisation(seat="320102", name="南京玄武智慧城市科技有限公司")
    late_org = factories.make_organisation(seat="320505", name="苏州虎丘水务科技有限公司")
    return {
        "office": factories.make_office(username="office"),
        "applicant": factories.make_user(owner_org, username="wangxm"),
        "late": factories.make_user(late_org, username="chengang"),
        "reviewer": factories.make_user(
            None,
            username="reviewer_nj",
            authority=Authority.objects.get(name="南京市信息化主管部门"),
        ),
        "owner_org": owner_org,
        "late_org": late_org,
    }


def sheet_file(tmp_path, people):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in [
        [
            2018,
            OWN,
            people["owner_org"].name,
            people["owner_org"].credit_code,
            "数字治理类",
            "南京",
            680,
        ],
        [
            2019,
            LATE,
            people["late_org"].name,
            people["late_org"].credit_code,
            "数字治理",
            "苏州市",
            1520.5,
        ],
        [
            2017,
            "江苏省公共数据共享交换平台",
            "省大数据管理中心",
            factories.credit_code("12320000MB"),
            "数字治理类",
            "",
            3200,
        ],
        [2021, "太新的项目", "某单位", factories.credit_code(), "数字经济类", "无锡市", 100],
        [2018, "代码有误的项目", "某单位", "91320102MA1XYW0010", "数字经济类", "无锡市", 100],
        [2018, "城市有误的项目", "某单位", factories.credit_code(), "数字经济类", "上海", 100],
        [2018, "投资为负的项目", "某单位", factories.credit_code(), "数字经济类", "常州", -10],
    ]:
        sheet.append(row)
    path = tmp_path / "2016-2019年重点工程.xlsx"
    workbook.save(path)
    return path


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.locator("header")).to_contain_text(str(user))


def log_out(page):
    page.locator("header").get_by_role("button", name="退出").click()
    expect(page.locator("header").get_by_role("link", name="登录")).to_be_visible()


def alert(page, text):
    return page.get_by_role("alert").filter(has_text=text)


def test_import_round_report_comment_late_list_evaluation_export(page, people, tmp_path):
    office = people["office"]
    log_in(page, office)

    # 1. Import: the per-row report names each bad row and why; confirm imports the good.
    page.goto("/tracking/import/")
    page.set_input_files("#id_file", str(sheet_file(tmp_path, people)))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#import-summary")).to_contain_text("共 7 行：可导入 3 行，有错误 4 行。")
    rows = page.locator("#import-rows tbody tr")
    expect(rows.filter(has_text="太新的项目")).to_contain_text("年度 2021 晚于 2019 年")
    expect(rows.filter(has_text="代码有误的项目")).to_contain_text("校验位不正确")
    expect(rows.filter(has_text="城市有误的项目")).to_contain_text(
        "所在设区市“上海”不是江苏省的设区市"
    )
    expect(rows.filter(has_text="投资为负的项目")).to_contain_text("信息化投资不能为负数")
    expect(rows.filter(has_text=OWN)).to_contain_text("可导入")
    shot(page, "tracking-01-import-report")
    page.get_by_role("button", name="确认导入 3 个项目").click()
    expect(alert(page, "已导入 3 个项目。")).to_be_visible()
    assert TrackedProject.objects.get(name=OWN).organisation == people["owner_org"]
    page.get_by_role("link", name="跟踪项目").click()
    expect(page.locator("tbody tr")).to_have_count(3)
    expect(page.locator("tbody tr").filter(has_text="江苏省公共数据共享交换平台")).to_contain_text(
        "未注册"
    )
    shot(page, "tracking-02-projects")

    # 2. Open a round: one report per tracked project, owners told.
    page.get_by_role("link", name="跟踪轮次").click()
    page.get_by_role("link", name="开启新一轮跟踪评价").click()
    page.fill("#id_title", "2026年度智慧江苏重点工程跟踪评价")
    page.fill("#id_period", "2026年度")
    page.fill("#id_instructions", "请如实填报截至本年度末的建设进展，并上传验收报告。")
    page.get_by_role("button", name="开启").click()
    expect(alert(page, "共 3 份报告待填报，已通知建设单位")).to_be_visible()
    expect(page.locator("#round-counts")).to_contain_text("待填报 3")
    shot(page, "tracking-03-round-opened")
    round_ = TrackingRound.objects.get()
    log_out(page)

    # 3. The owner files its report with an attachment.
    applicant = people["applicant"]
    assert Notification.objects.filter(user=applicant, key__startswith="tracking-open").exists()
    log_in(page, applicant)
    page.goto("/tracking/my/")
    expect(page.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name=f"填报 {OWN}").click()
    page.fill("#id_investment_completed", "520.00")
    page.fill("#id_milestones", MILESTONES)
    page.get_by_role("button", name="保存草稿").click()
    expect(alert(page, "已保存草稿。")).to_be_visible()
    pdf = tmp_path / "初步验收报告.pdf"
    pdf.write_bytes(factories.pdf_bytes())
    page.set_input_files("#id_file", str(pdf))
    page.get_by_role("button", name="上传附件").click()
    expect(alert(page, "已上传附件“初步验收报告.pdf”。")).to_be_visible()
    page.fill("#id_users_and_results", RESULTS)
    page.fill("#id_problems", "部分社区终端老化；下一步对接市一网统管平台。")
    shot(page, "tracking-04-owner-form")
    page.get_by_role("button", name="提交报告").click()
    expect(alert(page, "报告已提交。")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("已提交")
    expect(page.locator("#attachments")).to_contain_text("初步验收报告.pdf")
    shot(page, "tracking-05-owner-submitted")
    report = ProgressReport.objects.get(project__name=OWN)
    assert report.state == "submitted" and not report.late
    log_out(page)

    # 4. 南京市's reviewer reads it and comments.
    log_in(page, people["reviewer"])
    page.goto("/tracking/area/")
    page.get_by_role("link", name=OWN).click()
    expect(page.locator("main")).to_contain_text(MILESTONES)
    page.fill("#id_text", COMMENT)
    page.get_by_role("button", name="保存属地意见").click()
    expect(alert(page, "已保存属地意见。")).to_be_visible()
    shot(page, "tracking-06-reviewer-comment")
    log_out(page)

    # 5. The due date passes: the office sees who is late and reminds them.
    TrackingRound.objects.filter(pk=round_.pk).update(due_on=round_.due_on - dt.timedelta(days=31))
    log_in(page, office)
    page.goto(f"/tracking/rounds/{round_.pk}/")
    late = page.locator("#late-list")
    expect(late).to_contain_text(LATE)
    expect(late).to_contain_text("江苏省公共数据共享交换平台")
    expect(late).not_to_contain_text(OWN)
    late.get_by_role("button", name="提醒逾期单位").click()
    expect(alert(page, "已向 1 位建设单位用户发送催报提醒")).to_be_visible()
    assert Notification.objects.filter(user=people["late"], key__startswith="tracking-late")
    shot(page, "tracking-07-round-late")

    # 6. The office evaluates the report against the rubric.
    page.locator("#reports").get_by_role("link", name=OWN).click()
    expect(page.locator("#comment")).to_contain_text(COMMENT)
    form = page.locator("#evaluation-form")
    for group, grade in [
        ("进度是否符合计划", "好"),
        ("资金使用", "较好"),
        ("成效", "好"),
        ("总体评价", "好"),
    ]:
        form.locator("fieldset", has_text=group).get_by_label(grade, exact=True).check()
    form.get_by_placeholder("资金说明").fill("个别支出凭证待补")
    page.fill("#id_remark", EVAL_REMARK)
    form.get_by_role("button", name="保存评价").click()
    expect(alert(page, "已保存评价。")).to_be_visible()
    expect(page.locator("#evaluation")).to_contain_text(EVAL_REMARK)
    shot(page, "tracking-08-evaluated")
    report.refresh_from_db()
    assert report.state == "evaluated"

    # 7. Export the round.
    page.goto(f"/tracking/rounds/{round_.pk}/?state=evaluated")
    expect(page.locator("#reports tbody tr")).to_have_count(1)
    shot(page, "tracking-09-round-evaluated")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="导出 Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "export.xlsx"
    download.save_as(path)
    rows = list(load_workbook(io.BytesIO(path.read_bytes())).active.iter_rows(values_only=True))
    by_name = {r[1]: dict(zip(rows[2], r, strict=True)) for r in rows[3:]}
    assert set(by_name) == {OWN, LATE, "江苏省公共数据共享交换平台"}
    assert by_name[OWN]["属地意见"] == COMMENT
    assert by_name[OWN]["总体评价"] == "好" and by_name[OWN]["资金说明"] == "个别支出凭证待补"
    assert by_name[LATE]["状态"] == "待填报"
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", by_name[OWN]["提交时间"])
